"""Helpers the Ingress translators share: reading one annotation, and the typed settings the catalogue
names (``versions.lbc_annotations``: key -> profile field, value type)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.fields import coerce, gateway_field
from eksnet_manifests.migrate.inputs import Resource
from eksnet_manifests.migrate.report import (
    Outcome,
    Report,
    annotation_field,
    failed,
    translated,
)
from eksnet_manifests.migrate.values import BadValue, parse
from eksnet_manifests.profile.exposure import AlbExposure
from eksnet_manifests.versions import lbc_annotations as catalogue
from eksnet_manifests.versions.lbc_annotations import INGRESS_PREFIX

PREFIX = INGRESS_PREFIX
ANNOTATIONS = "expose.annotations"
KEPT = "kept as written: eksnet has no typed key for it"
ATTRIBUTES = "attributes:"
"""``draft.gateway`` key prefix of a parsed key=value attribute annotation (by its full key)."""


def present(ingress: Resource, suffixes: tuple[str, ...]) -> list[str]:
    """The full keys of ``suffixes`` the Ingress sets, in the order given."""
    notes = ingress.annotations
    return [PREFIX + suffix for suffix in suffixes if PREFIX + suffix in notes]


def matching(ingress: Resource, *stems: str) -> list[str]:
    """The Ingress's keys that start with ``PREFIX + stem`` (``actions.`` -> every action), sorted."""
    return sorted(key for key in ingress.annotations if any(key.startswith(PREFIX + stem) for stem in stems))


def note(
    report: Report, ingress: Resource, key: str, profile: Outcome, gateway: Outcome | None = None
) -> None:
    """A report entry for the annotation ``key`` of ``ingress``, at its line."""
    path = annotation_field(key)
    report.add(ingress.source, path, profile, gateway, ingress.line_of(path))


def parsed(ingress: Resource, key: str, report: Report) -> Any:
    """The value of ``key`` as LBC parses it; None (and an error entry) when LBC cannot."""
    entry = catalogue.lookup(key)
    value = ingress.annotations[key]
    if entry is not None and value in entry.choices:
        return value
    try:
        return parse(entry.value if entry else catalogue.STRING, value)
    except BadValue as exc:
        note(report, ingress, key, failed(f"LBC cannot read the value ({exc}): fix it before migrating"))
        return None


def keep(
    ingress: Resource, key: str, draft: Draft, report: Report, gateway: Outcome, why: str = KEPT
) -> None:
    """Carry ``key`` into a profile as written (``expose.annotations``)."""
    draft.raw[key] = ingress.annotations[key]
    note(report, ingress, key, translated(ANNOTATIONS, why), gateway)


def typed(
    ingress: Resource,
    key: str,
    draft: Draft,
    report: Report,
    gateway: Outcome | None = None,
    model: type[BaseModel] = AlbExposure,
) -> None:
    """The catalogue-typed annotation ``key``: its value at the profile field the catalogue names (every
    attribute of a key=value annotation at its own field, when each has one)."""
    entry = catalogue.lookup(key)
    assert entry is not None and entry.field is not None
    value = parsed(ingress, key, report)
    if value is None:
        return
    attributes = catalogue.attribute_fields(entry.key)
    if attributes:
        draft.gateway[ATTRIBUTES + entry.key] = dict(value)
        untyped = sorted(name for name in value if name not in attributes)
        if untyped:
            why = (
                f"kept as written: {', '.join(untyped)} {'has' if len(untyped) == 1 else 'have'} no typed key"
            )
            keep(ingress, key, draft, report, gateway or translated(gateway_field(entry.field)), why)
            return
        for name, item in value.items():
            draft.settings[attributes[name]] = coerce(model, attributes[name], item)
        fields = ", ".join(f"expose.{attributes[name].removeprefix('expose.')}" for name in sorted(value))
        note(report, ingress, key, translated(fields), gateway or translated(gateway_field(entry.field)))
        return
    draft.settings[entry.field] = coerce(model, entry.field, value)
    note(report, ingress, key, translated(entry.field), gateway or translated(gateway_field(entry.field)))


def json_value(ingress: Resource, key: str, report: Report) -> Any:
    """A JSON annotation's value; None (and an error entry) when it is not JSON."""
    try:
        return json.loads(ingress.annotations[key])
    except json.JSONDecodeError as exc:
        note(
            report,
            ingress,
            key,
            failed(f"not JSON ({exc.msg} at character {exc.pos}): LBC fails the Ingress"),
        )
        return None
