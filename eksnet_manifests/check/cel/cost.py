"""The API server's CEL cost limits, applied before a rule runs so no rule can run for minutes.

The API server meters every evaluation and stops a rule whose cost passes ``PER_CALL_LIMIT``, and
stops validating an object once its rules together pass ``RUNTIME_BUDGET``. The runtime eksnet uses
has no meter, so the cost is estimated from the rule and the value it sees: a comprehension macro
(``all``, ``exists``, ``exists_one``, ``map``, ``filter``) costs one pass over the largest collection
in the value per nesting level, times the operations in the rule. A rule estimated above the limit
is reported and not run; every other rule runs as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# k8s.io/apiserver/pkg/apis/cel/config.go (Kubernetes 1.34): PerCallLimit, RuntimeCELCostBudget.
PER_CALL_LIMIT = 1_000_000
RUNTIME_BUDGET = 10_000_000
OUT_OF_BUDGET = "validation failed due to running out of cost budget, no further validation rules will be run"

_MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})
_TOKEN = re.compile(
    r"""(?P<string>[rR]?(?:'''.*?'''|\"\"\".*?\"\"\"|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"))"""
    r"|(?P<macro>\.\s*(?P<name>[A-Za-z_]\w*)\s*\()|(?P<open>\()|(?P<close>\))"
    r"|(?P<word>[A-Za-z_]\w*|[-+*/%<>=!&|?:]+)",
    re.DOTALL,
)


@dataclass(frozen=True)
class RuleShape:
    depth: int
    """Deepest nesting of comprehension macros."""
    operations: int
    """Identifiers, operators and calls: the work of one pass of the innermost body."""


@lru_cache(maxsize=4096)
def rule_shape(source: str) -> RuleShape:
    """How a rule's cost grows with its input, read from its text (string literals skipped)."""
    depth = deepest = operations = 0
    stack: list[bool] = []  # for each open parenthesis: does it open a macro's arguments?
    for token in _TOKEN.finditer(source):
        if token["string"]:
            operations += 1
        elif token["macro"]:
            is_macro = token["name"] in _MACROS
            stack.append(is_macro)
            depth += is_macro
            deepest = max(deepest, depth)
            operations += 1
        elif token["open"]:
            stack.append(False)
        elif token["close"] and stack:
            depth -= stack.pop()
        elif token["word"]:
            operations += 1
    return RuleShape(deepest, max(operations, 1))


def largest_collection(value: Any, stop_at: int) -> int:
    """The length of the longest list or map in ``value``, what a macro iterates (stops past ``stop_at``)."""
    largest, pending = 0, [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        else:
            continue
        largest = max(largest, len(item))
        if largest > stop_at:
            break
    return largest


def estimated_cost(source: str, value: Any) -> int:
    """An upper estimate of what the API server would meter for ``source`` on ``value``."""
    return estimated_costs([source], value)[0]


def estimated_costs(sources: Sequence[str], value: Any) -> list[int]:
    """``estimated_cost`` of each of ``sources`` on ``value``, which is measured once for them all."""
    costs, size = [], None
    for source in sources:
        shape = rule_shape(source)
        if shape.depth == 0:
            costs.append(shape.operations)
            continue
        if size is None:
            size = max(largest_collection(value, PER_CALL_LIMIT), 1)
        costs.append(shape.operations * size**shape.depth)
    return costs


@dataclass
class CostBudget:
    """What is left of one object's runtime budget."""

    remaining: int = RUNTIME_BUDGET
    exhausted: bool = False
