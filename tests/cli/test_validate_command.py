"""`eksnet validate` through its command function, mounted as the root will mount it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from eksnet_manifests.cli._boundary import BoundaryGroup
from eksnet_manifests.cli.validate import validate_command

VALID = """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: default}
spec:
  gatewayClassName: alb
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: alb}
spec: {controllerName: gateway.k8s.aws/alb}
"""
INVALID = VALID.replace(
    "{name: http, protocol: HTTP, port: 80}",
    "{name: http, protocol: HTTP, port: 80, tls: {certificateRefs: [{name: c}]}}",
)


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer(cls=BoundaryGroup)
    app.command("validate")(validate_command)
    app.command("noop", hidden=True)(lambda: None)  # keeps "validate" a subcommand, as under the root
    return app


@pytest.fixture
def crds(upstream: Path) -> list[str]:
    return ["--crds", str(upstream / "gateway-api" / "v1.3.0" / "standard")]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "manifests.yaml"
    path.write_text(text)
    return path


def test_valid_manifests_exit_0(app, crds, tmp_path):
    result = CliRunner().invoke(app, ["validate", str(write(tmp_path, VALID)), *crds])
    assert result.exit_code == 0, result.output
    assert "checked 1 file, 2 objects (Gateway 1, GatewayClass 1): 0 errors, 0 warnings" in result.output


def test_invalid_manifest_exits_1_with_file_line_and_path(app, crds, tmp_path):
    path = write(tmp_path, INVALID)
    result = CliRunner().invoke(app, ["validate", str(path), *crds])
    assert result.exit_code == 1
    assert (
        f"{path}:6 [doc 0]: error cel: Gateway/default/web spec.listeners: tls must not be specified"
        in result.output
    )


def test_json_output_lists_findings(app, crds, tmp_path):
    result = CliRunner().invoke(app, ["validate", str(write(tmp_path, INVALID)), *crds, "--output", "json"])
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    errors = {(f["rule"], f["path"], f["kind"], f["name"]) for f in findings if f["severity"] == "error"}
    assert errors == {("cel", "spec.listeners", "Gateway", "web")}


def test_no_cel_skips_rules(app, crds, tmp_path):
    result = CliRunner().invoke(app, ["validate", str(write(tmp_path, INVALID)), *crds, "--no-cel"])
    assert result.exit_code == 0, result.output


def test_missing_schema_fails_unless_ignored(app, tmp_path):
    path = write(tmp_path, VALID)
    assert CliRunner().invoke(app, ["validate", str(path)]).exit_code == 1
    assert CliRunner().invoke(app, ["validate", str(path), "--ignore-missing-schemas"]).exit_code == 0


def test_strict_fails_on_warnings(app, crds, tmp_path):
    # A route to a Service not in the input is a warning; --strict says the input is everything.
    route = VALID + (
        "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
        "metadata: {name: r, namespace: apps}\n"
        "spec: {parentRefs: [{name: web}], rules: [{backendRefs: [{name: svc, port: 80}]}]}\n"
    )
    path = write(tmp_path, route)
    assert CliRunner().invoke(app, ["validate", str(path), *crds]).exit_code == 0
    assert CliRunner().invoke(app, ["validate", str(path), *crds, "--strict"]).exit_code == 1


def test_stdin_is_read_for_dash(app, crds):
    result = CliRunner().invoke(app, ["validate", "-", *crds], input=INVALID)
    assert result.exit_code == 1
    assert "<stdin>:6 [doc 0]: error cel" in result.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "absent.yaml: no such file or directory"),
    ],
    ids=["missing-file"],
)
def test_unreadable_input_exits_2_without_traceback(app, tmp_path, text, expected):
    path = write(tmp_path, text) if text is not None else tmp_path / "absent.yaml"
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output


def test_kubeconform_engine_needs_the_binary(app, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = CliRunner().invoke(app, ["validate", str(write(tmp_path, VALID)), "--engine", "kubeconform"])
    assert result.exit_code == 2
    assert "needs the kubeconform binary on PATH" in result.output
