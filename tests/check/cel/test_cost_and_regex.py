"""CEL as the API server runs it: RE2 regex semantics and the per-rule and per-object cost limits."""

from __future__ import annotations

import time
from typing import Any

import pytest

from eksnet_manifests.check.cel.cost import (
    OUT_OF_BUDGET,
    PER_CALL_LIMIT,
    CostBudget,
    estimated_cost,
    estimated_costs,
    largest_collection,
    rule_shape,
)
from eksnet_manifests.check.cel.runtime import CelValidator
from eksnet_manifests.check.schema.structural import compile_node, prepare


@pytest.mark.parametrize("function", ["matches", "find", "findAll"])
@pytest.mark.parametrize(
    ("pattern", "reason"),
    [("(a)\\\\1", "invalid escape sequence"), ("a(?=b)", "invalid perl operator"), ("[ab", "missing ]")],
    ids=["backreference", "lookahead", "unclosed-class"],
)
def test_pattern_re2_rejects_is_an_error(evaluate, function: str, pattern: str, reason: str) -> None:
    result = evaluate(f"'aab'.{function}('{pattern}')")
    assert result[0] == "error" and reason in result[1]


@pytest.mark.parametrize("function", ["matches", "find", "findAll"])
def test_backtracking_pattern_runs_in_linear_time(evaluate, function: str) -> None:
    start = time.perf_counter()
    evaluate(f"self.{function}('^(a+)+$')", "a" * 50_000 + "!")
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("'v1.2.3'.find('[0-9]+')", "1"),
        ("'v1.2.3'.findAll('[0-9]+', 2)", ["1", "2"]),
        ("'٣4'.find('\\\\d+')", "4"),  # RE2's \d is ASCII, as in Go
    ],
    ids=["find", "find-all-limit", "ascii-digit-class"],
)
def test_find_uses_re2_semantics(evaluate, expression: str, expected: Any) -> None:
    assert evaluate(expression) == expected


@pytest.mark.parametrize(
    ("rule", "depth"),
    [
        ("self.size() > 1", 0),
        ("self.all(x, x > 0)", 1),
        ("self.all(x, self.exists(y, x == y))", 2),
        ("self.map(x, x).all(y, y > 0)", 1),
        ("self.all(a, self.all(b, self.all(c, a + b + c > 0)))", 3),
        ("'.all(x, .all(y, 1))'.size() > 0", 0),
    ],
    ids=["no-macro", "one", "nested", "chained", "triple", "in-string-literal"],
)
def test_rule_shape_counts_comprehension_nesting(rule: str, depth: int) -> None:
    assert rule_shape(rule).depth == depth


def _schema(rule: str, max_items: int | None = None) -> dict[str, Any]:
    items: dict[str, Any] = {"type": "array", "items": {"type": "integer"}}
    return {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "properties": {"values": items},
                "x-kubernetes-validations": [{"rule": rule, "message": "checked"}],
            }
        },
    }


def _outcomes(rule: str, values: list[int], budget: CostBudget | None = None) -> list[str]:
    prepared = prepare({"spec": {"values": values}}, compile_node(_schema(rule)))
    validator = CelValidator()
    return [o.message for point in prepared.checkpoints for o in validator.check(point, budget)]


def test_rule_too_costly_for_its_object_is_reported_not_run() -> None:
    # GIVEN a cubic rule over 2,000 items (8e9 steps: minutes here, cancelled by the API server)
    rule = "self.values.all(a, self.values.all(b, self.values.all(c, a + b + c >= 0)))"
    start = time.perf_counter()
    [message] = _outcomes(rule, list(range(2000)))
    # THEN it is reported at once, worded as the API server's cancellation
    assert time.perf_counter() - start < 1.0
    assert "over the API server's per-rule limit of 1,000,000" in message
    assert "actual cost limit exceeded" in message


def test_the_same_rule_on_a_small_object_runs() -> None:
    rule = "self.values.all(a, self.values.all(b, a != b || a == b)) && self.values.size() > 5"
    assert _outcomes(rule, list(range(5))) == ["checked"]
    assert estimated_cost(rule, {"values": list(range(5))}) < 1_000


@pytest.mark.parametrize(
    "value",
    [{"values": list(range(5))}, {"values": list(range(300)), "m": {str(i): i for i in range(40)}}, {}],
    ids=["small-list", "large-list-and-map", "empty"],
)
def test_costs_of_rules_at_one_point_are_each_rules_own_estimate(value: dict[str, object]) -> None:
    # GIVEN rules with and without macros at one point; WHEN costed together (the value measured once)
    rules = [
        "self.values.all(a, self.values.all(b, a != b))",
        "self.m.size() > 1",
        "self.values.exists(v, v > 3)",
    ]
    costs = estimated_costs(rules, value)
    # THEN each is what its own shape and the value's largest collection make it
    largest = max(largest_collection(value, PER_CALL_LIMIT), 1)
    shapes = [rule_shape(rule) for rule in rules]
    assert costs == [shape.operations * (largest**shape.depth if shape.depth else 1) for shape in shapes]


def test_rules_of_one_object_share_one_budget() -> None:
    # GIVEN an object budget nearly spent by its earlier rules
    budget = CostBudget(remaining=10)
    # WHEN a rule costing more than what is left is reached THEN validation stops as the API server's does
    assert _outcomes("self.values.all(x, x >= 0)", list(range(100)), budget) == [OUT_OF_BUDGET]
    assert budget.exhausted
    assert _outcomes("self.values.size() == 0", [], budget) == []


def test_validate_reports_a_too_costly_rule_as_a_cel_cost_warning(tmp_path) -> None:
    import yaml

    from eksnet_manifests.check.findings import Severity
    from eksnet_manifests.check.validate import ValidateOptions, validate_paths

    rule = "self.values.all(a, self.values.all(b, self.values.all(c, a + b + c >= 0)))"
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": {"kind": "Widget", "plural": "widgets", "singular": "widget", "listKind": "WidgetList"},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": {"type": "object", **_schema(rule)}},
                }
            ],
        },
    }
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    widget["spec"] = {"values": list(range(2000))}
    (tmp_path / "w.yaml").write_text(yaml.safe_dump_all([crd, widget]))
    findings = [f for f in validate_paths([tmp_path], ValidateOptions()).findings if f.kind == "Widget"]
    assert [(f.rule, f.severity, f.path) for f in findings] == [("cel-cost", Severity.WARNING, "spec")]
