"""A cluster's tree as it is on disk, and how a planned tree differs from it; no rendering needed here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eksnet_manifests.render.ownership import MANIFEST

STAGE_MARK = ".eksnet-stage-"
RETIRED_MARK = ".eksnet-retired-"
"""Folders beside ``out/<cluster>/`` of a write in progress (``render/tree.py``)."""


@dataclass(frozen=True)
class TreeChange:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unmanaged: tuple[str, ...] = ()
    """Files in the tree that eksnet did not write: left alone, never counted as drift."""

    @property
    def drift(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def lines(self) -> list[str]:
        """``+ path``, ``~ path``, ``- path`` and ``? path`` (not managed), sorted by path; the manifest,
        which changes with the others, is left out."""
        marks = (("+", self.added), ("~", self.changed), ("-", self.removed), ("?", self.unmanaged))
        return sorted(
            (f"{mark} {path}" for mark, paths in marks for path in paths if path != MANIFEST),
            key=lambda line: line[2:],
        )

    def summary(self) -> str:
        def count(paths: tuple[str, ...]) -> int:
            return len([path for path in paths if path != MANIFEST])

        return (
            f"{count(self.added)} added, {count(self.changed)} changed, {count(self.removed)} removed, "
            f"{len(self.unmanaged)} not managed by eksnet"
        )


def read_tree(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
