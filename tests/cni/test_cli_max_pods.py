"""`eksnet cni max-pods` through a typer app built the way the root command mounts it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from eksnet_manifests.cli._boundary import BoundaryGroup
from eksnet_manifests.cli.cni import cni_app

app = typer.Typer(cls=BoundaryGroup)
app.add_typer(cni_app, name="cni")


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["cni", "max-pods", *args])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["t3.medium"], "17"),
        (["t3.medium", "--prefix-delegation"], "110"),
        (["m5.large", "--custom-networking"], "20"),
    ],
    ids=["lab-secondary-ip", "lab-prefix-delegation", "custom-networking"],
)
def test_prints_the_number(args: list[str], expected: str) -> None:
    result = run(*args)
    assert (result.exit_code, result.stdout) == (0, f"{expected}\n")


def test_json_output_shows_the_working() -> None:
    result = run("m5.24xlarge", "--prefix-delegation", "--output", "json")
    data = json.loads(result.stdout)
    assert (data["maxPods"], data["cap"], data["vcpus"], data["enis"]) == (250, 250, 96, 15)
    assert data["formula"] == "15 ENIs x 49 x 16 + 2 = 11762, capped at 250"


def test_instance_data_file_answers_for_types_not_built_in(tmp_path: Path) -> None:
    data = tmp_path / "instance-info.jsonl"
    data.write_text('{"instanceType":"x9.big","defaultMaxENIs":4,"ipv4AddressesPerInterface":15}\n')
    result = run("x9.big", "--prefix-delegation", "--instance-data", str(data))
    # 4 x 14 x 16 + 2 is far above the cap; without a vCPU count the lower cap applies, and stderr says so
    assert (result.exit_code, result.stdout) == (0, "110\n")
    assert "vCPU count of x9.big unknown" in result.stderr


def test_upstream_instance_data_matches_the_builtin_answer(instance_info_path: Path) -> None:
    assert run("c6i.large", "--instance-data", str(instance_info_path)).stdout == run("c6i.large").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x9.big"], "unknown instance type 'x9.big'"),
        (["t2.medium", "--prefix-delegation"], "not built on the AWS Nitro System"),
        (["t3.medium", "--source", "aws", "--instance-data", "x.jsonl"], "choose one"),
        (["t3.medium", "--instance-data", "missing.jsonl"], "missing.jsonl: cannot read instance data"),
    ],
    ids=["unknown-type", "prefix-delegation-on-xen", "two-sources", "missing-file"],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
