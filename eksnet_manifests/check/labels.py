"""Kubernetes label selectors (metav1.LabelSelector), shared by the built-in checks and the lints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def selector_matches(selector: Mapping[str, Any], labels: Mapping[str, Any]) -> bool:
    """matchLabels and every matchExpressions requirement; the empty selector matches everything.

    Malformed parts (wrong types) match nothing rather than raise: the schema check reports them.
    """
    match_labels = selector.get("matchLabels")
    for key, value in (match_labels if isinstance(match_labels, Mapping) else {}).items():
        if labels.get(key) != value:
            return False
    expressions = selector.get("matchExpressions")
    for expression in expressions if isinstance(expressions, list) else []:
        if not isinstance(expression, Mapping):
            return False
        key, values = expression.get("key"), expression.get("values")
        values = values if isinstance(values, list) else []
        present = key in labels
        matched = {
            "In": present and labels.get(key) in values,
            "NotIn": not present or labels.get(key) not in values,
            "Exists": present,
            "DoesNotExist": not present,
        }.get(str(expression.get("operator")), False)
        if not matched:
            return False
    return True
