"""`eksnet validate out/<cluster>` checks what the kustomization applies, as CI on a GitOps repo does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
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


def test_a_generated_tree_is_judged_by_the_releases_it_was_generated_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the lab's tree written by gen (CRDs vendored from the cache)
    assert runner.invoke(app, ["gen", "all", "--out", str(tmp_path / "out")]).exit_code == 0
    # WHEN validated without a profile, from an empty folder, with an empty cache and no network
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EKSNET_CRD_CACHE", str(tmp_path / "empty-cache"))
    result = runner.invoke(app, ["validate", "out/myeks", "--strict"])
    # THEN its manifest's pins and vendored CRDs apply: every custom resource is checked, nothing unknown
    assert result.exit_code == 0, result.output
    assert "note:" not in result.output and "HTTPRoute 1" in result.output


def test_a_profile_given_wins_over_the_tree_s_manifest(tmp_path: Path) -> None:
    # GIVEN the lab's tree (Gateway API experimental) and a profile pinning the standard channel
    assert runner.invoke(app, ["gen", "all", "--out", str(tmp_path / "out")]).exit_code == 0
    bundled = Path(__file__).resolve().parents[2] / "profiles" / "myeks.yaml"
    profile = tmp_path / "standard.yaml"
    profile.write_text(bundled.read_text().replace("channel: experimental", "channel: standard"))
    tree = str(tmp_path / "out" / "myeks")
    # WHEN validated with it / THEN its releases judge the tree: the TCP/UDP/TLS route kinds are missing
    result = runner.invoke(app, ["validate", tree, "--profile", str(profile)])
    assert result.exit_code == 1 and "external-dns-gateway-api-unserved" in result.output
    assert runner.invoke(app, ["validate", tree]).exit_code == 0
