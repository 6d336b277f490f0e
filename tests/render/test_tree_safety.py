"""The tree on disk is always a whole tree: umask modes, kills mid-swap, mount points, concurrent runs."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from eksnet_manifests.errors import RenderError
from eksnet_manifests.files import TEMP_MARK, stage_file
from eksnet_manifests.render import tree
from eksnet_manifests.render.lock import cluster_lock, lock_path
from eksnet_manifests.render.ownership import MANIFEST
from eksnet_manifests.render.tree import plan_tree, read_tree, recover_tree, write_tree

OLD = {"apps/a.yaml": b"a: 1\n", "helm/x.values.yaml": b"v: 1\n"}
NEW = {"apps/a.yaml": b"a: 2\n", "apps/b.yaml": b"b: 1\n"}
REPO = Path(__file__).resolve().parents[2]


def write(cluster: Path, files: dict[str, bytes], **kwargs) -> None:
    final, change = plan_tree(cluster, files, ["apps/a.yaml"], replace=True)
    write_tree(cluster, final, change, **kwargs)


def siblings(cluster: Path) -> list[str]:
    return sorted(p.name for p in cluster.parent.iterdir())


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077], ids=["022", "002", "077"])
def test_tree_folders_and_files_follow_the_umask(tmp_path: Path, mask: int) -> None:
    cluster = tmp_path / "out" / "myeks"
    old = os.umask(mask)
    try:
        write(cluster, OLD)
    finally:
        os.umask(old)
    modes = {p.relative_to(cluster).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in cluster.rglob("*")}
    assert stat.S_IMODE(cluster.stat().st_mode) == 0o777 & ~mask
    assert modes["apps"] == 0o777 & ~mask
    assert modes["apps/a.yaml"] == 0o666 & ~mask


def test_rewrite_keeps_the_folder_mode_the_user_chose(tmp_path: Path) -> None:
    cluster = tmp_path / "myeks"
    write(cluster, OLD)
    cluster.chmod(0o750)
    write(cluster, NEW)
    assert stat.S_IMODE(cluster.stat().st_mode) == 0o750


KILL_BETWEEN_RENAMES = """
import os, sys
from pathlib import Path
from eksnet_manifests.render import tree
cluster = Path(sys.argv[1])
tree.exchange = lambda first, second: False   # a kernel without renameat2 exchange
real_rename, calls = os.rename, []
def rename(src, dst):
    calls.append(src)
    if len(calls) == 2:
        os._exit(9)                             # killed between moving the old tree out and the new in
    real_rename(src, dst)
os.rename = rename
final, change = tree.plan_tree(cluster, {"apps/a.yaml": b"a: 2\\n"}, ["apps/a.yaml"], replace=True)
tree.write_tree(cluster, final, change)
"""


def test_run_killed_between_renames_is_recovered_by_the_next_run(tmp_path: Path) -> None:
    # GIVEN a tree, and a run killed after moving it aside and before moving the new tree in
    cluster = tmp_path / "myeks"
    write(cluster, OLD)
    before = read_tree(cluster)
    done = subprocess.run([sys.executable, "-c", KILL_BETWEEN_RENAMES, str(cluster)], cwd=REPO, check=False)
    assert done.returncode == 9
    assert not cluster.exists() and len(siblings(cluster)) == 2  # the old tree and the staged one, hidden
    # WHEN the next run recovers THEN the old tree is back and no staging folder is left
    notes = recover_tree(cluster)
    assert read_tree(cluster) == before
    assert siblings(cluster) == ["myeks"]
    assert any("restored" in note for note in notes)


def test_exchange_swaps_in_one_step_so_the_path_never_goes_missing(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "f").write_text("1")
    if not tree.exchange(first, second):
        pytest.skip("this kernel or file system cannot exchange paths")
    assert (second / "f").read_text() == "1" and not (first / "f").exists()


def test_leftover_staging_folders_are_removed_and_others_kept(tmp_path: Path) -> None:
    cluster = tmp_path / "myeks"
    write(cluster, OLD)
    (tmp_path / f".myeks{tree.STAGE_MARK}abc").mkdir()
    (tmp_path / f".myeks{tree.RETIRED_MARK}def").mkdir()
    (tmp_path / ".myeks.notes").mkdir()  # not eksnet's: kept
    recover_tree(cluster)
    assert siblings(cluster) == [".myeks.notes", "myeks"]


def test_mount_point_is_updated_in_place_file_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a tree whose folder cannot be renamed (a mount point: EBUSY)
    cluster = tmp_path / "myeks"
    write(cluster, OLD)

    def busy(staging: Path, cluster_dir: Path) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy", str(cluster_dir))

    monkeypatch.setattr(tree, "_swap", busy)
    # WHEN it is rewritten THEN the files are updated in place and nothing is left beside or inside it
    write(cluster, NEW)
    files = read_tree(cluster)
    assert files == {**NEW, "kustomization.yaml": files["kustomization.yaml"], MANIFEST: files[MANIFEST]}
    assert siblings(cluster) == ["myeks"]
    assert not any(TEMP_MARK in p.name for p in cluster.rglob("*"))


@pytest.mark.parametrize("in_place", [False, True], ids=["swapped", "in-place"])
def test_tree_and_staged_profile_are_one_outcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_place: bool
) -> None:
    # GIVEN a tree and a staged profile whose commit fails (the profile's folder became read-only)
    cluster = tmp_path / "out" / "myeks"
    write(cluster, OLD)
    before = read_tree(cluster)
    profile = tmp_path / "eksnet.yaml"
    profile.write_text("old\n")
    staged = stage_file(profile, b"new\n")

    def read_only() -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    def busy(staging: Path, cluster_dir: Path) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(staged, "commit", read_only)
    if in_place:
        monkeypatch.setattr(tree, "_swap", busy)
    # WHEN the tree is written together with it THEN neither changes
    with pytest.raises(RenderError, match="was left as it was"):
        write(cluster, NEW, together_with=[staged])
    staged.discard()
    assert read_tree(cluster) == before
    assert profile.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eksnet.yaml", "out"]


def test_second_writer_waits_with_a_message_then_proceeds(tmp_path: Path) -> None:
    cluster = tmp_path / "myeks"
    told: list[str] = []
    with cluster_lock(cluster):
        waiter = threading.Thread(target=lambda: _hold(cluster_lock(cluster, on_wait=told.append)))
        waiter.start()
        time.sleep(0.3)
        assert told == [f"waiting for another eksnet run (pid {os.getpid()}) to finish writing {cluster}"]
    waiter.join(5)
    assert not waiter.is_alive()


def _hold(lock: contextlib.AbstractContextManager[None]) -> None:
    with lock:
        pass


def test_writer_gives_up_naming_the_other_process(tmp_path: Path) -> None:
    cluster = tmp_path / "myeks"
    holder = rf"another eksnet run \(pid {os.getpid()}\)"
    with cluster_lock(cluster), pytest.raises(RenderError, match=holder), cluster_lock(cluster, wait_s=0.2):
        pass
    assert not lock_path(cluster).exists()


def test_check_mode_creates_no_output_folder(tmp_path: Path) -> None:
    with cluster_lock(tmp_path / "out" / "myeks", create=False):
        pass
    assert not (tmp_path / "out").exists()
