"""The AWS Load Balancer Controller's IAM policy: where each release publishes it, and what changed.

Each controller release publishes its policy as ``docs/install/iam_policy*.json`` (one file per AWS
partition) in kubernetes-sigs/aws-load-balancer-controller. The policy must match the controller
version: releases add actions (e.g. ``elasticloadbalancing:DescribeListenerAttributes``), and a
controller running with an older policy fails on the first call the policy lacks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

PUBLISHED_BASE_URL = "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller"
POLICY_FILE_BY_PARTITION = {
    "aws": "iam_policy.json",
    "aws-cn": "iam_policy_cn.json",
    "aws-us-gov": "iam_policy_us-gov.json",
    "aws-iso": "iam_policy_iso.json",
    "aws-iso-b": "iam_policy_isob.json",
    "aws-iso-e": "iam_policy_isoe.json",
    "aws-iso-f": "iam_policy_isof.json",
}


def published_policy_url(version: str, partition: str = "aws", base_url: str = PUBLISHED_BASE_URL) -> str:
    """URL of the policy published with controller ``version`` (a release tag such as v3.5.0)."""
    return f"{base_url}/{version}/docs/install/{POLICY_FILE_BY_PARTITION[partition]}"


def allowed_actions(policy: Mapping[str, Any]) -> dict[str, str]:
    """Actions the Allow statements name, keyed case-insensitively (IAM ignores action case)."""
    actions: dict[str, str] = {}
    statements = policy.get("Statement") or []
    for statement in [statements] if isinstance(statements, Mapping) else statements:
        if isinstance(statement, Mapping) and statement.get("Effect") == "Allow":
            named = statement.get("Action") or []
            for action in [named] if isinstance(named, str) else named:
                actions.setdefault(str(action).lower(), str(action))
    return actions


@dataclass(frozen=True)
class ActionDiff:
    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def lines(self) -> list[str]:
        return [f"+ {action}" for action in self.added] + [f"- {action}" for action in self.removed]


def diff_actions(old: Mapping[str, Any], new: Mapping[str, Any]) -> ActionDiff:
    """Actions ``new`` allows that ``old`` does not (added), and the reverse (removed), sorted."""
    before, after = allowed_actions(old), allowed_actions(new)
    return ActionDiff(
        added=_sorted(after, set(after) - set(before)), removed=_sorted(before, set(before) - set(after))
    )


def _sorted(actions: Mapping[str, str], keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(actions[key] for key in sorted(keys))
