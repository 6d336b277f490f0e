"""Label selectors match as metav1.LabelSelector does."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.labels import selector_matches

LABELS = {"app": "web", "tier": "front"}


@pytest.mark.parametrize(
    ("selector", "matches"),
    [
        ({}, True),
        ({"matchLabels": {"app": "web"}}, True),
        ({"matchLabels": {"app": "api"}}, False),
        ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["front", "back"]}]}, True),
        ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["front"]}]}, False),
        ({"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["a"]}]}, True),
        ({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, True),
        ({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, False),
        ({"matchExpressions": [{"key": "app", "operator": "Like", "values": ["web"]}]}, False),
        ({"matchExpressions": ["not-a-mapping"]}, False),
    ],
    ids=[
        "empty",
        "labels",
        "labels-differ",
        "in",
        "not-in",
        "not-in-absent",
        "exists",
        "does-not-exist",
        "bad-operator",
        "malformed",
    ],
)
def test_selector_semantics(selector: dict, matches: bool) -> None:
    assert selector_matches(selector, LABELS) is matches
