"""Chart plans: which objects each cdk8s chart and construct owns, decided before any jsii call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Manifest = dict[str, Any]


@dataclass(frozen=True)
class ConstructPlan:
    """A construct and the objects it owns; child ids are the object kinds, so they stay stable."""

    construct_id: str
    objects: tuple[Manifest, ...]


@dataclass(frozen=True)
class ChartPlan:
    chart_id: str
    constructs: tuple[ConstructPlan, ...]
