"""The gateway.k8s.aws field table agrees with the CRDs of every LBC release in the upstream folder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from eksnet_manifests.versions import lbc, lbc_gateway

UPSTREAM_RELEASES = ("v2.14.1", "v3.1.0", "v3.5.0")
FILES = {
    "LoadBalancerConfiguration": "gateway.k8s.aws_loadbalancerconfigurations.yaml",
    "TargetGroupConfiguration": "gateway.k8s.aws_targetgroupconfigurations.yaml",
    "ListenerRuleConfiguration": "gateway.k8s.aws_listenerruleconfigurations.yaml",
}


def _storage_spec(upstream: Path, release: str, kind: str) -> dict[str, Any]:
    crd = yaml.safe_load(
        (upstream / "aws-load-balancer-controller" / release / "crd" / "gateway" / FILES[kind]).read_text()
    )
    version = next(entry for entry in crd["spec"]["versions"] if entry["storage"])
    return version["schema"]["openAPIV3Schema"]["properties"]["spec"]


def _node(schema: dict[str, Any], path: str) -> dict[str, Any] | None:
    node: dict[str, Any] | None = schema
    for part in path.split("."):
        name, items = part.removesuffix("[]"), part.endswith("[]")
        node = (node or {}).get("properties", {}).get(name)
        if node is not None and items:
            node = node.get("items")
    return node


@pytest.mark.parametrize("release", UPSTREAM_RELEASES)
@pytest.mark.parametrize(("kind", "path"), sorted(lbc_gateway.CRD_FIELDS), ids=lambda value: str(value))
def test_field_table_says_which_release_has_each_field(
    upstream: Path, release: str, kind: str, path: str
) -> None:
    # GIVEN the CRD of an LBC release / WHEN the table is asked about a field it lists
    present = _node(_storage_spec(upstream, release, kind), path) is not None
    # THEN it says the release accepts the field exactly when the CRD has it
    assert lbc_gateway.accepts_crd_field(release, kind, path) is present


@pytest.mark.parametrize("release", UPSTREAM_RELEASES)
def test_tcp_udp_protocol_port_and_optional_target_reference_follow_the_crds(
    upstream: Path, release: str
) -> None:
    pattern = _node(
        _storage_spec(upstream, release, "LoadBalancerConfiguration"), "listenerConfigurations[].protocolPort"
    )
    assert pattern is not None
    accepts_tcp_udp = re.search(pattern["pattern"], "TCP_UDP:53") is not None
    assert accepts_tcp_udp is lbc_gateway.at_least(release, lbc_gateway.PROTOCOL_PORT_TCP_UDP_SINCE)
    required = "targetReference" in _storage_spec(upstream, release, "TargetGroupConfiguration").get(
        "required", []
    )
    assert required is not lbc_gateway.at_least(release, lbc_gateway.OPTIONAL_TARGET_REFERENCE_SINCE)


def test_field_releases_are_known_releases() -> None:
    since = [
        *lbc_gateway.CRD_FIELDS.values(),
        lbc_gateway.LISTENER_SETS_SINCE,
        lbc_gateway.TCP_UDP_MERGE_SINCE,
    ]
    assert [release for release in since if not lbc.known_release(release)] == []


@pytest.mark.parametrize(
    ("release", "policy", "filters"),
    [
        ("v2.14.1", "single", {"RequestRedirect", "ExtensionRef"}),
        ("v2.17.0", "weighted", {"RequestRedirect", "ExtensionRef", "URLRewrite"}),
        ("v3.5.0", "oldest-route", {"RequestRedirect", "ExtensionRef", "URLRewrite"}),
    ],
)
def test_route_behaviour_histories_read_at_a_release(release: str, policy: str, filters: set[str]) -> None:
    assert lbc_gateway.l4_routes_per_port(release) == policy
    assert lbc_gateway.http_filters(release) == filters
