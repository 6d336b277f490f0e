"""Service references from routes, Ingresses and TargetGroupConfigurations."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.lint.backends import (
    INGRESS_BACKENDS,
    NOT_GRANTED,
    PORT_MISSING,
    ROUTE_BACKENDS,
    SERVICE_MISSING,
    TGC_TARGET_MISSING,
    TGC_TARGETS,
)

from .manifests import (
    case,
    gateway,
    ingress,
    outcomes,
    reference_grant,
    route,
    service,
    target_group_configuration,
)

BACKEND = "spec.rules[0].backendRefs[0]"
INGRESS_BACKEND = "spec.rules[0].http.paths[0].backend.service"
TO_BILLING = ({"name": "web", "namespace": "billing", "port": 80},)

ROUTE_CASES = [
    case("route-backend-resolves", ROUTE_BACKENDS, [gateway(), route(), service()]),
    case("route-backend-service-absent", ROUTE_BACKENDS, [route()], [(SERVICE_MISSING, "warning", BACKEND)]),
    case(
        "route-backend-port-undeclared",
        ROUTE_BACKENDS,
        [route(backends=[{"name": "web", "port": 8080}]), service()],
        [(PORT_MISSING, "error", BACKEND)],
    ),
    case(
        "route-backend-target-group-name-is-not-a-service",
        ROUTE_BACKENDS,
        [route(backends=[{"group": "", "kind": "TargetGroupName", "name": "legacy-tg"}])],
    ),
    case(
        "route-backend-cross-namespace-without-grant",
        ROUTE_BACKENDS,
        [route(backends=TO_BILLING), service(ns="billing")],
        [(NOT_GRANTED, "warning", BACKEND)],
    ),
    case(
        "route-backend-cross-namespace-granted",
        ROUTE_BACKENDS,
        [route(backends=TO_BILLING), service(ns="billing"), reference_grant("billing", "HTTPRoute", "shop")],
    ),
    case(
        "route-backend-grant-names-other-service",
        ROUTE_BACKENDS,
        [
            route(backends=TO_BILLING),
            service(ns="billing"),
            reference_grant("billing", "HTTPRoute", "shop", "api"),
        ],
        [(NOT_GRANTED, "warning", BACKEND)],
    ),
    case(
        "route-backend-grant-for-other-route-kind",
        ROUTE_BACKENDS,
        [route(backends=TO_BILLING), service(ns="billing"), reference_grant("billing", "GRPCRoute", "shop")],
        [(NOT_GRANTED, "warning", BACKEND)],
    ),
]

INGRESS_CASES = [
    case("ingress-port-number-resolves", INGRESS_BACKENDS, [ingress(), service()]),
    case("ingress-port-name-resolves", INGRESS_BACKENDS, [ingress({"name": "http"}), service()]),
    case(
        "ingress-port-name-undeclared",
        INGRESS_BACKENDS,
        [ingress({"name": "https"}), service()],
        [(PORT_MISSING, "error", INGRESS_BACKEND)],
    ),
    case(
        "ingress-service-absent",
        INGRESS_BACKENDS,
        [ingress()],
        [(SERVICE_MISSING, "warning", INGRESS_BACKEND)],
    ),
    case(
        "ingress-annotation-action-is-not-a-service", INGRESS_BACKENDS, [ingress({"name": "use-annotation"})]
    ),
    case(
        "ingress-default-backend-absent",
        INGRESS_BACKENDS,
        [ingress(defaultBackend={"service": {"name": "fallback", "port": {"number": 80}}}), service()],
        [(SERVICE_MISSING, "warning", "spec.defaultBackend.service")],
    ),
]

TGC_CASES = [
    case("tgc-target-service-present", TGC_TARGETS, [target_group_configuration({"name": "web"}), service()]),
    case(
        "tgc-target-service-absent",
        TGC_TARGETS,
        [target_group_configuration({"name": "web"}), service(ns="billing")],
        [(TGC_TARGET_MISSING, "warning", "spec.targetReference")],
    ),
    case("tgc-without-target-is-a-default", TGC_TARGETS, [target_group_configuration(None)]),
    case(
        "tgc-target-gateway-present",
        TGC_TARGETS,
        [
            target_group_configuration(
                {"kind": "Gateway", "group": "gateway.networking.k8s.io", "name": "gw"}
            ),
            gateway(),
        ],
    ),
]

CASES = ROUTE_CASES + INGRESS_CASES + TGC_CASES


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_service_references(lint: Lint, objects: list, values: dict, expected: list) -> None:
    # GIVEN an object referring to a Service; WHEN linted; THEN exactly the expected findings
    assert outcomes(objects, lint, values) == expected
