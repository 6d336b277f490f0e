"""Cross-resource lints: rules that need more than one object (or the chart values) to judge.

Every lint receives one ObjectIndex of all documents and the LintOptions. A reference to an object not in the
input is a warning (the input may be one file of a larger tree) and an error with ``whole_set``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, sort_findings
from eksnet_manifests.check.lint.backends import INGRESS_BACKENDS, ROUTE_BACKENDS, TGC_TARGETS
from eksnet_manifests.check.lint.dns import DNS_DOMAINS, DNS_OWNERSHIP, DNS_PREFIXES, DNS_SOURCES
from eksnet_manifests.check.lint.hostnames import ROUTE_HOSTNAMES
from eksnet_manifests.check.lint.index import Lint, LintOptions, ObjectIndex
from eksnet_manifests.check.lint.lbc import (
    LBC_GATEWAY_ANNOTATIONS,
    LBC_GATEWAY_CERTIFICATES,
    LBC_GATEWAY_GATES,
    LBC_GATEWAY_LAYERS,
)
from eksnet_manifests.check.lint.parents import ROUTE_PARENTS
from eksnet_manifests.check.lint.refs import DUPLICATES, GATEWAY_CLASSES, INGRESS_CLASSES
from eksnet_manifests.check.lint.targets import IP_TARGET_READINESS, SERVICE_NODE_PORTS
from eksnet_manifests.check.lint.values import ChartValues, image_tag, values_from_documents
from eksnet_manifests.check.parallel import map_forked, split_evenly

__all__ = [
    "LINTS",
    "ChartValues",
    "Lint",
    "LintOptions",
    "ObjectIndex",
    "image_tag",
    "run_lints",
    "values_from_documents",
]

LINTS: tuple[Lint, ...] = (
    DUPLICATES,
    GATEWAY_CLASSES,
    INGRESS_CLASSES,
    ROUTE_PARENTS,
    ROUTE_HOSTNAMES,
    ROUTE_BACKENDS,
    INGRESS_BACKENDS,
    TGC_TARGETS,
    DNS_DOMAINS,
    DNS_SOURCES,
    DNS_OWNERSHIP,
    DNS_PREFIXES,
    LBC_GATEWAY_GATES,
    LBC_GATEWAY_LAYERS,
    LBC_GATEWAY_CERTIFICATES,
    LBC_GATEWAY_ANNOTATIONS,
    SERVICE_NODE_PORTS,
    IP_TARGET_READINESS,
)

_NO_VALUES: Mapping[str, Mapping[str, Any]] = MappingProxyType({})
PARALLEL_FROM = 2000
"""Objects from which the lints are shared out over several processes."""


def run_lints(
    docs: Sequence[Document],
    opts: LintOptions,
    values: Mapping[str, Mapping[str, Any]] = _NO_VALUES,
    lints: Sequence[Lint] = LINTS,
    notes: list[str] | None = None,
    workers: int = 1,
) -> list[Finding]:
    """Every finding of ``lints`` over ``docs``, sorted. ``values`` maps a chart name (``external-dns``,
    ``aws-load-balancer-controller``) to its parsed values, e.g. from ``values_from_documents``; lints that
    need a chart's values report nothing without them. What a lint could not judge is added to ``notes``."""
    index = ObjectIndex(docs, values)
    # Large inputs: the lints are shared out over ``workers`` processes, each with its copy of the index.
    parts = split_evenly([1] * len(lints), workers if len(docs) >= PARALLEL_FROM else 1)

    def run_part(part: int) -> tuple[list[Finding], list[str]]:
        found = [
            finding for lint in lints[parts[part].start : parts[part].stop] for finding in lint(index, opts)
        ]
        return found, list(index.notes)

    outcomes = map_forked(run_part, len(parts))
    if notes is not None:
        notes.extend(dict.fromkeys(note for _, part_notes in outcomes for note in part_notes))
    return sort_findings(finding for found, _ in outcomes for finding in found)
