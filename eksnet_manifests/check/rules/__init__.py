"""What the controllers enforce at the pinned versions (LBC, ExternalDNS, Gateway API status), as lints.

Each rule cites the upstream source it encodes in a one-line comment and says in its message what the
controller would do and how to fix it. ``run_checks`` runs them together with the cross-resource lints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding
from eksnet_manifests.check.lint import LINTS, Lint, LintOptions, run_lints
from eksnet_manifests.check.rules.annotation_keys import ANNOTATION_KEYS
from eksnet_manifests.check.rules.controller_versions import EXTERNAL_DNS_GATEWAY_API, LBC_GATEWAY_API
from eksnet_manifests.check.rules.dns_hosts import DNS_HOSTS
from eksnet_manifests.check.rules.gateway_status import (
    GATEWAY_LISTENER_STATUS,
    GATEWAY_PARAMETERS,
    ROUTE_BACKEND_KINDS,
    ROUTE_MATCHES,
)
from eksnet_manifests.check.rules.ingress_groups import INGRESS_GROUPS
from eksnet_manifests.check.rules.lbc_listeners import BACKEND_TLS_POLICIES, LBC_LISTENERS
from eksnet_manifests.check.rules.lbc_routes import ALB_ROUTES
from eksnet_manifests.check.rules.load_balancers import (
    INGRESS_HEALTH_CHECKS,
    LISTEN_PORTS,
    SERVICE_HEALTH_CHECKS,
    TGC_SETTINGS,
)
from eksnet_manifests.check.rules.namespaces import NAMESPACES
from eksnet_manifests.check.rules.tls import (
    CERTIFICATE_REGIONS,
    GATEWAY_LISTENERS,
    INGRESS_CERTIFICATES,
    SERVICE_TLS,
)

RULES: tuple[Lint, ...] = (
    LBC_GATEWAY_API,
    EXTERNAL_DNS_GATEWAY_API,
    NAMESPACES,
    ANNOTATION_KEYS,
    INGRESS_GROUPS,
    INGRESS_HEALTH_CHECKS,
    SERVICE_HEALTH_CHECKS,
    TGC_SETTINGS,
    LISTEN_PORTS,
    INGRESS_CERTIFICATES,
    CERTIFICATE_REGIONS,
    SERVICE_TLS,
    GATEWAY_LISTENERS,
    DNS_HOSTS,
    GATEWAY_LISTENER_STATUS,
    GATEWAY_PARAMETERS,
    ROUTE_BACKEND_KINDS,
    ROUTE_MATCHES,
    ALB_ROUTES,
    LBC_LISTENERS,
    BACKEND_TLS_POLICIES,
)
CHECKS: tuple[Lint, ...] = (*LINTS, *RULES)


def run_checks(
    docs: Sequence[Document],
    opts: LintOptions,
    values: Mapping[str, Mapping[str, Any]],
    notes: list[str] | None = None,
    workers: int = 1,
) -> list[Finding]:
    """Every lint and controller rule over ``docs`` and the chart ``values``, sorted (``workers``: see
    ``run_lints``)."""
    return run_lints(docs, opts, values, CHECKS, notes, workers)
