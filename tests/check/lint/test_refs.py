"""Duplicate objects and class references (GatewayClass, IngressClass)."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.lint.refs import (
    DUPLICATE,
    DUPLICATES,
    GATEWAY_CLASS_MISSING,
    GATEWAY_CLASSES,
    INGRESS_CLASS_MISSING,
    INGRESS_CLASSES,
)
from eksnet_manifests.check.values_files import LBC

from .manifests import case, gateway, gateway_class, ingress, metadata, outcomes, service

INGRESS_CLASS = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "IngressClass",
    "metadata": metadata("nginx", None),
}
CLASS_PATH = "spec.ingressClassName"

CASES = [
    case("duplicate-service", DUPLICATES, [service(), service()], [(DUPLICATE, "error", "")]),
    case("same-name-other-namespace", DUPLICATES, [service(), service(ns="billing")]),
    case("same-name-other-kind", DUPLICATES, [service(), ingress()]),
    case("gateway-class-present", GATEWAY_CLASSES, [gateway(), gateway_class()]),
    case(
        "gateway-class-absent",
        GATEWAY_CLASSES,
        [gateway()],
        [(GATEWAY_CLASS_MISSING, "warning", "spec.gatewayClassName")],
    ),
    case("ingress-class-object-present", INGRESS_CLASSES, [ingress(class_name="nginx"), INGRESS_CLASS]),
    case(
        "ingress-class-created-by-lbc-chart", INGRESS_CLASSES, [ingress(class_name="alb")], values={LBC: {}}
    ),
    case(
        "ingress-class-renamed-in-lbc-chart",
        INGRESS_CLASSES,
        [ingress(class_name="alb-internal")],
        values={LBC: {"ingressClass": "alb-internal"}},
    ),
    case(
        "ingress-class-not-created-by-lbc-chart",
        INGRESS_CLASSES,
        [ingress(class_name="alb")],
        [(INGRESS_CLASS_MISSING, "warning", CLASS_PATH)],
        values={LBC: {"createIngressClassResource": False}},
    ),
    case(
        "ingress-class-absent-without-values",
        INGRESS_CLASSES,
        [ingress(class_name="alb")],
        [(INGRESS_CLASS_MISSING, "warning", CLASS_PATH)],
    ),
    case("ingress-without-class-name", INGRESS_CLASSES, [ingress()]),
]


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_object_and_class_references(lint: Lint, objects: list, values: dict, expected: list) -> None:
    # GIVEN objects and their class references; WHEN linted; THEN exactly the expected findings
    assert outcomes(objects, lint, values) == expected
