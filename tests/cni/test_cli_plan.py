"""`eksnet plan` through a typer app that registers the command the way the root command does."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
from ruamel.yaml import YAML
from typer.testing import CliRunner, Result

from eksnet_manifests.cli._boundary import BoundaryGroup
from eksnet_manifests.cli.plan import plan_command

app = typer.Typer(cls=BoundaryGroup)
app.command("plan")(plan_command)
app.command("noop", hidden=True)(lambda: None)  # a second command keeps "plan" a subcommand


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["plan", *args])


@pytest.fixture
def write_profile(tmp_path: Path, lab_data: Callable[..., dict[str, Any]]) -> Callable[..., Path]:
    def write(**settings: Any) -> Path:
        path = tmp_path / "eksnet.yaml"
        YAML().dump(lab_data(**settings), path)
        return path

    return write


def test_lab_does_not_fit_and_exits_1(write_profile: Callable[..., Path]) -> None:
    result = run("--profile", str(write_profile()))
    assert result.exit_code == 1
    assert "Result: does not fit (10 pods short)" in result.stdout
    assert "vpcCni.mode: prefix-delegation" in result.stdout


def test_lab_with_prefix_delegation_fits_and_exits_0(write_profile: Callable[..., Path]) -> None:
    result = run("--profile", str(write_profile(mode="prefix-delegation")), "--output", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["fits"] is True


def test_markdown_output_has_the_chart(write_profile: Callable[..., Path]) -> None:
    result = run("-p", str(write_profile(mode="prefix-delegation")), "-o", "markdown")
    assert result.stdout.startswith("# Capacity plan: myeks") and "xychart-beta" in result.stdout


def test_bundled_profile_is_planned_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run()
    assert result.exit_code == 0
    assert "Capacity plan for myeks" in result.stdout


def test_profile_error_is_one_line_with_file_and_line(write_profile: Callable[..., Path]) -> None:
    path = write_profile(warmEniTarget=1, warmIpTarget=2)
    result = run("--profile", str(path))
    assert result.exit_code == 2
    assert (
        f"{path}:" in result.stderr and "warmEniTarget is ignored when warmIpTarget is set" in result.stderr
    )
    assert result.stderr.count("\n") == 1
