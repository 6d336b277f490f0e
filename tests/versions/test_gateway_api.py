"""The Gateway API table agrees with upstream for every release and channel, and answers for them."""

from __future__ import annotations

import pytest

from eksnet_manifests.versions import gateway_api
from eksnet_manifests.versions.release import UnknownRelease, parse_release


def _upstream_form(version: str, channel: str) -> dict[str, dict[str, object]]:
    return {
        kind: {
            "group": served.group,
            "served": sorted(f"{v}*" if v == served.storage else v for v in served.served),
        }
        for kind, served in gateway_api.served_kinds(version, channel).items()
    }


def test_releases_ascend_and_match_upstream(gateway_api_upstream) -> None:
    assert list(gateway_api.RELEASES) == sorted(gateway_api.RELEASES, key=parse_release)
    assert list(gateway_api.RELEASES) == list(gateway_api_upstream)


@pytest.mark.parametrize("channel", gateway_api.CHANNELS)
def test_served_kinds_match_upstream_for_every_release(gateway_api_upstream, channel: str) -> None:
    # GIVEN what each release's config/crd/<channel> serves / WHEN read from the table / THEN identical
    mismatches = {
        version: _upstream_form(version, channel)
        for version, channels in gateway_api_upstream.items()
        if _upstream_form(version, channel)
        != {
            kind: {"group": f["group"], "served": sorted(f["served"])}
            for kind, f in channels[channel].items()
        }
    }
    assert mismatches == {}


@pytest.mark.parametrize(
    ("version", "channel", "kind", "expected"),
    [
        ("v1.3.0", "standard", "HTTPRoute", "gateway.networking.k8s.io/v1"),
        ("v1.3.0", "experimental", "TCPRoute", "gateway.networking.k8s.io/v1alpha2"),
        ("v1.4.0", "experimental", "TLSRoute", "gateway.networking.k8s.io/v1alpha3"),
        ("v1.6.1", "standard", "ReferenceGrant", "gateway.networking.k8s.io/v1"),
        ("v1.3.0", "standard", "TCPRoute", None),
    ],
    ids=["ga", "alpha-only", "newest-alpha", "ga-beside-storage-beta", "not-in-channel"],
)
def test_api_version_is_the_most_stable_served(
    version: str, channel: str, kind: str, expected: str | None
) -> None:
    assert gateway_api.api_version(version, channel, kind) == expected


@pytest.mark.parametrize(
    ("channel", "needs", "expected"),
    [
        ("experimental", [("TCPRoute", "v1"), ("HTTPRoute", "v1")], "v1.6.0"),
        ("standard", [("TLSRoute", "v1")], "v1.5.0"),
        ("standard", [("TCPRoute", "v1alpha2")], None),
        ("standard", [("GRPCRoute", "v1")], "v1.1.0"),
    ],
    ids=["l4-v1", "tlsroute-ga", "alpha-never-standard", "grpcroute-ga"],
)
def test_first_release_serving(channel: str, needs: list[tuple[str, str]], expected: str | None) -> None:
    assert gateway_api.first_release_serving(channel, needs) == expected


def test_release_after_the_table_uses_the_newest_entry_and_others_are_refused() -> None:
    assert gateway_api.table_release("v1.7.2") == "v1.6.1"
    with pytest.raises(UnknownRelease, match="major version 0 is not known"):
        gateway_api.table_release("v0.8.1")


def test_install_url_is_the_release_asset() -> None:
    assert gateway_api.install_url("v1.6.1", "standard") == (
        "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml"
    )
