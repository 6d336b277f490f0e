"""`eksnet schemas export`: kubeconform-layout schemas from CRDs."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from eksnet_manifests.cli.schemas import schemas_app


def test_export_writes_crds_catalog_layout(upstream: Path, tmp_path: Path):
    # GIVEN the schemas group mounted as the root mounts it
    app = typer.Typer()
    app.add_typer(schemas_app, name="schemas")
    crds = upstream / "gateway-api" / "v1.3.0" / "standard"
    # WHEN exporting the Gateway API CRDs
    result = CliRunner().invoke(app, ["schemas", "export", "--crds", str(crds), "--out", str(tmp_path)])
    # THEN one file per served version sits at {group}/{kind}_{version}.json, each path printed
    assert result.exit_code == 0, result.output
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.json")}
    assert "gateway.networking.k8s.io/httproute_v1.json" in written
    assert "gateway.networking.k8s.io/referencegrant_v1beta1.json" in written
    assert str(tmp_path / "gateway.networking.k8s.io" / "gateway_v1.json") in result.stdout
