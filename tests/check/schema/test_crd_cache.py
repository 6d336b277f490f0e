"""The CRD cache of pinned releases: import from files, fetch release files, and what gen/validate get."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from eksnet_manifests.check.schema.crd_cache import (
    CrdCache,
    CrdSet,
    fetch_crd_set,
    import_folder,
    pinned_crds,
)
from eksnet_manifests.errors import CheckError
from eksnet_manifests.versions.pins import Pins


@pytest.fixture
def cache(tmp_path: Path) -> CrdCache:
    return CrdCache(tmp_path / "cache")


def release_files(upstream: Path) -> dict[str, str]:
    """What the release URLs would serve, made from the upstream CRD files."""

    def joined(folder: Path) -> str:
        return "\n---\n".join(p.read_text("utf-8") for p in sorted(folder.glob("*.yaml")))

    lbc = upstream / "aws-load-balancer-controller" / "v3.5.0" / "crd"
    gateway = "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml"
    raw = "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0"
    return {
        gateway: joined(upstream / "gateway-api" / "v1.6.1" / "standard"),
        f"{raw}/helm/aws-load-balancer-controller/crds/crds.yaml": joined(lbc / "bases"),
        f"{raw}/config/crd/gateway/gateway-crds.yaml": joined(lbc / "gateway"),
    }


def test_import_keys_gateway_api_by_its_bundle_annotations_and_lbc_by_the_tag_folder(upstream, cache) -> None:
    # GIVEN the upstream trees (Gateway API per release and channel, LBC under vX.Y.Z folders)
    imported = [
        *import_folder(upstream / "gateway-api", cache),
        *import_folder(upstream / "aws-load-balancer-controller", cache),
    ]
    # THEN every release is cached under its own key, with every kind its table lists
    labels = {item.crd_set.label: item.crds for item in imported}
    assert labels == {
        "Gateway API v1.3.0 (experimental)": 11,
        "Gateway API v1.3.0 (standard)": 5,
        "Gateway API v1.6.1 (experimental)": 13,
        "Gateway API v1.6.1 (standard)": 10,
        "AWS Load Balancer Controller v2.14.1": 5,
        "AWS Load Balancer Controller v3.1.0": 6,
        "AWS Load Balancer Controller v3.5.0": 6,
    }
    assert all(item.missing_kinds == () for item in imported)
    crds = cache.lbc_crds("v3.1.0") or []
    assert {crd["spec"]["names"]["kind"] for crd in crds} >= {
        "TargetGroupBinding",
        "LoadBalancerConfiguration",
    }


def test_import_reports_kinds_the_release_has_but_the_folder_lacks(upstream, cache, tmp_path) -> None:
    folder = tmp_path / "partial"
    folder.mkdir()
    shutil.copy(
        upstream / "gateway-api" / "v1.3.0" / "standard" / "gateway.networking.k8s.io_gateways.yaml", folder
    )
    [imported] = import_folder(folder, cache)
    assert imported.missing_kinds == ("GRPCRoute", "GatewayClass", "HTTPRoute", "ReferenceGrant")


def test_lbc_crds_need_a_version(upstream, cache, tmp_path) -> None:
    # GIVEN LBC CRDs in a folder not named after a tag
    folder = tmp_path / "crds"
    shutil.copytree(upstream / "aws-load-balancer-controller" / "v3.5.0" / "crd" / "gateway", folder)
    # WHEN imported without a version / THEN refused, naming the option
    with pytest.raises(CheckError, match="pass --lbc-version"):
        import_folder(folder, cache)
    # AND with it, cached as that release
    [imported] = import_folder(folder, cache, "v3.5.0")
    assert imported.crd_set == CrdSet.lbc("v3.5.0")


def test_lbc_crds_take_their_release_from_the_imported_folder_itself(upstream, cache) -> None:
    # GIVEN the release folder named after its tag, the CRDs in sub-folders (crd/bases, crd/gateway)
    folder = upstream / "aws-load-balancer-controller" / "v3.1.0"
    # WHEN that folder is imported / THEN its CRDs are cached as that release
    [imported] = import_folder(folder, cache)
    assert imported.crd_set == CrdSet.lbc("v3.1.0")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n",
            "no Gateway API, AWS Load Balancer Controller, Argo CD or Flux CRDs",
        ),
        (
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            "metadata: {name: gateways.gateway.networking.k8s.io}\n"
            "spec: {group: gateway.networking.k8s.io, names: {kind: Gateway}, versions: []}\n",
            "lacks the gateway.networking.k8s.io/bundle-version",
        ),
    ],
    ids=["no-crds", "gateway-crd-without-bundle-annotations"],
)
def test_import_refuses_what_it_cannot_place(cache, tmp_path, content: str, message: str) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "crd.yaml").write_text(content)
    with pytest.raises(CheckError, match=message):
        import_folder(tmp_path / "in", cache)


def test_fetch_downloads_the_release_files_with_a_timeout(upstream, cache, monkeypatch) -> None:
    # GIVEN release URLs answered from upstream files
    monkeypatch.delenv("EKSNET_OFFLINE")
    served = release_files(upstream)
    asked: list[tuple[str, float]] = []

    def download(url: str, timeout: float) -> str:
        asked.append((url, timeout))
        return served[url]

    # WHEN both pinned sets are fetched
    for crd_set in (CrdSet.gateway_api("v1.6.1", "standard"), CrdSet.lbc("v3.5.0")):
        fetch_crd_set(crd_set, cache, download, timeout=7)
    # THEN exactly the release files were asked for, each with the timeout, and the CRDs are cached
    assert sorted(url for url, _ in asked) == sorted(served) and {t for _, t in asked} == {7}
    assert len(cache.gateway_api_crds("v1.6.1", "standard") or []) == 10
    assert len(cache.lbc_crds("v3.5.0") or []) == 6


def test_fetch_is_refused_offline(cache, monkeypatch) -> None:
    monkeypatch.setenv("EKSNET_OFFLINE", "1")
    with pytest.raises(CheckError, match="EKSNET_OFFLINE is set"):
        fetch_crd_set(CrdSet.lbc("v3.5.0"), cache, lambda url, timeout: pytest.fail("no download offline"))


def test_pinned_crds_come_from_the_cache_with_their_release_as_source(crd_cache: Path) -> None:
    # GIVEN the session's cache, seeded from upstream
    crds, notes = pinned_crds(Pins("v1.3.0", "standard", None), cache=CrdCache(crd_cache))
    assert notes == [] and len(crds) == 5
    assert {source for _, source in crds} == {"Gateway API v1.3.0 (standard) (CRD cache)"}


def test_missing_pinned_crds_are_downloaded_once_when_online(upstream, cache, monkeypatch) -> None:
    monkeypatch.delenv("EKSNET_OFFLINE")
    served = release_files(upstream)
    crds, notes = pinned_crds(
        Pins("v1.6.1", "standard", "v3.5.0"), cache=cache, download=lambda u, t: served[u]
    )
    assert notes == [] and len(crds) == 16
    # a second run needs no network
    again, _ = pinned_crds(
        Pins("v1.6.1", "standard", "v3.5.0"), cache=cache, download=lambda u, t: pytest.fail(u)
    )
    assert len(again) == 16


def test_unavailable_pinned_crds_give_one_note_naming_the_fix(cache, monkeypatch) -> None:
    monkeypatch.delenv("EKSNET_OFFLINE")

    def unreachable(url: str, timeout: float) -> str:
        raise CheckError("cannot download CRDs: network unreachable")

    crds, notes = pinned_crds(Pins("v1.6.1", "standard", "v3.5.0"), cache=cache, download=unreachable)
    assert crds == []
    [note] = notes
    assert "Gateway API v1.6.1 (standard) and AWS Load Balancer Controller v3.5.0" in note
    assert "network unreachable" in note and "`eksnet crds fetch`" in note


def test_only_the_sets_serving_the_objects_groups_are_resolved(cache) -> None:
    _, notes = pinned_crds(Pins("v1.6.1", "standard", "v3.5.0"), groups={"apps", ""}, cache=cache)
    assert notes == []


def test_a_damaged_cache_entry_is_a_check_error(cache) -> None:
    path = cache.path(CrdSet.lbc("v3.5.0"))
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps([{"kind": "Service"}]))
    with pytest.raises(CheckError, match="not a list of CRDs"):
        cache.lbc_crds("v3.5.0")
