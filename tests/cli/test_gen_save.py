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


def test_failed_tree_write_leaves_the_profile_as_it_was(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = state(repo)

    def broken(staging: Path, cluster_dir: Path, final, change) -> None:
        raise OSError(errno.EIO, "Input/output error", str(staging))

    monkeypatch.setattr(tree, "_fill", broken)
    result = runner.invoke(app, SAVE)
    assert result.exit_code == 2
    assert "cannot write output: Input/output error" in result.output
    assert state(repo) == before


def test_failed_profile_commit_puts_the_old_tree_back(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = state(repo)

    def refuse(self) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files.StagedFile, "commit", refuse)
    result = runner.invoke(app, SAVE)
    assert result.exit_code == 2
    assert "eksnet.yaml: cannot write" in result.output
    assert state(repo) == before


def test_save_refused_by_the_checks_changes_nothing(repo: Path) -> None:
    before = state(repo)
    result = runner.invoke(app, ["gen", "app", "web", "--expose", "alb", "--host", "web.other.org", "--save"])
    assert result.exit_code == 2
    assert state(repo) == before
