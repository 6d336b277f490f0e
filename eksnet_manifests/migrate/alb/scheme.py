"""The ALB's scheme (``scheme``): ``internal`` (LBC's default) or ``internet-facing``."""

from __future__ import annotations

from eksnet_manifests.migrate.alb.common import present, typed
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.inputs import Resource
from eksnet_manifests.migrate.report import Report

KEYS = ("scheme",)


def translate(ingress: Resource, draft: Draft, report: Report) -> None:
    for key in present(ingress, KEYS):
        typed(ingress, key, draft, report)
