"""The AWS Load Balancer Controller tables agree with upstream, release by release."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from eksnet_manifests.versions import lbc
from eksnet_manifests.versions.release import UnknownRelease, parse_release

NOTHING_SERVED = frozenset[str]()


def serves(*kinds: tuple[str, str, str]) -> lbc.ServedLookup:
    """A cluster serving exactly ``(group, kind, version)`` entries."""

    def lookup(group: str, kind: str) -> frozenset[str]:
        return frozenset(version for g, k, version in kinds if (g, k) == (group, kind))

    return lookup


def gateway_api(*kinds: tuple[str, str]) -> list[tuple[str, str, str]]:
    return [(lbc.GATEWAY_API_GROUP, kind, version) for kind, version in kinds]


def own_crds(version: str) -> list[tuple[str, str, str]]:
    return [
        (lbc.GROUP, kind, api)
        for kind, apis in lbc.served_gateway_aws_versions(version).items()
        for api in apis
    ]


def test_table_releases_ascend_so_nearest_lower_lookup_holds() -> None:
    assert list(lbc.RELEASES) == sorted(lbc.RELEASES, key=parse_release)


def test_every_upstream_release_is_in_the_table(lbc_upstream) -> None:
    assert [v for v in lbc_upstream if not lbc.known_release(v) or lbc.table_release(v) != v] == []


@pytest.mark.parametrize(
    ("table", "upstream_key"),
    [
        (lbc.feature_gates, "featureGates"),
        (
            lambda v: {k: sorted(a) for k, a in lbc.served_gateway_aws_versions(v).items()},
            "gatewayK8sAwsCrdVersions",
        ),
        (lambda v: {"version": lbc.chart_version(v), "appVersion": v}, "chart"),
        (lbc.gateway_api_module, "gatewayApiModule"),
    ],
    ids=["feature-gates", "gateway-k8s-aws-crd-versions", "chart", "gateway-api-module"],
)
def test_table_matches_upstream_for_every_release(lbc_upstream, table, upstream_key: str) -> None:
    # GIVEN each tag's facts upstream / WHEN the table is read at that release / THEN they agree
    mismatches = {
        version: table(version)
        for version, facts in lbc_upstream.items()
        if table(version)
        != (
            {k: sorted(a) for k, a in facts[upstream_key].items()}
            if upstream_key == "gatewayK8sAwsCrdVersions"
            else facts[upstream_key]
        )
    }
    assert mismatches == {}


def test_every_watched_kind_is_used_by_the_code_at_that_version(lbc_upstream) -> None:
    # GIVEN every gateway gate on and every kind served / WHEN the watches are listed per release
    everything = lambda group, kind: frozenset({"v1", "v1beta1", "v1alpha2"})  # noqa: E731
    for version, facts in lbc_upstream.items():
        on = {gate: True for gate in lbc.GATEWAY_GATES if gate in facts["featureGates"]}
        watches = lbc.gateway_controllers(version, on, everything).watches
        # THEN each watch is a kind the code uses, at the version it uses it
        used = facts["gatewayApiKindsUsed"]
        assert [w for w in watches if w.version not in used.get(w.kind, [])] == [], version
        if on:
            assert {w.kind for w in watches} >= {"Gateway", "GatewayClass", "HTTPRoute", "TCPRoute"}


@pytest.mark.parametrize("version", ["v2.14.1", "v3.1.0", "v3.5.0"])
def test_health_check_protocol_casing_is_the_one_the_crd_accepts(upstream: Path, version: str) -> None:
    crd_file = upstream / "aws-load-balancer-controller" / version / "crd" / "gateway"
    crd = yaml.safe_load((crd_file / "gateway.k8s.aws_targetgroupconfigurations.yaml").read_text("utf-8"))
    schema: Any = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    props = schema["properties"]["spec"]["properties"]["defaultConfiguration"]["properties"]
    accepted = props["healthCheckConfig"]["properties"]["healthCheckProtocol"]["enum"]
    assert {lbc.health_check_protocol(version, p) for p in ("HTTP", "https", "Tcp")} == set(accepted)


@pytest.mark.parametrize("version", ["v2.14.1", "v3.1.0", "v3.5.0"])
def test_chart_version_matches_the_chart_shipped_with_the_release(upstream: Path, version: str) -> None:
    chart = yaml.safe_load(
        (upstream / "aws-load-balancer-controller" / version / "helm" / "Chart.yaml").read_text()
    )
    assert (lbc.chart_version(version), version) == (chart["version"], chart["appVersion"])
    assert int(chart["version"].split(".")[0]) == lbc.chart_major(version)


def test_api_version_is_v1_only_where_served_else_v1beta1(lbc_upstream) -> None:
    for version, facts in lbc_upstream.items():
        for kind, served in facts["gatewayK8sAwsCrdVersions"].items():
            expected = "v1" if "v1" in served else "v1beta1"
            assert lbc.gateway_aws_api_version(version, kind) == f"gateway.k8s.aws/{expected}", (
                version,
                kind,
            )


def test_an_unserved_kind_has_no_api_version() -> None:
    assert lbc.gateway_aws_api_version("v2.13.3", "ListenerRuleConfiguration") is None


@pytest.mark.parametrize(
    ("version", "nearest"),
    [("v3.1.1", "v3.1.0"), ("v2.13.2", "v2.13.0"), ("v2.18.0", "v2.17.1"), ("v3.9.0", "v3.5.0")],
    ids=["patch-between", "patch-before-known-patch", "minor-past-major-end", "newer-than-table"],
)
def test_release_between_table_entries_uses_the_nearest_lower_one(version: str, nearest: str) -> None:
    assert not lbc.known_release(version)
    assert lbc.table_release(version) == nearest
    assert lbc.feature_gates(version) == lbc.feature_gates(nearest)
    assert lbc.chart_version(version) is None  # the chart of an unlisted release is not guessed
    assert lbc.chart_major(version) == lbc.chart_major(nearest)


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("v4.0.0", "major version 4"),
        ("v1.9.0", "major version 1"),
        ("v2.11.3", "older than v2.12.0"),
        ("3.1", "not a release version"),
    ],
    ids=["future-major", "past-major", "older-than-table", "not-a-version"],
)
def test_unknown_release_is_refused(version: str, message: str) -> None:
    with pytest.raises(UnknownRelease, match=message):
        lbc.feature_gates(version)


def test_before_detection_explicit_gates_are_what_runs() -> None:
    # GIVEN v3.1.0 with the NLB gate on and no L4 route CRDs at all
    result = lbc.gateway_controllers("v3.1.0", {lbc.ALB_GATE: True, lbc.NLB_GATE: True}, serves())
    # THEN nothing is turned off, and the v1alpha2 L4 routes are watched
    assert result.disabled == {}
    assert ("TCPRoute", "v1alpha2") in {(w.kind, w.version) for w in result.unserved(serves())}


def test_detection_turns_off_a_defaulted_gate_whose_crds_are_missing() -> None:
    # GIVEN v3.5.0, gates all defaulted (on) and Gateway API v1.3.0 standard kinds installed
    served = serves(
        *gateway_api(("Gateway", "v1"), ("GatewayClass", "v1"), ("HTTPRoute", "v1"), ("GRPCRoute", "v1")),
        *gateway_api(("ReferenceGrant", "v1beta1")),
        *own_crds("v3.5.0"),
    )
    result = lbc.gateway_controllers("v3.5.0", {}, served)
    # THEN NLB and ListenerSet are turned off, the ALB controller runs and all it watches is served
    assert result.disabled == {
        lbc.NLB_GATE: ("TCPRoute", "TLSRoute", "UDPRoute"),
        lbc.LISTENER_SET_GATE: ("ListenerSet",),
    }
    assert result.gates == {lbc.ALB_GATE: True, lbc.NLB_GATE: False, lbc.LISTENER_SET_GATE: False}
    assert result.unserved(served) == ()


def test_detection_leaves_an_explicit_nlb_gate_on_so_its_informers_fail() -> None:
    # GIVEN v3.5.0 with NLBGatewayAPI set true and TCPRoute served only at v1alpha2
    served = serves(
        *gateway_api(("Gateway", "v1"), ("GatewayClass", "v1"), ("HTTPRoute", "v1"), ("GRPCRoute", "v1")),
        *gateway_api(("TCPRoute", "v1alpha2"), ("UDPRoute", "v1alpha2"), ("TLSRoute", "v1alpha2")),
        *gateway_api(("ReferenceGrant", "v1beta1")),
        *own_crds("v3.5.0"),
    )
    result = lbc.gateway_controllers("v3.5.0", {lbc.ALB_GATE: True, lbc.NLB_GATE: True}, served)
    # THEN the NLB controller runs and watches v1 routes the cluster does not serve
    assert result.gates[lbc.NLB_GATE] is True
    assert [(w.kind, w.version, w.gates) for w in result.unserved(served)] == [
        ("TCPRoute", "v1", (lbc.NLB_GATE,)),
        ("TLSRoute", "v1", (lbc.NLB_GATE,)),
        ("UDPRoute", "v1", (lbc.NLB_GATE,)),
    ]


def test_detection_turns_off_even_an_explicit_alb_gate() -> None:
    # GIVEN v3.5.0 with ALB explicit but the LBC CRDs of an older release (v1beta1 only)
    served = serves(
        *gateway_api(("Gateway", "v1"), ("GatewayClass", "v1"), ("HTTPRoute", "v1"), ("GRPCRoute", "v1")),
        *own_crds("v3.1.0"),
    )
    result = lbc.gateway_controllers("v3.5.0", {lbc.ALB_GATE: True, lbc.NLB_GATE: False}, served)
    # THEN the ALB controller does not run: the v1 gateway.k8s.aws CRDs are missing
    assert result.disabled[lbc.ALB_GATE] == (
        "ListenerRuleConfiguration",
        "LoadBalancerConfiguration",
        "TargetGroupConfiguration",
    )
    assert result.watches == ()


def test_detection_is_skipped_when_every_gate_is_explicit() -> None:
    explicit = {gate: True for gate in lbc.GATEWAY_GATES}
    result = lbc.gateway_controllers("v3.5.0", explicit, serves())
    assert result.disabled == {}
    assert {w.kind for w in result.watches} >= {"ListenerSet", "TCPRoute"}


def test_no_gateway_gate_means_nothing_watched() -> None:
    assert lbc.gateway_controllers("v2.12.0", {}, serves()).watches == ()
    assert lbc.gateway_controllers("v3.1.0", {}, serves()).watches == ()  # both gates default off
