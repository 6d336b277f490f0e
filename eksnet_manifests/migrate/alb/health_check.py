"""Target group health checks (``healthcheck-*``, ``*-threshold-count``, ``success-codes``).

``healthcheck-port: traffic-port`` is LBC's default and writes nothing.
"""

from __future__ import annotations

from eksnet_manifests.migrate.alb.common import note, present, typed
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.fields import gateway_field
from eksnet_manifests.migrate.inputs import Resource
from eksnet_manifests.migrate.report import Report, translated

KEYS = (
    "healthcheck-port",
    "healthcheck-protocol",
    "healthcheck-path",
    "healthcheck-interval-seconds",
    "healthcheck-timeout-seconds",
    "healthy-threshold-count",
    "unhealthy-threshold-count",
    "success-codes",
)
TRAFFIC_PORT = "traffic-port"


def translate(ingress: Resource, draft: Draft, report: Report) -> None:
    for key in present(ingress, KEYS):
        if ingress.annotations[key] == TRAFFIC_PORT:
            default = "traffic-port is the default: nothing to write"
            note(
                report,
                ingress,
                key,
                translated("expose.healthCheck.port", default),
                translated(gateway_field("expose.healthCheck.port"), default),
            )
            continue
        typed(ingress, key, draft, report)
