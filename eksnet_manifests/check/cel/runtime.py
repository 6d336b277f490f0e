"""``x-kubernetes-validations`` with the cel-expr-python runtime (CEL C++); the only user of a CEL library.

Per schema node, every rule is compiled once, then joined into one list-valued program, so one
evaluation (one binding of ``self``) checks them all. Only when that program fails as a whole (a rule
hit a runtime error) are the rules run one by one, to say which. Rules the runtime cannot compile are
reported as ``cel-unsupported`` warnings, never dropped.

The runtime takes timestamps and durations only as typed variables, not inside a dynamic ``self``, so
``date``, ``date-time`` and ``duration`` fields reach rules as strings (Kubernetes types them). A rule
that then finds no overload on such a node is reported as ``cel-unsupported`` rather than as a failure.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from eksnet_manifests.check.cel import library as lib
from eksnet_manifests.check.cel.cost import OUT_OF_BUDGET, PER_CALL_LIMIT, CostBudget, estimated_costs
from eksnet_manifests.check.schema.structural import Checkpoint, Node, Rule

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class RuleOutcome:
    """A rule that did not pass: it failed, could not be evaluated, or could not be compiled."""

    rule: Rule
    path: Path
    message: str
    unsupported: bool = False
    over_budget: bool = False
    """Not run: its estimated cost is over the API server's limits (an estimate, so a warning)."""


@dataclass
class _Plan:
    rules: list[tuple[Rule, Any]]  # compilable rules that run on create, with their programs
    unsupported: list[tuple[Rule, str]]
    combined: Any


class CelValidator:
    """Compiles rules on first use and caches the programs per schema node (and per source text)."""

    def __init__(self) -> None:
        self._env: Any = None
        self._programs: dict[str, Any] = {}
        self._plans: dict[Node, _Plan] = {}

    def check(self, point: Checkpoint, budget: CostBudget | None = None) -> list[RuleOutcome]:
        """Outcomes of the rules at ``point``; ``budget`` is the object's runtime cost budget."""
        plan = self._plans.get(point.node)
        if plan is None:
            plan = self._plans[point.node] = self._plan(point.node)
        outcomes = [
            RuleOutcome(rule, point.path, f"rule cannot be compiled, so it was not checked: {error}", True)
            for rule, error in plan.unsupported
        ]
        budget = budget if budget is not None else CostBudget()
        if not plan.rules or budget.exhausted:
            return outcomes
        costs = estimated_costs([rule.source for rule, _ in plan.rules], point.value)
        affordable = [
            (rule, program)
            for (rule, program), cost in zip(plan.rules, costs, strict=True)
            if cost <= PER_CALL_LIMIT
        ]
        total = sum(cost for cost in costs if cost <= PER_CALL_LIMIT)
        if total > budget.remaining:
            budget.exhausted = True
            return [*outcomes, RuleOutcome(plan.rules[0][0], point.path, OUT_OF_BUDGET, over_budget=True)]
        budget.remaining -= total
        outcomes += [
            RuleOutcome(rule, point.path, _over_limit(cost), over_budget=True)
            for (rule, _), cost in zip(plan.rules, costs, strict=True)
            if cost > PER_CALL_LIMIT
        ]
        data = {"self": to_cel(point.value, point.node)}
        if len(affordable) == len(plan.rules):
            results = _run(plan.combined, data)
            if isinstance(results, list) and all(isinstance(r, bool) for r in results):
                failed = [rule for (rule, _), passed in zip(plan.rules, results, strict=True) if not passed]
                outcomes.extend(self._failure(rule, point.path, data) for rule in failed)
                return outcomes
        for rule, program in affordable:
            result = _run(program, data)
            if isinstance(result, _Error) and point.node.time_strings and "No matching overloads" in result:
                message = f"rule reads date/time fields, which this CEL runtime sees as strings: {result}"
                outcomes.append(RuleOutcome(rule, point.path, message, True))
            elif isinstance(result, _Error):
                outcomes.append(RuleOutcome(rule, _rule_path(point.path, rule), _error_text(rule, result)))
            elif result is not True:
                outcomes.append(self._failure(rule, point.path, data))
        return outcomes

    def _failure(self, rule: Rule, path: Path, data: dict[str, Any]) -> RuleOutcome:
        message = rule.message or f"failed rule: {rule.rule}"
        if rule.message_expression:
            program = self._program(rule.message_expression)
            text = _run(program, data)
            # The API server falls back to ``message`` when the expression fails or says nothing usable.
            if isinstance(text, str) and not isinstance(text, _Error) and text.strip() and "\n" not in text:
                message = text
        return RuleOutcome(rule, _rule_path(path, rule), _REASON_PREFIX.get(rule.reason or "", "") + message)

    def _plan(self, node: Node) -> _Plan:
        rules: list[tuple[Rule, Any]] = []
        unsupported: list[tuple[Rule, str]] = []
        for rule in node.rules:
            if rule.is_transition:
                continue
            program = self._program(rule.source)
            if isinstance(program, str):
                unsupported.append((rule, program))
            else:
                rules.append((rule, program))
        combined = None
        if rules:
            source = "[" + ",".join(f"(\n{rule.source}\n)" for rule, _ in rules) + "]"
            combined = self._program(source)
        return _Plan(rules, unsupported, combined)

    def _program(self, source: str) -> Any:
        """The compiled program, or the compiler's message as a string."""
        if source not in self._programs:
            try:
                self._programs[source] = self.env.compile(source)
            except RuntimeError as exc:
                self._programs[source] = _compile_message(str(exc))
        return self._programs[source]

    @property
    def env(self) -> Any:
        if self._env is None:
            self._env = new_environment()
        return self._env


# ``reason`` picks the kind of field error, and so its wording (k8s.io/apimachinery field.ErrorType).
_REASON_PREFIX = {
    "FieldValueForbidden": "Forbidden: ",
    "FieldValueRequired": "Required value: ",
    "FieldValueDuplicate": "Duplicate value: ",
}


class _Error(str):
    """A CEL runtime error, as its text."""


def _run(program: Any, data: dict[str, Any]) -> Any:
    if isinstance(program, str):
        return _Error(program)
    result = program.eval(data=data)
    if result.type() == _error_type():
        return _Error(result.value())
    return result.plain_value()


def _over_limit(cost: int) -> str:
    return (
        f"not run: on this object the rule is estimated to cost up to {cost:,}, over the API server's "
        f"per-rule limit of {PER_CALL_LIMIT:,}; if it really does, the API server stops it (operation "
        "cancelled: actual cost limit exceeded) and refuses the object"
    )


def _error_text(rule: Rule, error: str) -> str:
    """Worded as the API server does: ``no such key: tls evaluating rule: <message>``."""
    match = re.search(r'Key not found in map : "([^"]*)"', error)
    detail = f"no such key: {match[1]}" if match else error
    return f"{detail} evaluating rule: {rule.message or f'failed rule: {rule.rule}'}"


def _compile_message(text: str) -> str:
    first = text.splitlines()[0] if text else "compile error"
    return first.removeprefix("INVALID_ARGUMENT: ").removeprefix("ERROR: ")


def _rule_path(path: Path, rule: Rule) -> Path:
    if not rule.field_path:
        return path
    segments: list[str | int] = []
    for name, quoted, index in re.findall(r"\.([^.\[]+)|\[['\"]([^'\"]*)['\"]\]|\[(\d+)\]", rule.field_path):
        segments.append(name or quoted if index == "" else int(index))
    return (*path, *segments)


def to_cel(value: Any, node: Node | None) -> Any:
    """``value`` as Kubernetes hands it to CEL: escaped property names, numbers as doubles, bytes decoded."""
    if node is None or not node.cel_convert:
        return value
    if isinstance(value, dict):
        properties, names, additional = node.properties, node.cel_names, node.additional
        out = {}
        for name, item in value.items():
            child = properties.get(name)
            if child is not None:
                out[names.get(name, name)] = to_cel(item, child) if child.cel_convert else item
            else:
                out[name] = to_cel(item, additional)
        return out
    if isinstance(value, list):
        items = node.items
        return [to_cel(item, items) for item in value] if items is not None and items.cel_convert else value
    if node.type == "number" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and node.format == "byte":
        try:
            return base64.b64decode(value, validate=True)
        except ValueError:
            return value
    return value


@cache
def _error_type() -> Any:
    from cel_expr_python import cel

    return cel.Type.ERROR


def new_environment() -> Any:
    """A CEL environment with ``self`` and the libraries the Kubernetes API server enables."""
    from cel_expr_python import cel
    from cel_expr_python.ext import ext_bindings, ext_encoders, ext_math, ext_optional, ext_strings

    extensions = [
        ext_strings.ExtStrings(),
        ext_optional.ExtOptional(),
        ext_math.ExtMath(),
        ext_bindings.ExtBindings(),
        ext_encoders.ExtEncoders(),
        _kubernetes_extension(cel),
    ]
    return cel.NewEnv(variables={"self": cel.Type.DYN, "oldSelf": cel.Type.DYN}, extensions=extensions)


def _kubernetes_extension(cel: Any) -> Any:
    t = cel.Type
    wrapped, items = t.Map(t.STRING, t.DYN), t.List(t.DYN)
    decls: dict[str, list[Any]] = {}

    def add(name: str, params: list[Any], member: bool, impl: Callable[..., Any], ret: Any = t.DYN) -> None:
        overload_id = f"k8s_{name}_{len(decls.get(name, []))}_{'member' if member else 'global'}"
        overload = cel.Overload(overload_id, return_type=ret, parameters=params, is_member=member, impl=impl)
        decls.setdefault(name, []).append(overload)

    for name, impl in lib.scalar_functions().items():
        add(
            name,
            [t.STRING],
            False,
            impl,
            t.BOOL if name.startswith("is") or "isCanonical" in name else wrapped,
        )
    for name, impl in lib.value_methods().items():
        add(name, [wrapped], True, impl)
    for name, impl in lib.pair_methods().items():
        add(name, [wrapped, t.DYN], True, impl)
    for name, impl in lib.LIST_FUNCTIONS.items():
        add(name, [items], True, impl)
    for name, impl in lib.LIST_SEARCH.items():
        add(name, [items, t.DYN], True, impl, t.INT)
    for name, impl in lib.SET_FUNCTIONS.items():
        add(name, [items, items], False, impl, t.BOOL)
    add("find", [t.STRING, t.STRING], True, lib.STRING_REGEX["find"], t.STRING)
    add("findAll", [t.STRING, t.STRING], True, lib.STRING_REGEX["findAll"], t.List(t.STRING))
    add("findAll", [t.STRING, t.STRING, t.INT], True, lib.STRING_REGEX["findAll"], t.List(t.STRING))
    add("string", [wrapped], False, lib.TO_STRING, t.STRING)

    class KubernetesLibrary(cel.CelExtension):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__(
                "kubernetes", functions=[cel.FunctionDecl(n, o) for n, o in sorted(decls.items())]
            )

    return KubernetesLibrary()
