"""Ingress translators: one module per annotation family, each ``translate(ingress, draft, report)``.

Each translator reads only the keys it owns (``KEYS``, exact suffixes, and ``STEMS``, prefixes of
``${name}`` keys) and writes only its own fields of the draft, so the order they run in does not matter
(a test shuffles it). Every documented ``alb.ingress.kubernetes.io/*`` key has exactly one owner (a test
checks it against the catalogue); ``metadata`` reports the rest: other tools' keys, unknown LBC keys and
labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType

from eksnet_manifests.migrate.alb import (
    actions,
    addons,
    auth,
    certificates,
    group,
    health_check,
    listen_ports,
    load_balancer,
    metadata,
    rules,
    scheme,
    ssl_redirect,
    target_group,
)
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.inputs import Resource
from eksnet_manifests.migrate.report import Report
from eksnet_manifests.versions.lbc_annotations import INGRESS_PREFIX

Translator = Callable[[Resource, Draft, Report], None]

TRANSLATORS: dict[str, ModuleType] = {
    "group": group,
    "scheme": scheme,
    "listen_ports": listen_ports,
    "certificates": certificates,
    "ssl_redirect": ssl_redirect,
    "health_check": health_check,
    "load_balancer": load_balancer,
    "target_group": target_group,
    "actions": actions,
    "auth": auth,
    "addons": addons,
    "rules": rules,
    "metadata": metadata,
}


def owners(key: str) -> list[str]:
    """The translators that own the LBC Ingress annotation ``key``."""
    suffix = key.removeprefix(INGRESS_PREFIX)
    return [
        name
        for name, module in TRANSLATORS.items()
        if suffix in getattr(module, "KEYS", ()) or suffix.startswith(tuple(getattr(module, "STEMS", ())))
    ]


def translate_ingress(ingress: Resource, report: Report, order: Sequence[str] | None = None) -> Draft:
    """The draft of one Ingress; ``order`` names the translators to run, in that order (default: all)."""
    draft = Draft(ingress.source)
    for name in order or TRANSLATORS:
        translate: Translator = TRANSLATORS[name].translate
        translate(ingress, draft, report)
    return draft
