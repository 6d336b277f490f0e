"""The ExternalDNS table: chart to app version, annotation prefix and route versions per release."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from eksnet_manifests.versions import external_dns
from eksnet_manifests.versions.release import parse_release


def test_releases_ascend() -> None:
    assert list(external_dns.RELEASES) == sorted(external_dns.RELEASES, key=parse_release)
    assert set(external_dns.CHARTS.values()) <= set(external_dns.RELEASES)


@pytest.mark.parametrize("folder", ["1.21.1", "v0.22.0/chart-unreleased"])
def test_chart_app_version_matches_the_chart_file(upstream: Path, folder: str) -> None:
    chart = yaml.safe_load((upstream / "external-dns" / folder / "Chart.yaml").read_text("utf-8"))
    assert external_dns.app_version(chart["version"]) == f"v{chart['appVersion']}"


@pytest.mark.parametrize(
    ("version", "prefix"),
    [
        ("v0.21.0", "external-dns.alpha.kubernetes.io/"),
        ("v0.22.0", "external-dns.kubernetes.io/"),
        ("v0.23.1", "external-dns.kubernetes.io/"),
    ],
    ids=["alpha-until-0.21", "ga-from-0.22", "later-release"],
)
def test_annotation_prefix_per_release(version: str, prefix: str) -> None:
    assert external_dns.annotation_prefix(version) == prefix


def test_annotation_prefix_of_the_documented_release_is_the_one_its_docs_use(upstream: Path) -> None:
    # GIVEN the v0.22.0 AWS tutorial / THEN its hostname annotation uses the prefix the table gives
    text = (upstream / "external-dns" / "v0.22.0" / "docs" / "tutorials" / "aws.md").read_text("utf-8")
    assert f"{external_dns.annotation_prefix('v0.22.0')}hostname" in text


@pytest.mark.parametrize(
    ("version", "source", "watches"),
    [
        ("v0.21.0", "gateway-tlsroute", (("Gateway", "v1"), ("TLSRoute", "v1alpha2"))),
        ("v0.22.0", "gateway-tlsroute", (("Gateway", "v1"), ("TLSRoute", "v1"))),
        ("v0.20.0", "gateway-httproute", (("Gateway", "v1beta1"), ("HTTPRoute", "v1beta1"))),
        ("v0.21.0", "service", ()),
    ],
    ids=["tlsroute-alpha", "tlsroute-ga", "httproute-beta", "not-a-gateway-source"],
)
def test_source_watches(version: str, source: str, watches: tuple[tuple[str, str], ...]) -> None:
    assert external_dns.source_watches(version, source) == watches
