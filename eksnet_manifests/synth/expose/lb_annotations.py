"""The LBC annotations an NLB Service or ALB Ingress gets from the exposure's typed fields.

One mapping for both kinds: the annotation catalogue (``versions.lbc_annotations``) names the profile
field behind each key and its value type, and ``ATTRIBUTE_FIELDS`` the field behind each ELB attribute
of the key=value annotations. Values are written as LBC's annotation parser reads them
(``pkg/annotations/parser.go``, LBC v3.5.0): ``a,b`` lists, ``k=v,k2=v2`` maps, ``true``/``false``,
decimal integers. A field left unset writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from eksnet_manifests.profile.typed_fields import is_empty, typed_value
from eksnet_manifests.synth.provenance import FieldPath, annotation
from eksnet_manifests.versions import lbc_annotations as catalogue
from eksnet_manifests.versions.lbc_annotations import Annotation, Family


def encode(value: Any) -> str:
    """A typed value in LBC's annotation syntax."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return ",".join(str(item) for item in value)
    if isinstance(value, Mapping):
        return ",".join(f"{key}={encode(item)}" for key, item in sorted(value.items()))
    return str(value)


def _written(family: Family, built_elsewhere: Iterable[str]) -> list[Annotation]:
    skipped = set(built_elsewhere)
    return [
        entry
        for entry in catalogue.of_family(family)
        if entry.field and entry.replaced_by is None and entry.key not in skipped
    ]


def typed_annotations(
    expose: BaseModel, family: Family, built_elsewhere: Iterable[str] = ()
) -> dict[str, str]:
    """Annotation -> value for every typed field of ``expose`` that is set (``built_elsewhere``: keys the
    exposure's builder writes itself)."""
    written: dict[str, str] = {}
    for entry in _written(family, built_elsewhere):
        assert entry.field is not None
        attributes = catalogue.attribute_fields(entry.key)
        if attributes:
            values = {attribute: typed_value(expose, field) for attribute, field in attributes.items()}
            value: Any = {attribute: item for attribute, item in values.items() if item is not None}
        else:
            value = typed_value(expose, entry.field)
        if not is_empty(value):
            written[entry.key] = encode(value)
    return written


def typed_annotation_fields(family: Family) -> dict[str, FieldPath]:
    """Generated annotation path -> the app field behind it, for every typed annotation of ``family``."""
    return {
        annotation(entry.key): tuple(entry.field.split("."))
        for entry in catalogue.of_family(family)
        if entry.field and entry.replaced_by is None
    }
