"""`eksnet validate out/<cluster>` checks what the kustomization applies, as CI on a GitOps repo does."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from eksnet_manifests.cli import app

runner = CliRunner()


def test_generated_tree_validates_clean_against_upstream_crds(tmp_path: Path, upstream: Path) -> None:
    assert runner.invoke(app, ["gen", "all", "--out", str(tmp_path)]).exit_code == 0
    tree = tmp_path / "myeks"
    crds = [
        upstream / "gateway-api" / "v1.3.0" / "experimental",
        upstream / "aws-load-balancer-controller" / "v3.5.0" / "crd" / "gateway",
    ]
    args = ["validate", str(tree), *(arg for crd in crds for arg in ("--crds", str(crd)))]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "ClusterConfig" not in result.output  # eksctl fragments are not applied, so not validated
    assert "0 error(s)" in result.output


def test_broken_reference_in_a_tree_fails_validation(tmp_path: Path, upstream: Path) -> None:
    assert runner.invoke(app, ["gen", "all", "--out", str(tmp_path)]).exit_code == 0
    route_file = tmp_path / "myeks" / "apps" / "gwapi.yaml"
    route_file.write_text(route_file.read_text().replace("sectionName: http", "sectionName: https"))
    crds = upstream / "gateway-api" / "v1.3.0" / "experimental"
    args = ["validate", str(tmp_path / "myeks"), "--crds", str(crds), "--ignore-missing-schemas"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "route-listener-missing" in result.output
