"""Listener and class conditions, backend kinds and shadowed matches, with the spec's reason names."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.rules.gateway_status import (
    BACKEND_KIND,
    CLASS_PARAMETERS,
    GATEWAY_LISTENER_STATUS,
    GATEWAY_PARAMETERS,
    LISTENER_CERTIFICATE,
    LISTENER_CONFLICTED,
    LISTENER_ROUTE_KINDS,
    MATCH_SHADOWED,
    ROUTE_BACKEND_KINDS,
    ROUTE_MATCHES,
)
from tests.check.lint.manifests import case, gateway, gateway_class, lint_findings, listener, outcomes, route

OTHER = "example.com/gateway"


def with_rules(obj: dict, *rules: dict) -> dict:
    obj["spec"]["rules"] = list(rules)
    return obj


def path_rule(value: str, service: str = "web") -> dict:
    return {
        "matches": [{"path": {"type": "PathPrefix", "value": value}}],
        "backendRefs": [{"name": service, "port": 80}],
    }


CASES = [
    case(
        "http-and-https-on-one-port",
        GATEWAY_LISTENER_STATUS,
        [gateway(listener("a", "HTTP", 80), listener("b", "HTTPS", 80))],
        [(LISTENER_CONFLICTED, "error", "spec.listeners[1]")],
    ),
    case(
        "same-port-same-hostname",
        GATEWAY_LISTENER_STATUS,
        [gateway(listener("a", hostname="x.example.com"), listener("b", hostname="x.example.com"))],
        [(LISTENER_CONFLICTED, "error", "spec.listeners[1]")],
    ),
    case(
        "same-port-other-hostnames",
        GATEWAY_LISTENER_STATUS,
        [gateway(listener("a", hostname="x.example.com"), listener("b", hostname="y.example.com"))],
    ),
    case(
        "tcp-and-udp-share-a-port",
        GATEWAY_LISTENER_STATUS,
        [gateway(listener("a", "TCP", 53), listener("b", "UDP", 53))],
    ),
    case(
        "route-kind-the-protocol-cannot-carry",
        GATEWAY_LISTENER_STATUS,
        [gateway(listener(allowedRoutes={"kinds": [{"kind": "TCPRoute"}]}))],
        [(LISTENER_ROUTE_KINDS, "error", "spec.listeners[0].allowedRoutes.kinds[0]")],
    ),
    case(
        "certificate-secret-missing-on-another-controller",
        GATEWAY_LISTENER_STATUS,
        [
            gateway_class("other", OTHER),
            gateway(
                listener("https", "HTTPS", 443, tls={"certificateRefs": [{"name": "cert"}]}),
                class_name="other",
            ),
        ],
        [(LISTENER_CERTIFICATE, "warning", "spec.listeners[0].tls.certificateRefs[0]")],
    ),
    case(
        "certificate-refs-left-to-the-lbc-lint",
        GATEWAY_LISTENER_STATUS,
        [
            gateway_class(),
            gateway(listener("https", "HTTPS", 443, tls={"certificateRefs": [{"name": "cert"}]})),
        ],
    ),
    case(
        "class-parameters-missing",
        GATEWAY_PARAMETERS,
        [
            gateway_class()
            | {
                "spec": {
                    "controllerName": "gateway.k8s.aws/alb",
                    "parametersRef": {
                        "group": "gateway.k8s.aws",
                        "kind": "LoadBalancerConfiguration",
                        "name": "cfg",
                        "namespace": "shop",
                    },
                }
            }
        ],
        [(CLASS_PARAMETERS, "warning", "spec.parametersRef")],
    ),
    case(
        "backend-kind-lbc-cannot-route-to",
        ROUTE_BACKEND_KINDS,
        [
            gateway_class(),
            gateway(),
            route(backends=[{"kind": "ServiceImport", "group": "multicluster.x-k8s.io", "name": "web"}]),
        ],
        [(BACKEND_KIND, "error", "spec.rules[0].backendRefs[0]")],
    ),
    case(
        "backend-target-group-name",
        ROUTE_BACKEND_KINDS,
        [gateway_class(), gateway(), route(backends=[{"kind": "TargetGroupName", "name": "tg"}])],
    ),
    case(
        "same-match-in-two-routes",
        ROUTE_MATCHES,
        [
            gateway(),
            with_rules(route(name="a"), path_rule("/cart")),
            with_rules(route(name="b"), path_rule("/cart", "other")),
        ],
        [(MATCH_SHADOWED, "error", "spec.rules[0]")],
    ),
    case(
        "same-path-other-hostnames",
        ROUTE_MATCHES,
        [
            gateway(),
            with_rules(route(name="a", hostnames=["a.example.com"]), path_rule("/")),
            with_rules(route(name="b", hostnames=["b.example.com"]), path_rule("/")),
        ],
    ),
    case(
        "repeated-match-within-a-route",
        ROUTE_MATCHES,
        [gateway(), with_rules(route(), path_rule("/a"), path_rule("/a"))],
        [(MATCH_SHADOWED, "warning", "spec.rules[1]")],
    ),
    case(
        "rules-without-matches-both-match-everything",
        ROUTE_MATCHES,
        [gateway(), route(name="a"), route(name="b")],
        [(MATCH_SHADOWED, "error", "spec.rules[0]")],
    ),
]


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_gateway_status(lint: Lint, objects: list, values: dict, expected: list) -> None:
    assert outcomes(objects, lint, values) == expected


@pytest.mark.parametrize(
    ("objects", "condition"),
    [
        (
            [gateway(listener("a", "HTTP", 80), listener("b", "HTTPS", 80))],
            "Conflicted=True (ProtocolConflict)",
        ),
        (
            [gateway(listener(allowedRoutes={"kinds": [{"kind": "UDPRoute"}]}))],
            "ResolvedRefs=False (InvalidRouteKinds)",
        ),
    ],
    ids=["protocol-conflict", "invalid-route-kinds"],
)
def test_listener_findings_name_condition_and_reason(objects: list, condition: str) -> None:
    [finding] = lint_findings(objects, GATEWAY_LISTENER_STATUS)
    assert condition in finding.message


@pytest.mark.parametrize(
    ("objects", "lint_name", "condition"),
    [
        (
            [gateway(), route(parents=[{"name": "gw", "sectionName": "nope"}])],
            "route-parents",
            "Accepted=False (NoMatchingParent)",
        ),
        (
            [gateway(listener("tcp", "TCP", 9000)), route()],
            "route-parents",
            "Accepted=False (NotAllowedByListeners)",
        ),
        (
            [gateway(listener(hostname="a.example.com")), route(hostnames=["b.example.com"])],
            "route-hostnames",
            "Accepted=False (NoMatchingListenerHostname)",
        ),
        ([route()], "route-backends", "ResolvedRefs=False (BackendNotFound)"),
        (
            [route(backends=[{"name": "web", "namespace": "other", "port": 80}])],
            "route-backends",
            "ResolvedRefs=False (RefNotPermitted)",
        ),
    ],
    ids=[
        "no-matching-parent",
        "not-allowed-by-listeners",
        "no-matching-listener-hostname",
        "backend-not-found",
        "ref-not-permitted",
    ],
)
def test_route_attachment_findings_name_the_condition_a_controller_reports(
    objects: list, lint_name: str, condition: str
) -> None:
    from eksnet_manifests.check.lint import LINTS

    [lint] = [lint for lint in LINTS if lint.id == lint_name]
    assert any(condition in finding.message for finding in lint_findings(objects, lint))
