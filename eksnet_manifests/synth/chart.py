"""Chart plans: which objects each cdk8s chart and construct owns, decided before any jsii call."""

from __future__ import annotations

import contextlib
import importlib
import threading
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


def start_synthesizer() -> None:
    """Start cdk8s (and its Node.js process) in the background while the rest loads.

    Starting jsii is mostly waiting on another process; overlapping it with imports and profile
    loading shortens a cold ``eksnet gen``. ``build_bundle`` then finds the module imported.
    """
    threading.Thread(target=_import_synthesizer, daemon=True).start()


def _import_synthesizer() -> None:
    # Only a head start: if the command ends first (e.g. on bad input) the import is cut short at
    # exit, and a real failure is raised again by build_bundle's own import.
    with contextlib.suppress(BaseException):
        importlib.import_module("eksnet_manifests.synth.cdk8s_app")
