"""IngressGroup membership: ``group.name`` and ``group.order``.

In a profile both are typed fields; on Gateway API each group is one Gateway (lbc-migrate's design), and
``group.order`` has no equivalent: route rules are ordered by Gateway API precedence
(LBC docs ``guide/ingress2gateway/lbc_migrate_reference.md``, "Rule Priority and group.order", v3.5.0).
"""

from __future__ import annotations

from eksnet_manifests.migrate.alb.common import present, typed
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.inputs import Resource
from eksnet_manifests.migrate.report import Report, approximated, translated

KEYS = ("group.name", "group.order")

_GATEWAY = {
    "group.name": translated("Gateway", "one Gateway and LoadBalancerConfiguration per IngressGroup"),
    "group.order": approximated(
        "HTTPRoute rules",
        "Gateway API has no rule priority: the ALB orders the rules by Gateway API precedence (host, path "
        "type and length, matches, route age), not by group.order; check overlapping hosts and paths",
    ),
}


def translate(ingress: Resource, draft: Draft, report: Report) -> None:
    for key in present(ingress, KEYS):
        typed(ingress, key, draft, report, _GATEWAY[key.rpartition("/")[2]])
