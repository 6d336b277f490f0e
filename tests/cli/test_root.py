"""The root command: its table of commands, read without importing them, says what each command says."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
import typer.core
from typer.testing import CliRunner

from eksnet_manifests.cli import app
from eksnet_manifests.cli.root import COMMANDS, Command, click_command

runner = CliRunner()
short_help = typer.core._click.utils.make_default_short_help


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.name)
@pytest.mark.parametrize("width", [40, 80, 200])
def test_root_lists_each_command_with_its_own_help(command: Command, width: int) -> None:
    # GIVEN a row of the table WHEN its command is built THEN the command list shows what the command's
    # own help (docstring or group help) would show at that width
    built = click_command(command)
    assert built.get_short_help_str(width) == short_help(command.summary, width)


def test_every_command_module_is_listed() -> None:
    # GIVEN the command modules of cli/ WHEN the table is read THEN each command object is in it once
    names = [command.name for command in COMMANDS]
    assert len(names) == len(set(names))
    targets = {command.target for command in COMMANDS}
    assert len(targets) == len(COMMANDS)


LOADED_AFTER = """
import atexit, json, sys
from eksnet_manifests.cli import main
sys.argv = ["eksnet", *sys.argv[1:]]
atexit.register(lambda: print(json.dumps(sorted(sys.modules))))
main()
"""
HEAVY = ("pydantic", "jsii", "cdk8s", "ruamel", "yaml", "jsonschema_rs", "rich")


def _modules_loaded(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER, *args], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_root_help_loads_no_command_and_no_heavy_library() -> None:
    # GIVEN `eksnet --help` WHEN it has printed the command list THEN no command module, profile model,
    # YAML parser or cdk8s was imported for it
    loaded = _modules_loaded("--help")
    commands = [name for name in loaded if name.startswith("eksnet_manifests.") and "cli" not in name]
    assert commands == ["eksnet_manifests.errors"]
    assert not [name for name in loaded if name.split(".")[0] in HEAVY]
    assert not {command.target.partition(":")[0] for command in COMMANDS} & set(loaded)


def test_a_command_loads_only_its_own_module() -> None:
    # GIVEN `eksnet cni max-pods` WHEN it runs THEN the other commands' modules stay unloaded
    loaded = _modules_loaded("cni", "max-pods", "t3.medium")
    others = {command.target.partition(":")[0] for command in COMMANDS if command.name != "cni"}
    assert "eksnet_manifests.cli.cni" in loaded
    assert not others & set(loaded)
    assert "eksnet_manifests.profile.profile" not in loaded


def test_validate_without_a_profile_loads_no_profile_model(tmp_path) -> None:
    # GIVEN a manifest and no eksnet.yaml above it WHEN validate runs THEN the profile models stay unloaded
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    done = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER, "validate", str(tmp_path / "cm.yaml")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=tmp_path,
    )
    loaded = json.loads(done.stdout.splitlines()[-1])
    assert "eksnet_manifests.check.validate" in loaded
    assert not [
        name for name in loaded if name.startswith("eksnet_manifests.profile.") and "discovery" not in name
    ]


def test_unknown_command_is_a_usage_error() -> None:
    result = runner.invoke(app, ["genn"])
    assert result.exit_code == 2
    assert "No such command" in result.output
