"""gen app --save: the profile and out/ change together or not at all, and the profile is never cut short."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eksnet_manifests import files
from eksnet_manifests.cli import app
from eksnet_manifests.render import tree
from eksnet_manifests.render.tree import read_tree

runner = CliRunner()
PROFILE = """\
# team profile
cluster: {name: shop, region: ap-northeast-2, vpcId: vpc-0123456789abcdef0}
nodeGroups: [{name: primary, instanceType: t3.medium, desiredSize: 2}]
externalDns: {domainFilters: [example.com]}
apps:
  - name: web
    expose: {type: nlb, hosts: [web.example.com]}
"""
SAVE = ["gen", "app", "cart", "--expose", "alb", "--host", "cart.example.com", "--save"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "eksnet.yaml").write_text(PROFILE)
    assert runner.invoke(app, ["gen", "all"]).exit_code == 0
    return tmp_path


def state(repo: Path) -> tuple[str, dict[str, bytes], list[str]]:
    return (repo / "eksnet.yaml").read_text(), read_tree(repo / "out" / "shop"), sorted(os.listdir(repo))


def test_save_writes_both(repo: Path) -> None:
    result = runner.invoke(app, SAVE)
    assert result.exit_code == 0, result.output
    assert "name: cart" in (repo / "eksnet.yaml").read_text()
    assert "apps/cart.yaml" in read_tree(repo / "out" / "shop")


def test_full_disk_while_saving_changes_nothing(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a disk that fills up while the new profile is written
    before = state(repo)
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd: int, mode: str, *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        return FullDisk(handle) if "w" in mode else handle

    monkeypatch.setattr(files.os, "fdopen", fdopen)
    # WHEN the app is saved THEN the command fails with exit 2 and neither the profile nor out/ changed
    result = runner.invoke(app, SAVE)
    assert result.exit_code == 2
    assert "eksnet.yaml: cannot save profile: No space left on device" in result.output
    assert state(repo) == before


def _broken_fill(staging: Path, cluster_dir: Path, final, change) -> None:
    raise OSError(errno.EIO, "Input/output error", str(staging))


def _refused_commit(self) -> None:
    raise OSError(errno.EROFS, "Read-only file system")


@pytest.mark.parametrize(
    ("owner", "name", "broken", "message"),
    [
        (tree, "_fill", _broken_fill, "cannot write output: Input/output error"),
        (files.StagedFile, "commit", _refused_commit, "eksnet.yaml: cannot write"),
    ],
    ids=["tree-write-fails", "profile-commit-fails"],
)
def test_a_failure_on_either_side_leaves_both_as_they_were(
    repo: Path, monkeypatch: pytest.MonkeyPatch, owner, name: str, broken, message: str
) -> None:
    # GIVEN the tree write or the profile's final rename fails
    before = state(repo)
    monkeypatch.setattr(owner, name, broken)
    # WHEN an app is saved THEN exit 2, and neither the profile nor out/ changed (the old tree is back)
    result = runner.invoke(app, SAVE)
    assert result.exit_code == 2
    assert message in result.output
    assert state(repo) == before


def test_save_refused_by_the_checks_changes_nothing(repo: Path) -> None:
    before = state(repo)
    result = runner.invoke(app, ["gen", "app", "web", "--expose", "alb", "--host", "web.other.org", "--save"])
    assert result.exit_code == 2
    assert state(repo) == before
