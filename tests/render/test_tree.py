"""Writes are atomic: the tree is staged and swapped; failures and no-ops leave out/ as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eksnet_manifests.errors import RenderError
from eksnet_manifests.render.kustomization import resources_of
from eksnet_manifests.render.ownership import MANIFEST, read_record
from eksnet_manifests.render.tree import plan_tree, read_tree, write_tree

FILES = {"apps/a.yaml": b"a: 1\n", "platform/gateway.yaml": b"g: 1\n", "helm/x.values.yaml": b"v: 1\n"}
MANIFESTS = ["apps/a.yaml", "platform/gateway.yaml"]


def write(cluster: Path, files=FILES, manifests=MANIFESTS, *, replace: bool = True):
    final, change = plan_tree(cluster, files, manifests, replace=replace)
    write_tree(cluster, final, change)
    return change


def test_first_write_creates_tree_with_kustomization_of_manifests(tmp_path: Path) -> None:
    cluster = tmp_path / "out" / "myeks"
    change = write(cluster)
    tree = read_tree(cluster)
    assert set(tree) == {*FILES, "kustomization.yaml", MANIFEST}
    assert resources_of(tree["kustomization.yaml"]) == MANIFESTS
    assert change.added == tuple(sorted(tree))


def test_unchanged_files_keep_their_mtime_and_no_op_changes_nothing(tmp_path: Path) -> None:
    cluster = tmp_path / "myeks"
    write(cluster)
    old = cluster / "apps" / "a.yaml"
    os.utime(old, (1_000_000, 1_000_000))
    change = write(cluster, {**FILES, "helm/x.values.yaml": b"v: 2\n"})
    assert change.lines() == ["~ helm/x.values.yaml"]
    assert (cluster / "apps" / "a.yaml").stat().st_mtime == 1_000_000
    assert not write(cluster, {**FILES, "helm/x.values.yaml": b"v: 2\n"}).drift


def test_replace_prunes_files_no_longer_declared(tmp_path: Path) -> None:
    cluster = tmp_path / "myeks"
    write(cluster)
    change = write(cluster, {"apps/a.yaml": b"a: 1\n"}, ["apps/a.yaml"])
    assert change.removed == ("helm/x.values.yaml", "platform/gateway.yaml")
    assert set(read_tree(cluster)) == {"apps/a.yaml", "kustomization.yaml", MANIFEST}


def test_merge_keeps_other_apps_and_their_kustomization_entries(tmp_path: Path) -> None:
    cluster = tmp_path / "myeks"
    write(cluster)
    write(cluster, {"apps/b.yaml": b"b: 1\n"}, ["apps/b.yaml"], replace=False)
    tree = read_tree(cluster)
    assert {"apps/a.yaml", "apps/b.yaml"} <= set(tree)
    assert resources_of(tree["kustomization.yaml"]) == ["apps/a.yaml", "apps/b.yaml", "platform/gateway.yaml"]


def test_failed_write_leaves_previous_tree_and_no_staging(tmp_path: Path) -> None:
    cluster = tmp_path / "myeks"
    write(cluster)
    before = read_tree(cluster)
    bad = {**FILES, "apps/a.yaml/nested": b"x"}  # a file cannot also be a folder
    final, change = plan_tree(cluster, bad, MANIFESTS, replace=True)
    with pytest.raises(RenderError):
        write_tree(cluster, final, change)
    assert read_tree(cluster) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["myeks"]


def test_the_manifest_lists_every_file_written_with_its_digest(tmp_path: Path) -> None:
    cluster = tmp_path / "myeks"
    write(cluster)
    record = read_record((cluster / MANIFEST).read_bytes())
    assert record is not None
    assert sorted(record.files) == sorted([*FILES, "kustomization.yaml"])


def test_a_file_eksnet_did_not_write_survives_every_run_and_is_reported(tmp_path: Path) -> None:
    # GIVEN a tree with a hand-added file beside the generated ones
    cluster = tmp_path / "myeks"
    write(cluster)
    (cluster / "apps" / "README.md").write_text("team notes\n")
    # WHEN it is generated again, with an app removed
    change = write(cluster, {"apps/a.yaml": b"a: 1\n"}, ["apps/a.yaml"])
    # THEN only the files eksnet wrote before go, and the hand-added one stays, reported as not managed
    assert change.removed == ("helm/x.values.yaml", "platform/gateway.yaml")
    assert change.unmanaged == ("apps/README.md",)
    assert "? apps/README.md" in change.lines() and not change.added
    assert (cluster / "apps" / "README.md").read_text() == "team notes\n"
    assert not write(cluster, {"apps/a.yaml": b"a: 1\n"}, ["apps/a.yaml"]).drift


def test_a_hand_added_file_in_the_way_of_a_generated_one_is_an_error_not_overwritten(tmp_path: Path) -> None:
    cluster = tmp_path / "myeks"
    write(cluster)
    (cluster / "apps" / "b.yaml").write_text("mine\n")
    with pytest.raises(RenderError, match=r"apps/b.yaml: not written by eksnet"):
        plan_tree(cluster, {**FILES, "apps/b.yaml": b"b: 1\n"}, MANIFESTS, replace=True)
    assert (cluster / "apps" / "b.yaml").read_text() == "mine\n"


def test_a_tree_without_a_manifest_gives_up_only_the_files_generated_again(tmp_path: Path) -> None:
    # GIVEN a tree written before eksnet kept a manifest, with a file no longer produced
    cluster = tmp_path / "myeks"
    write(cluster)
    (cluster / MANIFEST).unlink()
    # WHEN generated without that file / THEN it is kept and reported, never removed
    change = write(cluster, {"apps/a.yaml": b"a: 1\n"}, ["apps/a.yaml"])
    assert change.removed == () and set(change.unmanaged) == {"helm/x.values.yaml", "platform/gateway.yaml"}
    assert (cluster / "helm" / "x.values.yaml").is_file()
