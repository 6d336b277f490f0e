"""CRD sources: files, folders and URLs (through the download cache), and what each CRD version offers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eksnet_manifests.check.schema.crds import crd_cache_path, crd_versions, load_crd_documents
from eksnet_manifests.check.schema.registry import SchemaRegistry
from eksnet_manifests.errors import CheckError

RELEASE_URL = "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.3.0/standard-install.yaml"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_folder_source_yields_every_crd_sorted_by_file(gateway_crds):
    docs = load_crd_documents([str(gateway_crds)])
    names = [doc.obj["metadata"]["name"] for doc in docs]
    assert names == sorted(names)
    assert "gateways.gateway.networking.k8s.io" in names


def test_url_source_is_read_from_the_cache_without_network(cache_home, gateway_crds):
    # GIVEN the cache already holds the release file of a URL (here: the v1.3.0 CRDs joined into one stream)
    cached = crd_cache_path(RELEASE_URL)
    assert cached.is_relative_to(cache_home / "eksnet" / "crds")
    cached.parent.mkdir(parents=True)
    cached.write_text("\n---\n".join(p.read_text() for p in sorted(gateway_crds.glob("*.yaml"))))
    # WHEN a registry is built from the URL
    registry = SchemaRegistry.build("1.34", [RELEASE_URL])
    # THEN its kinds are known, with the URL as their source
    assert registry.has_schema("gateway.networking.k8s.io/v1", "HTTPRoute")
    assert registry.crds["gateway.networking.k8s.io", "HTTPRoute"]["v1"].source.startswith(RELEASE_URL)


def test_unreachable_url_is_a_check_error(cache_home):
    with pytest.raises(CheckError, match="cannot download CRDs"):
        load_crd_documents(["https://127.0.0.1:9/standard-install.yaml"])


def test_source_without_crds_is_a_check_error(tmp_path):
    path = tmp_path / "service.yaml"
    path.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: x}\n")
    with pytest.raises(CheckError, match=f"{path}: no CustomResourceDefinition found"):
        load_crd_documents([str(path)])


def test_non_crd_documents_in_a_source_are_ignored(tmp_path, gateway_crds):
    # GIVEN a folder with a CRD and a non-CRD document (like v1.6.1's ValidatingAdmissionPolicy file)
    shutil.copy(gateway_crds / "gateway.networking.k8s.io_gatewayclasses.yaml", tmp_path)
    (tmp_path / "vap.yaml").write_text(
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n"
    )
    # WHEN loaded THEN only the CRD comes back
    assert [doc.obj["kind"] for doc in load_crd_documents([str(tmp_path)])] == ["CustomResourceDefinition"]


def test_crd_versions_carry_served_deprecated_and_status(lbc_crds):
    [doc] = load_crd_documents([str(lbc_crds / "gateway" / "gateway.k8s.aws_targetgroupconfigurations.yaml")])
    versions = {v.version: v for v in crd_versions(doc.obj)}
    assert versions["v1"].served and versions["v1"].deprecation is None
    assert versions["v1beta1"].deprecation
    assert versions["v1"].status_subresource


def test_v1beta1_crd_with_top_level_schema():
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1beta1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"kind": "Widget", "plural": "widgets"},
            "version": "v1",
            "validation": {"openAPIV3Schema": {"type": "object"}},
        },
    }
    [version] = crd_versions(crd)
    assert (version.api_version, version.kind, version.schema) == (
        "example.com/v1",
        "Widget",
        {"type": "object"},
    )
