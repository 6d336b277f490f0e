"""Kubernetes label selectors (metav1.LabelSelector) and label maps, typed."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.names import identifier

LabelKey = identifier(
    r"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?",
    "a label key like team or example.com/team",
    max_length=316,
)
LabelValue = identifier(
    r"([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?",
    "a label value (at most 63 letters, digits, '-', '_', '.')",
    max_length=63,
)


class LabelRequirement(StrictModel):
    key: LabelKey
    """Label key."""
    operator: Literal["In", "NotIn", "Exists", "DoesNotExist"]
    """How the key's value is tested."""
    values: tuple[LabelValue, ...] = ()
    """Values for In and NotIn (none for Exists and DoesNotExist)."""

    @model_validator(mode="after")
    def _values_fit_operator(self) -> LabelRequirement:
        if (self.operator in ("In", "NotIn")) != bool(self.values):
            raise ValueError(
                f"operator {self.operator} {'needs' if self.values == () else 'takes no'} values"
            )
        return self


class LabelSelector(StrictModel):
    """``matchLabels`` and ``matchExpressions``; every entry must hold."""

    match_labels: dict[LabelKey, LabelValue] = Field(default_factory=dict)
    """Labels the object must carry with these values."""
    match_expressions: tuple[LabelRequirement, ...] = ()
    """Further requirements on the object's labels."""

    @model_validator(mode="after")
    def _not_empty(self) -> LabelSelector:
        if not self.match_labels and not self.match_expressions:
            raise ValueError("an empty selector selects everything: set matchLabels or matchExpressions")
        return self
