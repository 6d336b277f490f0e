"""Every HTTPS/TLS listener has a certificate LBC can use, in the load balancer's region."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.rules.tls import (
    CERTIFICATE_REGION,
    CERTIFICATE_REGIONS,
    GATEWAY_LISTENERS,
    INGRESS_CERTIFICATES,
    LISTENER_NOT_CREATED,
    NO_CERTIFICATE,
    SERVICE_TLS,
    SSL_PORTS_WITHOUT_CERT,
)
from eksnet_manifests.check.values_files import LBC
from tests.check.lint.manifests import (
    case,
    gateway,
    gateway_class,
    ingress,
    lint_findings,
    listener,
    outcomes,
    route,
    service,
)

A = "alb.ingress.kubernetes.io/"
N = "service.beta.kubernetes.io/aws-load-balancer-"
HTTPS = {A + "listen-ports": '[{"HTTPS": 443}]'}
SEOUL = "arn:aws:acm:ap-northeast-2:111122223333:certificate/1"
VIRGINIA = "arn:aws:acm:us-east-1:111122223333:certificate/1"
IN_SEOUL = {LBC: {"region": "ap-northeast-2"}}


def at(key: str) -> str:
    return f'metadata.annotations["{key}"]'


def lb_config(*listeners: dict) -> dict:
    return {
        "apiVersion": "gateway.k8s.aws/v1",
        "kind": "LoadBalancerConfiguration",
        "metadata": {"name": "cfg", "namespace": "shop"},
        "spec": {"listenerConfigurations": list(listeners)},
    }


def https_gateway(**listener_fields: object) -> dict:
    gw = gateway(listener("https", "HTTPS", 443, **listener_fields))
    gw["spec"]["infrastructure"] = {
        "parametersRef": {"group": "gateway.k8s.aws", "kind": "LoadBalancerConfiguration", "name": "cfg"}
    }
    return gw


CASES = [
    case(
        "https-with-certificate",
        INGRESS_CERTIFICATES,
        [ingress(annotations={**HTTPS, A + "certificate-arn": SEOUL})],
    ),
    case(
        "https-with-host-for-discovery",
        INGRESS_CERTIFICATES,
        [ingress(host="shop.example.com", annotations=HTTPS)],
    ),
    case(
        "https-with-neither",
        INGRESS_CERTIFICATES,
        [ingress(annotations=HTTPS)],
        [(NO_CERTIFICATE, "error", at(A + "listen-ports"))],
    ),
    case(
        "group-member-brings-the-certificate",
        INGRESS_CERTIFICATES,
        [
            ingress(name="a", annotations={**HTTPS, A + "group.name": "g"}),
            ingress(name="b", annotations={**HTTPS, A + "group.name": "g", A + "certificate-arn": SEOUL}),
        ],
    ),
    case(
        "certificate-in-region",
        CERTIFICATE_REGIONS,
        [service(annotations={N + "ssl-cert": SEOUL})],
        values=IN_SEOUL,
    ),
    case(
        "certificate-in-another-region",
        CERTIFICATE_REGIONS,
        [service(annotations={N + "ssl-cert": VIRGINIA})],
        [(CERTIFICATE_REGION, "error", at(N + "ssl-cert"))],
        IN_SEOUL,
    ),
    case(
        "certificate-in-another-partition",
        CERTIFICATE_REGIONS,
        [ingress(annotations={A + "certificate-arn": SEOUL.replace("arn:aws:", "arn:aws-cn:")})],
        [(CERTIFICATE_REGION, "error", at(A + "certificate-arn"))],
        IN_SEOUL,
    ),
    case(
        "lb-configuration-certificate-in-another-region",
        CERTIFICATE_REGIONS,
        [lb_config({"protocolPort": "HTTPS:443", "defaultCertificate": VIRGINIA})],
        [(CERTIFICATE_REGION, "error", "spec.listenerConfigurations[0].defaultCertificate")],
        IN_SEOUL,
    ),
    case(
        "region-unknown-without-values",
        CERTIFICATE_REGIONS,
        [service(annotations={N + "ssl-cert": VIRGINIA})],
    ),
    case(
        "ssl-ports-without-certificate",
        SERVICE_TLS,
        [service(annotations={N + "ssl-ports": "443"})],
        [(SSL_PORTS_WITHOUT_CERT, "error", at(N + "ssl-ports"))],
    ),
    case(
        "gateway-https-with-configured-certificate",
        GATEWAY_LISTENERS,
        [
            gateway_class(),
            https_gateway(),
            lb_config({"protocolPort": "HTTPS:443", "defaultCertificate": SEOUL}),
            route(parents=[{"name": "gw", "sectionName": "https"}]),
        ],
    ),
    case(
        "gateway-https-with-route-hostnames",
        GATEWAY_LISTENERS,
        [
            gateway_class(),
            https_gateway(),
            lb_config(),
            route(parents=[{"name": "gw"}], hostnames=["shop.example.com"]),
        ],
    ),
    case(
        "gateway-https-with-nothing-to-discover-by",
        GATEWAY_LISTENERS,
        [gateway_class(), https_gateway(), lb_config(), route(parents=[{"name": "gw"}])],
        [(NO_CERTIFICATE, "error", "spec.listeners[0]")],
    ),
]


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_tls(lint: Lint, objects: list, values: dict, expected: list) -> None:
    assert outcomes(objects, lint, values) == expected


def test_a_listener_without_routes_is_not_created_on_the_whole_set_only() -> None:
    objects = [
        gateway_class(),
        https_gateway(),
        lb_config({"protocolPort": "HTTPS:443", "defaultCertificate": SEOUL}),
    ]
    assert outcomes(objects, GATEWAY_LISTENERS) == []  # routes may live elsewhere in a partial input
    [finding] = lint_findings(objects, GATEWAY_LISTENERS, whole_set=True)
    assert (finding.rule, finding.severity.value, finding.path) == (
        LISTENER_NOT_CREATED,
        "warning",
        "spec.listeners[0]",
    )
    assert "LBC creates no load balancer listener" in finding.message
