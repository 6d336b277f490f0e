"""Load balancer targets: node ports for instance targets, readiness gates for IP targets."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.lint.targets import (
    IP_TARGET_READINESS,
    NODE_PORTS_DISABLED,
    READINESS_GATE,
    SERVICE_NODE_PORTS,
)

from .manifests import case, ingress, namespace, outcomes, service, target_group_configuration

NLB_TARGET_TYPE = "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"
IP_NLB = {NLB_TARGET_TYPE: "ip"}
ALB_IP = {"alb.ingress.kubernetes.io/target-type": "ip"}
READY = {"elbv2.k8s.aws/pod-readiness-gate-inject": "enabled"}


def load_balancer(annotations: dict | None = None, ports: tuple = ({"port": 80},), **spec: object) -> dict:
    return service(annotations=annotations, ports=ports, type="LoadBalancer", **spec)


NODE_PORT_CASES = [
    case(
        "instance-targets-without-node-ports",
        SERVICE_NODE_PORTS,
        [load_balancer(allocateLoadBalancerNodePorts=False)],
        [(NODE_PORTS_DISABLED, "error", "spec.allocateLoadBalancerNodePorts")],
    ),
    case(
        "ip-targets-without-node-ports",
        SERVICE_NODE_PORTS,
        [load_balancer(IP_NLB, allocateLoadBalancerNodePorts=False)],
    ),
    case(
        "legacy-nlb-ip-without-node-ports",
        SERVICE_NODE_PORTS,
        [
            load_balancer(
                {"service.beta.kubernetes.io/aws-load-balancer-type": "nlb-ip"},
                allocateLoadBalancerNodePorts=False,
            )
        ],
    ),
    case(
        "instance-targets-with-manual-node-ports",
        SERVICE_NODE_PORTS,
        [load_balancer(ports=({"port": 80, "nodePort": 30080},), allocateLoadBalancerNodePorts=False)],
    ),
    case("instance-targets-with-allocation", SERVICE_NODE_PORTS, [load_balancer()]),
]

READINESS_CASES = [
    case(
        "nlb-ip-targets-in-unlabelled-namespace",
        IP_TARGET_READINESS,
        [namespace(), load_balancer(IP_NLB)],
        [(READINESS_GATE, "warning", f'metadata.annotations["{NLB_TARGET_TYPE}"]')],
    ),
    case(
        "nlb-ip-targets-in-labelled-namespace",
        IP_TARGET_READINESS,
        [namespace(labels=READY), load_balancer(IP_NLB)],
    ),
    case("nlb-ip-targets-namespace-not-in-input", IP_TARGET_READINESS, [load_balancer(IP_NLB)]),
    case("nlb-instance-targets", IP_TARGET_READINESS, [namespace(), load_balancer()]),
    case(
        "ingress-ip-targets-in-unlabelled-namespace",
        IP_TARGET_READINESS,
        [namespace(), ingress(annotations=ALB_IP)],
        [(READINESS_GATE, "warning", 'metadata.annotations["alb.ingress.kubernetes.io/target-type"]')],
    ),
    case(
        "tgc-ip-targets-in-unlabelled-namespace",
        IP_TARGET_READINESS,
        [namespace(), target_group_configuration({"name": "web"}, defaultConfiguration={"targetType": "ip"})],
        [(READINESS_GATE, "warning", "spec.defaultConfiguration.targetType")],
    ),
]

CASES = NODE_PORT_CASES + READINESS_CASES


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_load_balancer_targets(lint: Lint, objects: list, values: dict, expected: list) -> None:
    # GIVEN objects choosing a target type; WHEN linted; THEN exactly the expected findings
    assert outcomes(objects, lint, values) == expected


@pytest.mark.parametrize(
    ("ns", "expected"),
    [
        ("default", [(READINESS_GATE, "warning", f'metadata.annotations["{NLB_TARGET_TYPE}"]')]),
        ("shop", []),
    ],
    ids=["built-in-namespace-unlabelled", "other-namespace-left-to-the-namespace-rule"],
)
def test_whole_set_reports_ip_targets_in_a_built_in_namespace_nobody_labels(ns: str, expected: list) -> None:
    # GIVEN IP targets whose Namespace object is absent from the complete set of objects
    objects = [service(ns=ns, annotations=IP_NLB, ports=({"port": 80},), type="LoadBalancer")]
    # THEN default (which exists without a manifest) is reported, never silently skipped
    assert outcomes(objects, IP_TARGET_READINESS, whole_set=True) == expected
