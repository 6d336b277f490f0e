"""Objects need their Namespace: in the input, or one Kubernetes creates itself."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.rules.namespaces import NAMESPACE_MISSING, NAMESPACES
from tests.check.lint.manifests import case, namespace, outcomes, service

CASES = [
    case("namespace-in-input", NAMESPACES, [service(), namespace()]),
    case("builtin-namespace", NAMESPACES, [service(ns="kube-system")]),
    case("no-namespace-means-default", NAMESPACES, [{**service(), "metadata": {"name": "web"}}]),
    case(
        "missing-namespace", NAMESPACES, [service()], [(NAMESPACE_MISSING, "warning", "metadata.namespace")]
    ),
    case(
        "cluster-scoped-kind",
        NAMESPACES,
        [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a", "namespace": "x"}}],
    ),
]


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_namespaces(lint: Lint, objects: list, values: dict, expected: list) -> None:
    assert outcomes(objects, lint, values) == expected


def test_missing_namespace_is_an_error_for_the_whole_set() -> None:
    assert outcomes([service()], NAMESPACES, whole_set=True) == [
        (NAMESPACE_MISSING, "error", "metadata.namespace")
    ]
