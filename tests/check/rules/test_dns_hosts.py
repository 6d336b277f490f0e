"""One hostname, one load balancer."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.rules.dns_hosts import DNS_HOSTS, HOST_ON_MANY
from tests.check.lint.manifests import (
    case,
    gateway,
    gateway_class,
    ingress,
    listener,
    outcomes,
    route,
    service,
)

HOSTNAME = "external-dns.alpha.kubernetes.io/hostname"
A = "alb.ingress.kubernetes.io/"


def nlb(name: str, host: str) -> dict:
    return service(name=name, annotations={HOSTNAME: host}, type="LoadBalancer")


CASES = [
    case("one-service-one-host", DNS_HOSTS, [nlb("a", "shop.example.com")]),
    case(
        "two-services-one-host",
        DNS_HOSTS,
        [nlb("a", "shop.example.com"), nlb("b", "shop.example.com")],
        [(HOST_ON_MANY, "error", f'metadata.annotations["{HOSTNAME}"]')],
    ),
    case(
        "ingress-group-members-share-one-alb",
        DNS_HOSTS,
        [
            ingress(name="a", host="shop.example.com", annotations={A + "group.name": "g"}),
            ingress(name="b", host="shop.example.com", annotations={A + "group.name": "g"}),
        ],
    ),
    case(
        "two-ungrouped-ingresses",
        DNS_HOSTS,
        [ingress(name="a", host="shop.example.com"), ingress(name="b", host="shop.example.com")],
        [(HOST_ON_MANY, "error", "spec.rules[0].host")],
    ),
    case(
        "routes-on-one-gateway",
        DNS_HOSTS,
        [
            gateway_class(),
            gateway(),
            route(name="a", hostnames=["shop.example.com"]),
            route(name="b", hostnames=["shop.example.com"]),
        ],
    ),
    case(
        "route-and-service",
        DNS_HOSTS,
        [
            gateway_class(),
            gateway(listener()),
            route(hostnames=["shop.example.com"]),
            nlb("a", "shop.example.com"),
        ],
        [(HOST_ON_MANY, "error", "spec.hostnames[0]")],
    ),
    case(
        "clusterip-service-has-no-load-balancer",
        DNS_HOSTS,
        [service(name="a", annotations={HOSTNAME: "x.example.com"}), nlb("b", "x.example.com")],
    ),
]


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_one_host_one_load_balancer(lint: Lint, objects: list, values: dict, expected: list) -> None:
    assert outcomes(objects, lint, values) == expected
