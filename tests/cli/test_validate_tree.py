"""`eksnet validate out/<cluster>` checks what the kustomization applies, as CI on a GitOps repo does."""

from __future__ import annotations

import shutil
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
    assert ": 0 errors," in result.output


def test_broken_reference_in_a_tree_fails_validation(tmp_path: Path, upstream: Path) -> None:
    assert runner.invoke(app, ["gen", "all", "--out", str(tmp_path)]).exit_code == 0
    route_file = tmp_path / "myeks" / "apps" / "gwapi.yaml"
    route_file.write_text(route_file.read_text().replace("sectionName: http", "sectionName: https"))
    crds = upstream / "gateway-api" / "v1.3.0" / "experimental"
    args = ["validate", str(tmp_path / "myeks"), "--crds", str(crds), "--ignore-missing-schemas"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "route-listener-missing" in result.output


def test_profile_crd_sources_resolve_from_the_profile_folder(tmp_path: Path, upstream: Path) -> None:
    # GIVEN a profile naming its CRD folders relative to itself, and a tree generated with them
    crds = tmp_path / "crds"
    shutil.copytree(upstream / "gateway-api" / "v1.3.0" / "standard", crds / "gateway-api")
    shutil.copytree(upstream / "aws-load-balancer-controller" / "v3.5.0" / "crd" / "gateway", crds / "lbc")
    profile = tmp_path / "eksnet.yaml"
    profile.write_text(
        "cluster: {name: tiny, region: us-east-1, vpcId: vpc-0123456789abcdef0}\n"
        "nodeGroups: [{name: a, instanceType: t3.medium, desiredSize: 1}]\n"
        "validation: {crdSources: [crds/gateway-api, crds/lbc]}\n"
        "apps: [{name: web, expose: {type: gateway, hosts: [web.example.com]}}]\n"
    )
    generated = runner.invoke(app, ["gen", "all", "-p", str(profile), "--out", str(tmp_path / "out")])
    assert generated.exit_code == 0, generated.output
    assert "not schema-checked" not in generated.output
    # WHEN the tree is validated with the same profile; THEN every custom resource has its schema
    result = runner.invoke(app, ["validate", str(tmp_path / "out" / "tiny"), "--profile", str(profile)])
    assert result.exit_code == 0, result.output
