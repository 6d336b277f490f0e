"""Health checks and listener protocols each load balancer type accepts."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.rules.load_balancers import (
    HEALTH_CHECK,
    HEALTH_CHECK_IGNORED,
    INGRESS_HEALTH_CHECKS,
    LISTEN_PORTS,
    LISTENER,
    SERVICE_HEALTH_CHECKS,
    TGC_SETTINGS,
)
from tests.check.lint.manifests import (
    case,
    gateway,
    gateway_class,
    ingress,
    outcomes,
    route,
    service,
    target_group_configuration,
)

A = "alb.ingress.kubernetes.io/"
N = "service.beta.kubernetes.io/aws-load-balancer-"


def at(key: str) -> str:
    return f'metadata.annotations["{key}"]'


def nlb(**annotations: str) -> dict:
    notes = {N + key.replace("_", "-"): value for key, value in annotations.items()}
    return service(annotations=notes, type="LoadBalancer")


def tgc(**health: object) -> dict:
    return target_group_configuration({"name": "web"}, defaultConfiguration={"healthCheckConfig": health})


ALB_GATEWAY = [gateway_class(), gateway(), route(parents=[{"name": "gw"}])]
NLB_GATEWAY = [gateway_class("nlb", "gateway.k8s.aws/nlb"), gateway(class_name="nlb"), route("TCPRoute")]

CASES = [
    case("alb-http", INGRESS_HEALTH_CHECKS, [ingress(annotations={A + "healthcheck-protocol": "HTTPS"})]),
    case(
        "alb-timing-within-elb-ranges",
        INGRESS_HEALTH_CHECKS,
        [
            ingress(
                annotations={A + "healthcheck-interval-seconds": "300", A + "unhealthy-threshold-count": "10"}
            )
        ],
    ),
    case(
        "alb-interval-beyond-elb-range",
        INGRESS_HEALTH_CHECKS,
        [ingress(annotations={A + "healthcheck-interval-seconds": "301"})],
        [(HEALTH_CHECK, "error", at(A + "healthcheck-interval-seconds"))],
    ),
    case(
        "alb-timeout-not-below-the-default-interval",
        INGRESS_HEALTH_CHECKS,
        [ingress(annotations={A + "healthcheck-timeout-seconds": "15"})],
        [(HEALTH_CHECK, "error", at(A + "healthcheck-timeout-seconds"))],
    ),
    case(
        "nlb-threshold-beyond-elb-range",
        SERVICE_HEALTH_CHECKS,
        [nlb(healthcheck_healthy_threshold="1")],
        [(HEALTH_CHECK, "error", at(N + "healthcheck-healthy-threshold"))],
    ),
    case(
        "nlb-timeout-equal-to-interval",
        SERVICE_HEALTH_CHECKS,
        [nlb(healthcheck_timeout="10", healthcheck_interval="10")],
    ),
    case(
        "alb-tcp",
        INGRESS_HEALTH_CHECKS,
        [ingress(annotations={A + "healthcheck-protocol": "TCP"})],
        [(HEALTH_CHECK, "error", at(A + "healthcheck-protocol"))],
    ),
    case(
        "alb-lower-case-is-not-accepted",
        INGRESS_HEALTH_CHECKS,
        [ingress(annotations={A + "healthcheck-protocol": "http"})],
        [(HEALTH_CHECK, "error", at(A + "healthcheck-protocol"))],
    ),
    case(
        "alb-success-codes-out-of-range",
        INGRESS_HEALTH_CHECKS,
        [ingress(annotations={A + "success-codes": "200-599"})],
        [(HEALTH_CHECK, "error", at(A + "success-codes"))],
    ),
    case(
        "alb-grpc-codes",
        INGRESS_HEALTH_CHECKS,
        [ingress(annotations={A + "success-codes": "0-5", A + "backend-protocol-version": "GRPC"})],
    ),
    case(
        "alb-path-without-slash",
        INGRESS_HEALTH_CHECKS,
        [ingress(annotations={A + "healthcheck-path": "healthz"})],
        [(HEALTH_CHECK, "error", at(A + "healthcheck-path"))],
    ),
    case(
        "nlb-http-with-path",
        SERVICE_HEALTH_CHECKS,
        [nlb(healthcheck_protocol="http", healthcheck_path="/ready")],
    ),
    case(
        "nlb-default-tcp-with-path",
        SERVICE_HEALTH_CHECKS,
        [nlb(healthcheck_path="/ready")],
        [(HEALTH_CHECK_IGNORED, "warning", at(N + "healthcheck-path"))],
    ),
    case(
        "nlb-unknown-protocol",
        SERVICE_HEALTH_CHECKS,
        [nlb(healthcheck_protocol="grpc")],
        [(HEALTH_CHECK, "error", at(N + "healthcheck-protocol"))],
    ),
    case(
        "nlb-codes-up-to-599",
        SERVICE_HEALTH_CHECKS,
        [nlb(healthcheck_protocol="http", healthcheck_success_codes="200-599")],
    ),
    case(
        "nlb-port-out-of-range",
        SERVICE_HEALTH_CHECKS,
        [nlb(healthcheck_port="70000")],
        [(HEALTH_CHECK, "error", at(N + "healthcheck-port"))],
    ),
    case(
        "nlb-named-port-on-named-target-port-with-ip-targets",
        SERVICE_HEALTH_CHECKS,
        [
            service(
                annotations={N + "healthcheck-port": "http", N + "nlb-target-type": "ip"},
                type="LoadBalancer",
                ports=({"name": "http", "port": 80, "targetPort": "http"},),
            )
        ],
        [(HEALTH_CHECK, "error", at(N + "healthcheck-port"))],
    ),
    case("tgc-tcp-behind-nlb", TGC_SETTINGS, [*NLB_GATEWAY, tgc(healthCheckProtocol="TCP")]),
    case(
        "tgc-tcp-behind-alb",
        TGC_SETTINGS,
        [*ALB_GATEWAY, tgc(healthCheckProtocol="TCP")],
        [(HEALTH_CHECK, "error", "spec.defaultConfiguration.healthCheckConfig.healthCheckProtocol")],
    ),
    case(
        "tgc-tcp-protocol-behind-alb",
        TGC_SETTINGS,
        [*ALB_GATEWAY, target_group_configuration({"name": "web"}, defaultConfiguration={"protocol": "TCP"})],
        [(LISTENER, "error", "spec.defaultConfiguration.protocol")],
    ),
    case(
        "tgc-tcp-with-path",
        TGC_SETTINGS,
        [*NLB_GATEWAY, tgc(healthCheckProtocol="TCP", healthCheckPath="/x")],
        [(HEALTH_CHECK_IGNORED, "warning", "spec.defaultConfiguration.healthCheckConfig.healthCheckPath")],
    ),
    case(
        "listen-ports-not-json",
        LISTEN_PORTS,
        [ingress(annotations={A + "listen-ports": "HTTP:80"})],
        [(LISTENER, "error", at(A + "listen-ports"))],
    ),
    case(
        "listen-ports-tcp",
        LISTEN_PORTS,
        [ingress(annotations={A + "listen-ports": '[{"TCP": 80}]'})],
        [(LISTENER, "error", at(A + "listen-ports"))],
    ),
    case(
        "listen-ports-http-https",
        LISTEN_PORTS,
        [ingress(annotations={A + "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'})],
    ),
    case(
        "ssl-ports-names-an-unknown-port",
        LISTEN_PORTS,
        [nlb(ssl_ports="8443", ssl_cert="arn:c")],
        [(LISTENER, "error", at(N + "ssl-ports"))],
    ),
    case("ssl-ports-by-name", LISTEN_PORTS, [nlb(ssl_ports="http", ssl_cert="arn:c")]),
]


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_load_balancer_settings(lint: Lint, objects: list, values: dict, expected: list) -> None:
    assert outcomes(objects, lint, values) == expected
