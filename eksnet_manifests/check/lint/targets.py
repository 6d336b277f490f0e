"""Load balancer targets: instance targets need node ports; IP targets want LBC's pod readiness gate.

Source: LBC v3.5.0 docs, service/annotations.md (nlb-target-type), ingress/annotations.md (target-type),
gateway/targetgroupconfig.md (targetType), deploy/configurations.md (pod readiness gate injection).
"""

from __future__ import annotations

from collections.abc import Iterator

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.fields import annotation_path, annotations, as_str, dig, labels, maps
from eksnet_manifests.check.lint.index import (
    CORE,
    LBC_GATEWAY_GROUP,
    NETWORKING_GROUP,
    Lint,
    LintOptions,
    ObjectIndex,
    namespace_of,
    object_finding,
)
from eksnet_manifests.versions.kubernetes import BUILTIN_NAMESPACES

NODE_PORTS_DISABLED = "service-node-ports-disabled"
READINESS_GATE = "ip-target-readiness-gate"

LB_TYPE = "service.beta.kubernetes.io/aws-load-balancer-type"
NLB_TARGET_TYPE = "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"
ALB_TARGET_TYPE = "alb.ingress.kubernetes.io/target-type"
READINESS_LABEL = "elbv2.k8s.aws/pod-readiness-gate-inject"


def nlb_target_type(service: Document) -> str:
    """``ip`` for nlb-target-type ``ip`` or the legacy load balancer type ``nlb-ip``; else ``instance``."""
    notes = annotations(service.obj)
    if as_str(notes.get(LB_TYPE)) == "nlb-ip":
        return "ip"
    return (as_str(notes.get(NLB_TARGET_TYPE)) or "instance").lower()


def check_node_ports(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """A LoadBalancer Service with ``allocateLoadBalancerNodePorts: false`` and instance targets (the NLB
    target type is not ``ip``) needs a ``nodePort`` on every port: instance targets receive traffic on node
    ports."""
    for service in index.of_kind(CORE, "Service"):
        spec = service.obj.get("spec")
        if dig(spec, "type") != "LoadBalancer" or dig(spec, "allocateLoadBalancerNodePorts") is not False:
            continue
        if nlb_target_type(service) == "ip":
            continue
        unallocated = [
            str(port.get("port")) for _, port in maps(dig(spec, "ports")) if port.get("nodePort") is None
        ]
        if unallocated:
            message = (
                f"instance targets need node ports, but allocateLoadBalancerNodePorts is false and port(s) "
                f"{', '.join(unallocated)} set no nodePort; use {NLB_TARGET_TYPE}: ip or allocate node ports"
            )
            yield object_finding(
                service, NODE_PORTS_DISABLED, Severity.ERROR, message, "spec.allocateLoadBalancerNodePorts"
            )


def ip_target_paths(doc: Document) -> list[str]:
    """Field paths by which the object asks LBC for IP targets; empty when it does not."""
    notes = annotations(doc.obj)
    kind = (doc.group, doc.kind)
    paths = []
    if (
        kind in ((CORE, "Service"), (NETWORKING_GROUP, "Ingress"))
        and as_str(notes.get(ALB_TARGET_TYPE)) == "ip"
    ):
        paths.append(annotation_path(ALB_TARGET_TYPE))
    if (
        kind == (CORE, "Service")
        and dig(doc.obj, "spec", "type") == "LoadBalancer"
        and nlb_target_type(doc) == "ip"
    ):
        paths.append(annotation_path(LB_TYPE if notes.get(LB_TYPE) == "nlb-ip" else NLB_TARGET_TYPE))
    if kind == (LBC_GATEWAY_GROUP, "TargetGroupConfiguration"):
        spec = doc.obj.get("spec")
        if dig(spec, "defaultConfiguration", "targetType") == "ip":
            paths.append("spec.defaultConfiguration.targetType")
        for position, route in maps(dig(spec, "routeConfigurations")):
            if dig(route, "targetGroupProps", "targetType") == "ip":
                paths.append(f"spec.routeConfigurations[{position}].targetGroupProps.targetType")
    return paths


def check_readiness_gate(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """IP targets (NLB Service ``ip``, Ingress or Service ``alb.ingress.kubernetes.io/target-type: ip``,
    TargetGroupConfiguration ``targetType: ip``) in a namespace whose Namespace object lacks the label
    ``elbv2.k8s.aws/pod-readiness-gate-inject: enabled``: rolling updates can drop traffic before new pods are
    registered. Judged when the Namespace object is in the input; when it is not, only for the whole set of
    objects (``whole_set``), where a built-in namespace such as ``default`` must be written with the label too
    (a missing other namespace is the namespace rule's finding)."""
    candidates = (
        *index.of_kind(CORE, "Service"),
        *index.of_kind(NETWORKING_GROUP, "Ingress"),
        *index.of_kind(LBC_GATEWAY_GROUP, "TargetGroupConfiguration"),
    )
    for doc in candidates:
        paths = ip_target_paths(doc)
        if not paths:
            continue
        name = namespace_of(doc)
        namespace = index.get(CORE, "Namespace", "", name)
        if namespace is None:
            if not (opts.whole_set and name in BUILTIN_NAMESPACES):
                continue
            problem = f"whose Namespace object is not in the input, so nothing sets {READINESS_LABEL}"
        elif labels(namespace.obj).get(READINESS_LABEL) == "enabled":
            continue
        else:
            problem = f"whose Namespace lacks label {READINESS_LABEL}: enabled"
        # LBC v3.5.0 docs deploy/pod_readiness_gate.md: the webhook injects gates only in labelled namespaces.
        message = (
            f"IP targets in namespace {name}, {problem}; without LBC's pod readiness gate a rollout can drop "
            "traffic. Label the namespace (eksnet writes it, with GitOps prune protection for built-in ones)"
        )
        for path in paths:
            yield object_finding(doc, READINESS_GATE, Severity.WARNING, message, path)


SERVICE_NODE_PORTS = Lint("service-node-ports", (NODE_PORTS_DISABLED,), check_node_ports)
IP_TARGET_READINESS = Lint("ip-target-readiness", (READINESS_GATE,), check_readiness_gate)
