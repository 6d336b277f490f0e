"""What one ``gen`` run of a cluster comes to: the tree's change, the findings and the notes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.render.tree_state import TreeChange


@dataclass(frozen=True)
class GenResult:
    cluster_dir: Path
    change: TreeChange
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)
    written: bool = False
    diff: list[str] = field(default_factory=list)
    """Unified diff lines of the change, when asked for."""
    recovered: list[str] = field(default_factory=list)
    """What was done about an interrupted earlier run (notes of this run only)."""
    tree: Mapping[str, bytes] = field(default_factory=dict)
    """The cluster's folder as the run leaves it: every file's bytes (when it was not failed)."""

    @property
    def failed(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)
