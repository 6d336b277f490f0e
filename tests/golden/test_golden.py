"""Rendered trees match their committed golden copies, and every golden file is valid upstream.

The bundled lab profile's golden copy is the repository's own ``out/``. Refresh goldens with
``EKSNET_UPDATE_GOLDEN=1 python -m pytest tests/golden`` (never under CI).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from eksnet_manifests.check.findings import Severity
from eksnet_manifests.check.validate import ValidateOptions, validate_paths
from eksnet_manifests.generate import GenOptions, generate
from eksnet_manifests.profile.load import load_profile
from eksnet_manifests.render.kustomization import resources_of
from eksnet_manifests.render.tree import read_tree

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CASES = {
    "myeks": (REPO / "profiles" / "myeks.yaml", REPO / "out" / "myeks"),
    "minimal": (HERE / "minimal" / "profile.yaml", HERE / "minimal" / "expected" / "mini"),
    "load_balancers": (
        HERE / "load_balancers" / "profile.yaml",
        HERE / "load_balancers" / "expected" / "lbs",
    ),
    "gateways": (REPO / "profiles" / "gateways.yaml", HERE / "gateways" / "expected" / "shop"),
}


def _update_requested() -> bool:
    return os.environ.get("EKSNET_UPDATE_GOLDEN") == "1" and os.environ.get("CI", "").lower() != "true"


@pytest.mark.parametrize("case", sorted(CASES))
def test_rendered_tree_matches_golden(case: str, tmp_path: Path) -> None:
    profile, golden = CASES[case]
    result = generate(load_profile(profile), GenOptions(out=tmp_path))
    assert result.findings == [], [f.to_text() for f in result.findings]  # clean: not even a warning
    rendered = read_tree(result.cluster_dir)
    if _update_requested():
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(result.cluster_dir, golden)
    assert rendered == read_tree(golden), f"golden {golden} is stale: EKSNET_UPDATE_GOLDEN=1 refreshes it"


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_manifests_are_valid_against_upstream_crds(case: str, upstream: Path) -> None:
    # GIVEN the golden tree and the upstream CRD files of the releases its profile pins
    profile, golden = CASES[case]
    pins = load_profile(profile).profile.pins()
    manifests = [golden / path for path in resources_of((golden / "kustomization.yaml").read_bytes())]
    values = sorted((golden / "helm").glob("*.values.yaml"))
    crds = [
        str(upstream / "gateway-api" / str(pins.gateway_api) / pins.channel),
        str(upstream / "aws-load-balancer-controller" / str(pins.lbc) / "crd"),
    ]
    result = validate_paths([*manifests, *values], ValidateOptions(cel=True), "1.34", crds, strict=True)
    findings = result.findings
    errors = [f.to_text() for f in findings if f.severity is Severity.ERROR]
    assert errors == []
    assert len(manifests) >= 3


def test_the_committed_tree_regenerates_unchanged_offline_with_an_empty_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a fresh clone: the committed out/myeks/, no CRD cache, and downloads allowed but failing
    from eksnet_manifests.check.schema import crd_cache

    profile, golden = CASES["myeks"]
    shutil.copytree(golden, tmp_path / "myeks")
    monkeypatch.setenv("EKSNET_CRD_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.delenv("EKSNET_OFFLINE")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tree's own vendored CRDs are used before any download")

    monkeypatch.setattr(crd_cache, "fetch_crd_set", no_network)
    # WHEN the README's first command runs / THEN it changes nothing and leaves nothing unchecked
    result = generate(load_profile(profile), GenOptions(out=tmp_path))
    assert not result.change.drift and result.findings == []
    assert not [note for note in result.notes if "CRD" in note]
