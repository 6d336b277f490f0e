"""`eksnet crds`: import, list and fetch through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from eksnet_manifests.cli.root import app

runner = CliRunner()


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EKSNET_CRD_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_import_then_list(upstream: Path, own_cache: Path) -> None:
    imported = runner.invoke(app, ["crds", "import", str(upstream / "aws-load-balancer-controller")])
    assert imported.exit_code == 0, imported.output
    assert "AWS Load Balancer Controller v3.1.0: 6 CRDs ->" in imported.output
    listed = runner.invoke(app, ["crds", "list"])
    assert listed.exit_code == 0
    assert listed.output.splitlines()[0] == f"CRD cache: {own_cache}"
    assert "AWS Load Balancer Controller v3.5.0: 6 CRDs" in listed.output


def test_fetch_skips_what_is_cached(crd_cache: Path) -> None:
    # GIVEN the session's cache, seeded from upstream, holding the lab's releases
    result = runner.invoke(app, ["crds", "fetch", "--profile", "profiles/myeks.yaml"])
    assert result.exit_code == 0, result.output
    assert "Gateway API v1.3.0 (experimental): cached at" in result.output
    assert "AWS Load Balancer Controller v3.1.0: cached at" in result.output


def test_fetch_includes_the_gitops_engine_s_crds(crd_cache: Path, tmp_path: Path) -> None:
    profile = tmp_path / "eksnet.yaml"
    bundled = Path(__file__).resolve().parents[2] / "profiles" / "myeks.yaml"
    profile.write_text(bundled.read_text() + "\ngitops: {engine: flux}\n")
    result = runner.invoke(app, ["crds", "fetch", "--profile", str(profile)])
    assert result.exit_code == 0, result.output
    assert "Flux v2.9.4: cached at" in result.output


def test_fetch_offline_is_bad_input_naming_the_import_command(own_cache: Path) -> None:
    result = runner.invoke(
        app, ["crds", "fetch", "--profile", "profiles/myeks.yaml", "--gateway-api", "v1.6.1"]
    )
    assert result.exit_code == 2
    assert "not downloading Gateway API v1.6.1 (experimental); use eksnet crds import DIR" in result.output


def test_import_of_a_folder_without_crds_is_bad_input(tmp_path: Path, own_cache: Path) -> None:
    result = runner.invoke(app, ["crds", "import", str(tmp_path)])
    assert result.exit_code == 2
    assert "no Gateway API, AWS Load Balancer Controller, Argo CD or Flux CRDs found" in result.output


@pytest.mark.parametrize(
    ("folder", "options", "says"),
    [
        ("argo-cd", [], "Argo CD v3.5.1: 3 CRDs ->"),
        ("flux", ["--flux-version", "v2.9.4"], "Flux v2.9.4: 8 CRDs ->"),
    ],
    ids=["argo-cd-release-from-its-folder", "flux-release-from-the-option"],
)
def test_gitops_engine_crds_are_imported_per_release(
    upstream: Path, own_cache: Path, folder: str, options: list[str], says: str
) -> None:
    result = runner.invoke(app, ["crds", "import", str(upstream / folder), *options])
    assert result.exit_code == 0, result.output
    assert says in result.output


def test_flux_crds_without_a_release_name_the_option(upstream: Path, own_cache: Path) -> None:
    result = runner.invoke(app, ["crds", "import", str(upstream / "flux")])
    assert result.exit_code == 2
    assert "which Flux release" in result.output and "pass --flux-version" in result.output
