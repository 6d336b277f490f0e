"""Gateways of the AWS Load Balancer Controller."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.lint.lbc import (
    CERTIFICATE_REFS,
    GATE_OFF,
    IGNORED_ANNOTATION,
    LAYER_MISMATCH,
    LBC_GATEWAY_ANNOTATIONS,
    LBC_GATEWAY_CERTIFICATES,
    LBC_GATEWAY_GATES,
    LBC_GATEWAY_LAYERS,
    MIXED_LAYERS,
)
from eksnet_manifests.check.values_files import LBC

from .manifests import case, gateway, gateway_class, listener, outcomes

ALB_GATE = "controllerConfig.featureGates.ALBGatewayAPI"
ALB = [gateway_class(), gateway()]
NLB_CLASS = gateway_class("nlb", "gateway.k8s.aws/nlb")
OTHER_CLASS = gateway_class("other", "example.com/gateway")
TCP = listener("tcp", "TCP", 5432)
HTTPS_WITH_SECRET = listener("https", "HTTPS", 443, tls={"certificateRefs": [{"name": "shop-tls"}]})


def alb_gates(**gates: object) -> dict:
    return {LBC: {"controllerConfig": {"featureGates": gates}}}


GATE_CASES = [
    case("gate-enabled", LBC_GATEWAY_GATES, ALB, values=alb_gates(ALBGatewayAPI=True)),
    case("gate-enabled-as-string", LBC_GATEWAY_GATES, ALB, values=alb_gates(ALBGatewayAPI="true")),
    case(
        "gate-disabled",
        LBC_GATEWAY_GATES,
        ALB,
        [(GATE_OFF, "error", ALB_GATE)],
        alb_gates(ALBGatewayAPI=False),
    ),
    case(
        "gate-unset", LBC_GATEWAY_GATES, ALB, [(GATE_OFF, "warning", ALB_GATE)], alb_gates(NLBGatewayAPI=True)
    ),
    case("gate-without-lbc-values", LBC_GATEWAY_GATES, ALB),
    case(
        "gate-for-other-controller",
        LBC_GATEWAY_GATES,
        [OTHER_CLASS, gateway(class_name="other")],
        values={LBC: {}},
    ),
]

LAYER_CASES = [
    case(
        "alb-with-http-listeners",
        LBC_GATEWAY_LAYERS,
        [gateway_class(), gateway(listener(), listener("https", "HTTPS", 443))],
    ),
    case(
        "alb-mixing-layers",
        LBC_GATEWAY_LAYERS,
        [gateway_class(), gateway(listener(), TCP)],
        [(MIXED_LAYERS, "error", "spec.listeners")],
    ),
    case(
        "alb-with-only-l4-listeners",
        LBC_GATEWAY_LAYERS,
        [gateway_class(), gateway(TCP)],
        [(LAYER_MISMATCH, "error", "spec.listeners")],
    ),
    case(
        "nlb-with-tcp-and-udp",
        LBC_GATEWAY_LAYERS,
        [NLB_CLASS, gateway(TCP, listener("dns", "UDP", 53), class_name="nlb")],
    ),
    case(
        "other-controller-may-mix",
        LBC_GATEWAY_LAYERS,
        [OTHER_CLASS, gateway(listener(), TCP, class_name="other")],
    ),
]

CERTIFICATE_CASES = [
    case(
        "certificate-refs-on-alb",
        LBC_GATEWAY_CERTIFICATES,
        [gateway_class(), gateway(HTTPS_WITH_SECRET)],
        [(CERTIFICATE_REFS, "warning", "spec.listeners[0].tls.certificateRefs")],
    ),
    case(
        "https-without-certificate-refs",
        LBC_GATEWAY_CERTIFICATES,
        [gateway_class(), gateway(listener("https", "HTTPS", 443))],
    ),
    case(
        "certificate-refs-on-other-controller",
        LBC_GATEWAY_CERTIFICATES,
        [OTHER_CLASS, gateway(HTTPS_WITH_SECRET, class_name="other")],
    ),
]

ANNOTATION_CASES = [
    case(
        "alb-annotation-on-gateway",
        LBC_GATEWAY_ANNOTATIONS,
        [gateway(annotations={"alb.ingress.kubernetes.io/scheme": "internal"})],
        [(IGNORED_ANNOTATION, "warning", 'metadata.annotations["alb.ingress.kubernetes.io/scheme"]')],
    ),
    case(
        "external-dns-annotation-on-gateway",
        LBC_GATEWAY_ANNOTATIONS,
        [gateway(annotations={"external-dns.kubernetes.io/target": "lb.example.com"})],
    ),
]

CASES = GATE_CASES + LAYER_CASES + CERTIFICATE_CASES + ANNOTATION_CASES


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_lbc_gateways(lint: Lint, objects: list, values: dict, expected: list) -> None:
    # GIVEN Gateways and their classes (and LBC values); WHEN linted; THEN exactly the expected findings
    assert outcomes(objects, lint, values) == expected
