"""Write a cluster's tree atomically: stage beside ``out/``, then swap; untouched when nothing changed."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from eksnet_manifests.errors import Location, RenderError
from eksnet_manifests.render.kustomization import KUSTOMIZATION, render_kustomization, resources_of
from eksnet_manifests.render.yaml_out import render_artifact
from eksnet_manifests.synth.artifact import Bundle


@dataclass(frozen=True)
class TreeChange:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def drift(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def lines(self) -> list[str]:
        marks = (("+", self.added), ("~", self.changed), ("-", self.removed))
        return sorted(
            (f"{mark} {path}" for mark, paths in marks for path in paths), key=lambda line: line[2:]
        )


def render_bundle(bundle: Bundle) -> tuple[dict[str, bytes], list[str]]:
    """File bytes by relative path, and the paths that are Kubernetes manifests."""
    files = {artifact.path: render_artifact(artifact) for artifact in bundle.artifacts}
    manifests = [artifact.path for artifact in bundle.artifacts if isinstance(artifact.content, list)]
    return files, manifests


def plan_tree(
    cluster_dir: Path, files: Mapping[str, bytes], manifests: list[str], *, replace: bool
) -> tuple[dict[str, bytes], TreeChange]:
    """The final tree and how it differs from what is on disk.

    ``replace`` makes the tree exactly ``files`` (``gen all``); otherwise ``files`` are merged
    into the existing tree (``gen app``) and the kustomization keeps earlier resources.
    """
    existing = read_tree(cluster_dir)
    final = dict(files) if replace else existing | dict(files)
    resources = set(manifests)
    if not replace and KUSTOMIZATION in existing:
        resources |= {path for path in resources_of(existing[KUSTOMIZATION]) if path in final}
    final[KUSTOMIZATION] = render_kustomization(resources)
    change = TreeChange(
        added=tuple(sorted(set(final) - set(existing))),
        changed=tuple(sorted(path for path in final if path in existing and existing[path] != final[path])),
        removed=tuple(sorted(set(existing) - set(final))),
    )
    return final, change


def read_tree(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def write_tree(cluster_dir: Path, final: Mapping[str, bytes], change: TreeChange) -> None:
    """Stage the whole tree next to ``cluster_dir`` and swap it in; unchanged files keep their mtime."""
    if not change.drift:
        return
    parent = cluster_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{cluster_dir.name}.", dir=parent))
    except OSError as exc:
        raise RenderError(f"cannot create output folder: {exc.strerror}", Location(str(parent))) from None
    try:
        unchanged = set(final) - set(change.added) - set(change.changed)
        for rel, data in sorted(final.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if rel in unchanged:
                shutil.copy2(cluster_dir / rel, target)
            else:
                target.write_bytes(data)
        _swap(staging, cluster_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise RenderError(
            f"cannot write output: {exc.strerror}", Location(exc.filename or str(cluster_dir))
        ) from None


def _swap(staging: Path, cluster_dir: Path) -> None:
    if not cluster_dir.exists():
        os.rename(staging, cluster_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{cluster_dir.name}.old.", dir=cluster_dir.parent))
    os.rename(cluster_dir, retired / cluster_dir.name)
    try:
        os.rename(staging, cluster_dir)
    except OSError:
        os.rename(retired / cluster_dir.name, cluster_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)
