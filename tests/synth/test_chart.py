"""A chart plan gives every object its own construct id, or says which files clash."""

from __future__ import annotations

from typing import Any

import pytest

from eksnet_manifests.errors import BuildError
from eksnet_manifests.synth.chart import ChartPlan, object_id


def _object(kind: str, name: str, namespace: str | None = None, api_version: str = "v1") -> dict[str, Any]:
    metadata = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata}


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (_object("Service", "echo", "default"), "echo-service-default"),
        (_object("HTTPRoute", "gwapi", "shop", "gateway.networking.k8s.io/v1"), "gwapi-httproute-shop"),
        (_object("Namespace", "shop"), "shop-namespace"),
    ],
    ids=["namespaced", "custom-resource", "cluster-scoped"],
)
def test_object_id_is_name_kind_namespace(obj: dict[str, Any], expected: str) -> None:
    assert object_id(obj) == expected


def test_plan_keeps_files_and_objects_in_order() -> None:
    first, second, third = (
        _object("Namespace", "a"),
        _object("Service", "b", "a"),
        _object("Service", "c", "a"),
    )
    plan = ChartPlan("myeks", (("platform/namespaces.yaml", (first,)), ("apps/b.yaml", (second, third))))
    assert plan.objects() == [first, second, third]


@pytest.mark.parametrize(
    "other",
    [_object("Service", "echo", "default"), _object("Service", "echo", "default", "example.com/v2")],
    ids=["same-object", "same-kind-name-namespace-other-api-version"],
)
def test_plan_rejects_two_files_declaring_the_same_object(other: dict[str, Any]) -> None:
    files = (("apps/echo.yaml", (_object("Service", "echo", "default"),)), ("apps/copy.yaml", (other,)))
    clash = r"apps/copy\.yaml and apps/echo\.yaml both declare Service default/echo"
    with pytest.raises(BuildError, match=clash):
        ChartPlan("myeks", files)
