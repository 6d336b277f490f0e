"""Chart plans: one cdk8s chart per cluster and the files its objects go to, decided before any jsii call."""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eksnet_manifests.errors import BuildError

Manifest = dict[str, Any]


@dataclass(frozen=True)
class ChartPlan:
    """A cluster's chart: its manifests grouped by the file each group is rendered to."""

    chart_id: str
    files: tuple[tuple[str, tuple[Manifest, ...]], ...]

    def __post_init__(self) -> None:
        # Every object needs its own construct id; two sharing one are the same object twice.
        seen: dict[str, str] = {}
        for path, objects in self.files:
            for obj in objects:
                child_id = object_id(obj)
                if child_id in seen:
                    raise BuildError(
                        f"{path} and {seen[child_id]} both declare {obj['kind']} "
                        f"{_qualified_name(obj['metadata'])}: give one of them another name"
                    )
                seen[child_id] = path

    def objects(self) -> list[Manifest]:
        return [obj for _, objects in self.files for obj in objects]


def object_id(obj: Mapping[str, Any]) -> str:
    """The object's construct id: ``name-kind-namespace``, the id cdk8s's ``Include`` gives it."""
    meta = obj["metadata"]
    return "-".join(part for part in (meta.get("name"), obj["kind"].lower(), meta.get("namespace")) if part)


def _qualified_name(meta: Mapping[str, Any]) -> str:
    return f"{meta['namespace']}/{meta['name']}" if meta.get("namespace") else str(meta["name"])


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
