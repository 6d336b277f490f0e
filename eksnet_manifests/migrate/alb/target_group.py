"""Target group settings: target type, backend protocol and version, attributes, node selection,
multi-cluster target groups and the target control port.

On Gateway API they become the TargetGroupConfiguration of each backend Service, as lbc-migrate writes
them (LBC ``pkg/ingress2gateway/translate/tg_config.go``, v3.5.0).
"""

from __future__ import annotations

from eksnet_manifests.migrate.alb.common import PREFIX, keep, matching, parsed, present, typed
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.inputs import Resource
from eksnet_manifests.migrate.report import Report, translated

TYPED = ("target-type", "backend-protocol", "backend-protocol-version", "target-group-attributes")
NODE_LABELS, MULTI_CLUSTER = "target-node-labels", "multi-cluster-target-group"
CONTROL_PORT = "target-control-port."
KEYS = (*TYPED, NODE_LABELS, MULTI_CLUSTER)
STEMS = (CONTROL_PORT,)
TG = "TargetGroupConfiguration spec.defaultConfiguration."


def translate(ingress: Resource, draft: Draft, report: Report) -> None:
    for key in present(ingress, TYPED):
        typed(ingress, key, draft, report)
    if PREFIX + NODE_LABELS in ingress.annotations:
        labels = parsed(ingress, PREFIX + NODE_LABELS, report)
        if labels is not None:
            draft.gateway["targetGroup.nodeSelector"] = {"matchLabels": dict(labels)}
            keep(ingress, PREFIX + NODE_LABELS, draft, report, translated(TG + "nodeSelector.matchLabels"))
    if PREFIX + MULTI_CLUSTER in ingress.annotations:
        enabled = parsed(ingress, PREFIX + MULTI_CLUSTER, report)
        if enabled is not None:
            draft.gateway["targetGroup.enableMultiCluster"] = enabled
            keep(ingress, PREFIX + MULTI_CLUSTER, draft, report, translated(TG + "enableMultiCluster"))
    for key in matching(ingress, *STEMS):
        port = parsed(ingress, key, report)
        if port is None:
            continue
        service = key.removeprefix(PREFIX + CONTROL_PORT)
        draft.gateway[f"targetControlPort.{service}"] = port
        keep(ingress, key, draft, report, translated(TG + "targetControlPort", f"of {service}"))
