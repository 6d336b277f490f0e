"""Write a cluster's tree atomically: stage beside ``out/``, then swap; untouched when nothing changed.

Every write happens under the cluster's lock (``render/lock.py``), which also covers reading the tree
that is merged into and recovering what an interrupted run left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import shutil
import stat
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eksnet_manifests.errors import Location, RenderError
from eksnet_manifests.files import StagedFile, atomic_write, default_mode
from eksnet_manifests.render.kustomization import (
    KUSTOMIZATION,
    render_folder_kustomization,
    render_kustomization,
    resources_of,
)
from eksnet_manifests.render.ownership import MANIFEST, read_record, render_record
from eksnet_manifests.render.tree_state import RETIRED_MARK, STAGE_MARK, TreeChange, read_tree
from eksnet_manifests.render.yaml_out import render_artifact
from eksnet_manifests.synth.artifact import Bundle


@dataclass(frozen=True)
class RenderedTree:
    """A bundle as bytes: every file, the root kustomization's resources, the folder kustomizations
    (merged with what is on disk by ``gen app``) and what the tree records about itself."""

    cluster: str
    files: Mapping[str, bytes]
    manifests: Sequence[str]
    kustomizations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)


def render_bundle(bundle: Bundle) -> RenderedTree:
    """File bytes by relative path, and the paths that are Kubernetes manifests."""
    files = {
        artifact.path: (
            render_folder_kustomization(artifact.content)
            if artifact.path.endswith(f"/{KUSTOMIZATION}")
            else render_artifact(artifact)
        )
        for artifact in bundle.artifacts
    }
    manifests = [
        artifact.path
        for artifact in bundle.artifacts
        if isinstance(artifact.content, list) and artifact.path.partition("/")[0] not in APPLIED_APART
    ]
    kustomizations = {
        artifact.path: artifact.content
        for artifact in bundle.artifacts
        if artifact.path.endswith(f"/{KUSTOMIZATION}")
    }
    return RenderedTree(bundle.cluster, files, manifests, kustomizations, bundle.facts)


# Folders with kustomizations of their own that the root kustomization leaves out: the CRDs (applied
# first, server-side), the GitOps engine's objects and the Helm releases.
APPLIED_APART = frozenset({"crds", "argocd", "flux", "helm"})


def plan_tree(
    cluster_dir: Path,
    files: Mapping[str, bytes] | RenderedTree,
    manifests: Sequence[str] = (),
    *,
    replace: bool,
) -> tuple[dict[str, bytes], TreeChange]:
    """The final tree and how it differs from what is on disk.

    ``replace`` makes the eksnet-written part of the tree exactly ``files`` (``gen all``); otherwise
    ``files`` are merged into the existing tree (``gen app``) and the kustomizations keep earlier
    resources. Only files the tree's manifest lists are eksnet's: the others stay as they are and are
    reported as not managed; one of them in the way of a generated file is an error, never overwritten.
    A tree without a manifest (written before eksnet kept one) gives up only the files generated again.
    """
    rendered = files if isinstance(files, RenderedTree) else RenderedTree(cluster_dir.name, files, manifests)
    existing = read_tree(cluster_dir)
    record = read_record(existing.get(MANIFEST))
    generated = dict(rendered.files)
    owned_before = set(record.files) & set(existing) if record is not None else set(generated) & set(existing)
    in_the_way = sorted(
        path
        for path in set(generated) - owned_before
        if record is not None and path in existing and existing[path] != generated[path]
    )
    if in_the_way:
        raise RenderError(
            f"{', '.join(in_the_way)}: not written by eksnet and in the way of generated files; eksnet "
            "never overwrites a file it did not write: move or delete it",
            Location(str(cluster_dir / in_the_way[0])),
        )
    kept = {} if replace else {path: existing[path] for path in owned_before}
    owned = kept | generated
    resources = set(rendered.manifests)
    if not replace and KUSTOMIZATION in existing:
        resources |= {path for path in resources_of(existing[KUSTOMIZATION]) if path in owned}
    owned[KUSTOMIZATION] = render_kustomization(resources)
    if not replace:
        owned |= _merged_kustomizations(rendered.kustomizations, existing, owned)
    unmanaged = {path: existing[path] for path in set(existing) - set(owned) - owned_before - {MANIFEST}}
    final = unmanaged | owned
    final[MANIFEST] = render_record(rendered.cluster, owned, rendered.facts)
    change = TreeChange(
        added=tuple(sorted(set(final) - set(existing))),
        changed=tuple(sorted(path for path in final if path in existing and existing[path] != final[path])),
        removed=tuple(sorted(set(existing) - set(final))),
        unmanaged=tuple(sorted(unmanaged)),
    )
    return final, change


def _merged_kustomizations(
    kustomizations: Mapping[str, Mapping[str, Any]], existing: Mapping[str, bytes], owned: Mapping[str, bytes]
) -> dict[str, bytes]:
    """Folder kustomizations of ``gen app``, keeping the resources of the tree on disk that still exist."""
    merged = {}
    for path, content in kustomizations.items():
        folder = path.rpartition("/")[0]
        earlier = resources_of(existing[path]) if path in existing else []
        kept = [item for item in earlier if f"{folder}/{item}" in owned]
        resources = sorted({*content.get("resources", ()), *kept})
        merged[path] = render_folder_kustomization({**content, "resources": resources})
    return merged


def write_tree(
    cluster_dir: Path,
    final: Mapping[str, bytes],
    change: TreeChange,
    *,
    together_with: Sequence[StagedFile] = (),
) -> None:
    """Make ``cluster_dir`` hold ``final``, and commit ``together_with`` in the same outcome.

    The tree is staged beside ``cluster_dir`` and exchanged with it in one ``renameat2`` call, so the
    path holds the old tree or the new one at every instant (where the kernel cannot exchange, two
    renames, which the next run's ``recover_tree`` completes if interrupted). The staged files (the
    profile of ``gen app --save``) are committed after the swap; if that fails, the old tree is swapped
    back. Unchanged files keep their mtime. A ``cluster_dir`` that cannot be renamed (a mount point) is
    updated in place, file by file, each file replaced atomically.
    """
    if not change.drift:
        _commit(together_with, cluster_dir)
        return
    parent = cluster_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{cluster_dir.name}{STAGE_MARK}", dir=parent))
        mode = stat.S_IMODE(cluster_dir.stat().st_mode) if cluster_dir.is_dir() else default_mode(folder=True)
        os.chmod(staging, mode)  # mkdtemp makes it 0700; the tree follows the umask like any folder
    except OSError as exc:
        raise RenderError(f"cannot create output folder: {exc.strerror}", Location(str(parent))) from None
    try:
        _fill(staging, cluster_dir, final, change)
        try:
            swap = _swap(staging, cluster_dir)
        except OSError as exc:
            if exc.errno not in _CANNOT_RENAME:
                raise
            _update_in_place(cluster_dir, final, change, together_with)
            return
        try:
            _commit(together_with, cluster_dir)
        except RenderError:
            swap.undo()
            raise
        swap.finish()
    except OSError as exc:
        raise RenderError(
            f"cannot write output: {exc.strerror}", Location(exc.filename or str(cluster_dir))
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def recover_tree(cluster_dir: Path) -> list[str]:
    """Finish what an interrupted run left beside ``cluster_dir``; what was done, as notes.

    Call with the cluster's lock held. A retired tree with no tree in place is the old tree of a swap
    cut between its two renames: it is put back. Every other staging or retired folder is removed.
    """
    parent = cluster_dir.parent
    if not parent.is_dir():
        return []
    marks = (f".{cluster_dir.name}{STAGE_MARK}", f".{cluster_dir.name}{RETIRED_MARK}")
    strays = sorted(p for p in parent.iterdir() if p.name.startswith(marks) and p.is_dir())
    notes = []
    retired = [p for p in strays if p.name.startswith(marks[1])]
    if retired and not cluster_dir.exists():
        os.rename(retired[-1], cluster_dir)
        strays.remove(retired[-1])
        notes.append(f"{cluster_dir}: restored the tree an interrupted run had moved aside")
    for stray in strays:
        shutil.rmtree(stray, ignore_errors=True)
    if strays:
        notes.append(f"{parent}: removed {len(strays)} staging folder(s) left by an interrupted run")
    return notes


# rename() of a mount point fails with EBUSY; a tree on another file system than its parent, EXDEV.
_CANNOT_RENAME = {errno.EBUSY, errno.EXDEV}


def _fill(staging: Path, cluster_dir: Path, final: Mapping[str, bytes], change: TreeChange) -> None:
    unchanged = set(final) - set(change.added) - set(change.changed)
    for rel, data in sorted(final.items()):
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel in unchanged:
            shutil.copy2(cluster_dir / rel, target, follow_symlinks=False)
        else:
            target.write_bytes(data)


def _commit(staged: Sequence[StagedFile], cluster_dir: Path) -> None:
    for item in staged:
        try:
            item.commit()
        except OSError as exc:
            raise RenderError(
                f"cannot write {item.target}: {exc.strerror}; {cluster_dir} was left as it was",
                Location(str(item.target)),
            ) from None


@dataclass(frozen=True)
class _Swap:
    """A done swap: ``old`` holds the previous tree (None when there was none) until ``finish``."""

    cluster_dir: Path
    old: Path | None
    exchanged: bool

    def undo(self) -> None:
        """Put the previous tree back (or no tree, when there was none)."""
        if self.old is None:
            shutil.rmtree(self.cluster_dir)
        elif self.exchanged:
            exchange(self.old, self.cluster_dir)
        else:
            discarded = self.old.with_name(self.old.name.replace(RETIRED_MARK, STAGE_MARK))
            os.rename(self.cluster_dir, discarded)
            os.rename(self.old, self.cluster_dir)
            shutil.rmtree(discarded, ignore_errors=True)

    def finish(self) -> None:
        if self.old is not None:
            shutil.rmtree(self.old, ignore_errors=True)


def _swap(staging: Path, cluster_dir: Path) -> _Swap:
    if not cluster_dir.exists():
        os.rename(staging, cluster_dir)
        return _Swap(cluster_dir, None, exchanged=False)
    if exchange(staging, cluster_dir):
        return _Swap(cluster_dir, staging, exchanged=True)
    retired = cluster_dir.with_name(f".{cluster_dir.name}{RETIRED_MARK}{os.getpid()}-{os.urandom(4).hex()}")
    os.rename(cluster_dir, retired)
    try:
        os.rename(staging, cluster_dir)
    except OSError:
        os.rename(retired, cluster_dir)
        raise
    return _Swap(cluster_dir, retired, exchanged=False)


def _update_in_place(
    cluster_dir: Path, final: Mapping[str, bytes], change: TreeChange, together_with: Sequence[StagedFile]
) -> None:
    """Replace each changed file atomically inside ``cluster_dir``; undone if ``together_with`` fails."""
    previous = {rel: (cluster_dir / rel).read_bytes() for rel in (*change.changed, *change.removed)}
    done: list[str] = []
    try:
        for rel in (*change.added, *change.changed):
            target = cluster_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, final[rel], durable=False)
            done.append(rel)
        for rel in change.removed:
            (cluster_dir / rel).unlink(missing_ok=True)
            done.append(rel)
        _remove_empty_folders(cluster_dir)
        _commit(together_with, cluster_dir)
    except (OSError, RenderError):
        for rel in reversed(done):
            if rel in previous:
                (cluster_dir / rel).parent.mkdir(parents=True, exist_ok=True)
                atomic_write(cluster_dir / rel, previous[rel], durable=False)
            else:
                (cluster_dir / rel).unlink(missing_ok=True)
        raise


def _remove_empty_folders(root: Path) -> None:
    for folder in sorted(
        (p for p in root.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True
    ):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only succeeds when empty


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    rename = _renameat2()
    if rename is None:
        return False
    if rename(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False  # the kernel or the file system cannot exchange: two renames instead
    raise OSError(code, os.strerror(code), str(second))


@functools.cache
def _renameat2() -> Any:
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except OSError:
        return None
