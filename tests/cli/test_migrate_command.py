"""`eksnet migrate`: output files, report formats, exit codes, nothing written on errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from eksnet_manifests.cli import app

CASES = Path(__file__).parents[1] / "migrate" / "cases"
PROFILE = Path(__file__).parents[1] / "migrate" / "profile.yaml"


def _run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["migrate", *args, "--profile", str(PROFILE)], input=stdin)


def test_to_gateway_writes_the_gateways_then_the_routes_and_the_plan(tmp_path: Path, upstream: Path) -> None:
    result = _run(str(CASES / "single" / "input.yaml"), "--to", "gateway", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "cutover-plan.txt",
        "gateways.yaml",
        "routes.yaml",
    ]
    gateways = list(yaml.safe_load_all((tmp_path / "gateways.yaml").read_text()))
    assert {obj["kind"] for obj in gateways} == {"GatewayClass", "Gateway", "LoadBalancerConfiguration"}
    assert (tmp_path / "gateways.yaml").read_text().startswith("# Written by eksnet migrate")
    assert "Ingress/shop/web spec.rules[0].http.paths[0]: translated -> HTTPRoute" in result.stdout
    assert "DNS cut-over plan (--to gateway" in result.stdout


def test_to_profile_writes_a_fragment_gen_accepts(tmp_path: Path, upstream: Path) -> None:
    result = _run(str(CASES / "nlb-tcp" / "input.yaml"), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    fragment = yaml.safe_load((tmp_path / "profile.yaml").read_text())
    assert fragment["apps"][0]["expose"]["type"] == "nlb"


def test_json_report_is_written_to_the_report_file(tmp_path: Path, upstream: Path) -> None:
    report = tmp_path / "report.json"
    result = _run(
        str(CASES / "auth" / "input.yaml"),
        "--to",
        "gateway",
        "-o",
        "json",
        "--report",
        str(report),
        "--out",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(report.read_text())
    assert payload["target"] == "gateway"
    assert {row["status"] for row in payload["report"]} <= {"translated", "approximated", "not-translatable"}
    assert payload["cutover"]["records"][0]["host"] == "admin.example.com"


def test_stdin_is_read_with_a_dash(tmp_path: Path, upstream: Path) -> None:
    text = (CASES / "single" / "input.yaml").read_text()
    result = _run("-", "--to", "gateway", "--out", str(tmp_path), stdin=text)
    assert result.exit_code == 0, result.output
    assert "<stdin>:" in result.stdout


def test_errors_are_reported_and_nothing_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop, "
        'annotations: {alb.ingress.kubernetes.io/listen-ports: "[80]"}}\n'
        "spec: {rules: [{host: web.example.com}]}\n"
    )
    result = _run(str(bad), "--to", "gateway", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "error: LBC cannot read it" in result.stdout
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.yaml"], "no such file or directory"),
        (["{input}", "--as-apps"], "--as-apps goes with --to gateway"),
        (["{input}", "--to", "helm"], "'helm' is not one of"),
        (
            ["{deployment}"],
            "nothing to migrate: no Ingress LBC reconciles and no NLB Service (found Deployment)",
        ),
    ],
    ids=["missing-file", "as-apps-needs-gateway", "bad-target", "nothing-to-migrate"],
)
def test_bad_input_exits_2_without_a_traceback(tmp_path: Path, args: list[str], message: str) -> None:
    deployment = tmp_path / "deployment.yaml"
    deployment.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {}\n")
    given = [
        arg.replace("{input}", str(CASES / "single" / "input.yaml")).replace("{deployment}", str(deployment))
        for arg in args
    ]
    result = _run(*given, "--out", str(tmp_path))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
