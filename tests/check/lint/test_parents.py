"""Route parentRefs: Gateway present, listener selected, kind and namespace admitted."""

from __future__ import annotations

from typing import Any

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.lint.parents import (
    KIND_NOT_ALLOWED,
    LISTENER_MISSING,
    NAMESPACE_NOT_ALLOWED,
    PARENT_MISSING,
    ROUTE_PARENTS,
)

from .manifests import case, gateway, listener, namespace, outcomes, route

REF = "spec.parentRefs[0]"
LISTENER_SET_X = ({"name": "extra", "kind": "ListenerSet", "sectionName": "x"},)


def listener_set(
    name: str, *listeners: dict[str, Any], ns: str = "shop", gateway_ns: str = "infra"
) -> dict[str, Any]:
    return {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "ListenerSet",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"parentRef": {"name": "gw", "namespace": gateway_ns}, "listeners": list(listeners)},
    }


FROM_INFRA = ({"name": "gw", "namespace": "infra"},)


def selector_listener(selector: dict[str, Any]) -> dict[str, Any]:
    return listener(allowedRoutes={"namespaces": {"from": "Selector", "selector": selector}})


CASES = [
    case("attached-to-listener", ROUTE_PARENTS, [gateway(), route()]),
    case("gateway-absent", ROUTE_PARENTS, [route()], [(PARENT_MISSING, "warning", REF)]),
    case(
        "section-name-unknown",
        ROUTE_PARENTS,
        [gateway(), route(parents=[{"name": "gw", "sectionName": "https"}])],
        [(LISTENER_MISSING, "error", REF)],
    ),
    case(
        "port-unknown",
        ROUTE_PARENTS,
        [gateway(), route(parents=[{"name": "gw", "port": 443}])],
        [(LISTENER_MISSING, "error", REF)],
    ),
    case(
        "section-name-and-port-match",
        ROUTE_PARENTS,
        [
            gateway(listener("https", "HTTPS", 443)),
            route(parents=[{"name": "gw", "sectionName": "https", "port": 443}]),
        ],
    ),
    case(
        "tcp-route-on-http-listener",
        ROUTE_PARENTS,
        [gateway(), route(kind="TCPRoute")],
        [(KIND_NOT_ALLOWED, "error", REF)],
    ),
    case(
        "allowed-kinds-exclude-httproute",
        ROUTE_PARENTS,
        [gateway(listener(allowedRoutes={"kinds": [{"kind": "GRPCRoute"}]})), route()],
        [(KIND_NOT_ALLOWED, "error", REF)],
    ),
    case(
        "tcp-route-on-tls-listener",
        ROUTE_PARENTS,
        [gateway(listener("tls", "TLS", 443)), route(kind="TCPRoute")],
    ),
    case(
        "other-namespace-with-same",
        ROUTE_PARENTS,
        [gateway(ns="infra"), route(parents=FROM_INFRA)],
        [(NAMESPACE_NOT_ALLOWED, "error", REF)],
    ),
    case(
        "other-namespace-with-all",
        ROUTE_PARENTS,
        [
            gateway(listener(allowedRoutes={"namespaces": {"from": "All"}}), ns="infra"),
            route(parents=FROM_INFRA),
        ],
    ),
    case(
        "selector-matches-namespace-labels",
        ROUTE_PARENTS,
        [
            gateway(selector_listener({"matchLabels": {"team": "shop"}}), ns="infra"),
            namespace(labels={"team": "shop"}),
            route(parents=FROM_INFRA),
        ],
    ),
    case(
        "selector-misses-namespace-labels",
        ROUTE_PARENTS,
        [
            gateway(selector_listener({"matchLabels": {"team": "shop"}}), ns="infra"),
            namespace(labels={"team": "billing"}),
            route(parents=FROM_INFRA),
        ],
        [(NAMESPACE_NOT_ALLOWED, "error", REF)],
    ),
    case(
        "selector-on-automatic-name-label",
        ROUTE_PARENTS,
        [
            gateway(
                selector_listener(
                    {
                        "matchExpressions": [
                            {"key": "kubernetes.io/metadata.name", "operator": "In", "values": ["shop"]}
                        ]
                    }
                ),
                ns="infra",
            ),
            namespace(),
            route(parents=FROM_INFRA),
        ],
    ),
    case(
        "selector-without-namespace-object",
        ROUTE_PARENTS,
        [
            gateway(selector_listener({"matchLabels": {"team": "shop"}}), ns="infra"),
            route(parents=FROM_INFRA),
        ],
        [(NAMESPACE_NOT_ALLOWED, "warning", REF)],
    ),
    case(
        "listenerset-parent-missing",
        ROUTE_PARENTS,
        [route(parents=[{"name": "extra", "kind": "ListenerSet"}])],
        [(PARENT_MISSING, "warning", REF)],
    ),
    case(
        "listenerset-listener-admits-its-own-namespace",
        ROUTE_PARENTS,
        [gateway(ns="infra"), listener_set("extra", listener("x", port=8080)), route(parents=LISTENER_SET_X)],
    ),
    case(
        "listenerset-without-the-listener",
        ROUTE_PARENTS,
        [gateway(ns="infra"), listener_set("extra", listener("y", port=8080)), route(parents=LISTENER_SET_X)],
        [(LISTENER_MISSING, "error", REF)],
    ),
    case(
        "listenerset-same-is-the-listenerset-namespace",
        ROUTE_PARENTS,
        [
            gateway(ns="shop"),
            listener_set("extra", listener("x", port=8080), ns="infra", gateway_ns="shop"),
            route(
                parents=[{"name": "extra", "kind": "ListenerSet", "namespace": "infra", "sectionName": "x"}]
            ),
        ],
        [(NAMESPACE_NOT_ALLOWED, "error", REF)],
    ),
    case(
        "listenerset-of-a-missing-gateway",
        ROUTE_PARENTS,
        [listener_set("extra", listener("x", port=8080)), route(parents=LISTENER_SET_X)],
        [(PARENT_MISSING, "warning", REF)],
    ),
]


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_route_parent_refs(lint: Lint, objects: list, values: dict, expected: list) -> None:
    # GIVEN a route and what it attaches to; WHEN linted; THEN exactly the expected findings
    assert outcomes(objects, lint, values) == expected
