"""cdk8s synthesises exactly the objects the builders planned, whichever way they are handed to it."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cdk8s
import pytest

from eksnet_manifests.profile.load import load_profile
from eksnet_manifests.synth import cdk8s_app
from eksnet_manifests.synth.bundle import build_bundle
from eksnet_manifests.synth.chart import ChartPlan, Manifest, object_id

REPO = Path(__file__).resolve().parents[2]

# Values a YAML round trip under the 1.1 schema could turn into something else.
TRICKY_STRINGS = {
    "bools": "yes", "on": "on", "off": "Off", "null": "null", "tilde": "~", "empty": "",
    "exponent": "1e3", "octal": "0777", "sexagesimal": "1:30", "float": "1.0", "merge": "<<",
    "unicode": "héllo ☃ 😀", "separator": "\u2028", "delete": "x\x7fy", "control": "\x00\x1b",
    "quotes": "a\"b'c\\d", "lines": "one\ntwo\r\n", "tab": "\tx", "colon": "k: v", "comment": "# x",
    "document": "---", "indicator": "- x", "anchor": "&a *a", "tag": "!!int 3", "spaces": " lead ",
}  # fmt: skip


def _config_map(name: str, namespace: str | None = "default", **data: Any) -> Manifest:
    metadata: dict[str, Any] = {"name": name, "labels": {"app.kubernetes.io/name": name}}
    if namespace:
        metadata["namespace"] = namespace
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data}


def _plan() -> ChartPlan:
    tricky = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "tricky", "namespace": "weird", "annotations": {"a/b": "yes", "c": "1e3"}},
        "spec": {
            "strings": TRICKY_STRINGS,
            "numbers": [0, -1, 7, 2**53, 0.5, 1e-05, 1.5e300, -2.25],
            "booleans": [True, False],
            "empty": {"map": {}, "list": [], "nested": [{}, []]},
            "<<": {"merge": "a key, not a merge"},
            "yes": "a key that reads as a boolean",
        },
        "status": {"phase": "Ready"},
    }
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "weird"}}
    return ChartPlan(
        "cluster",
        (
            ("platform/namespaces.yaml", (namespace,)),
            ("apps/tricky.yaml", (tricky, _config_map("tricky", "weird", key="on"))),
            ("apps/many.yaml", tuple(_config_map(f"many-{i}", value=str(i)) for i in range(12))),
        ),
    )


@pytest.fixture(params=["api-objects", "include", "split-include"])
def synthesis(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """GIVEN objects handed to cdk8s one ApiObject each, in one Include, or in several Includes."""
    if request.param == "api-objects":
        monkeypatch.setattr(cdk8s_app, "INCLUDE_FROM", 1 << 30)
    else:
        monkeypatch.setattr(cdk8s_app, "INCLUDE_FROM", 0)
    if request.param == "split-include":
        monkeypatch.setattr(cdk8s_app, "INCLUDE_LIMIT", 1500)
    return str(request.param)


def test_synthesized_files_hold_exactly_the_planned_objects(synthesis: str) -> None:
    plan = _plan()
    synthesized = cdk8s_app.synthesize(plan)
    assert synthesized == [list(objects) for _, objects in plan.files]
    # Equal as JSON too, so no int became a float or a bool (cdk8s sorts keys; render orders them).
    as_json = json.dumps(synthesized, sort_keys=True)
    assert as_json == json.dumps([list(objects) for _, objects in plan.files], sort_keys=True)


def test_chart_owns_one_construct_per_include_with_children_named_for_their_objects(synthesis: str) -> None:
    plan = _plan()
    chart = cdk8s_app.build_chart(plan)
    scopes = chart.node.children
    names = [scope.node.id for scope in scopes]
    if synthesis == "split-include":
        assert len(names) > 1
        assert names == ["Manifests", *(f"Manifests-{i}" for i in range(2, len(names) + 1))]
    else:
        assert names == ["Manifests"]
    children = [child.node.id for scope in scopes for child in scope.node.children]
    assert children == [object_id(obj) for obj in plan.objects()]


def test_each_cluster_chart_is_alone_in_its_app() -> None:
    # cdk8s resolves and validates a whole App on every chart.to_json(): charts sharing an App
    # would make synthesis quadratic in the number of charts.
    chart = cdk8s_app.build_chart(_plan())
    assert [child.node.id for child in cdk8s.App.of(chart).node.children] == ["cluster"]


@pytest.mark.parametrize("limit", [1, 400, 1500, 1 << 20])
def test_include_documents_fill_each_file_up_to_the_limit_in_object_order(limit: int) -> None:
    objects = _plan().objects()
    texts = list(cdk8s_app._documents(objects, limit))
    assert [json.loads(doc) for text in texts for doc in text.split("\n---\n")] == objects
    # Over the limit only when one object alone is larger; no two neighbours would fit in one.
    assert all(len(text) <= limit for text in texts if "\n---\n" in text)
    neighbours = itertools.pairwise(texts)
    assert all(len(first) + len("\n---\n") + len(second) > limit for first, second in neighbours)
    assert len(texts) == {1: len(objects), 1 << 20: 1}.get(limit, len(texts))


def _values(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)


@pytest.mark.parametrize(
    "profile",
    ["profiles/myeks.yaml", "tests/golden/minimal/profile.yaml", "tests/fixtures/profiles/minimal.yaml"],
)
def test_builders_never_emit_null_values(profile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # An Include drops null values (cdk8s sanitizes included objects) where JSON patches keep them,
    # so a null would render differently in a small cluster and a large one.
    monkeypatch.setattr(cdk8s_app, "INCLUDE_FROM", 1 << 30)
    bundle = build_bundle(load_profile(REPO / profile).profile)
    assert [path for path, obj in bundle.manifests() if any(v is None for v in _values(obj))] == []
