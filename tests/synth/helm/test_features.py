"""The feature-gate and gateway.k8s.aws tables agree with upstream and decide what LBC is given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eksnet_manifests.errors import BuildError
from eksnet_manifests.profile.names import version_tuple
from eksnet_manifests.synth.helm.features import (
    RELEASES,
    effective_feature_gates,
    feature_gates,
    gateway_aws_api_version,
    known_release,
    served_gateway_aws_versions,
    table_release,
)

GATEWAY_APP = {"name": "web", "expose": {"type": "gateway", "hosts": ["web.example.com"]}}
NLB_APP = {"name": "echo", "expose": {"type": "nlb"}}


@pytest.fixture(scope="session")
def upstream_releases(upstream: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((upstream / "aws-load-balancer-controller" / "versions.json").read_text("utf-8"))
    return data["versions"]


def lbc(version: str, **settings: Any) -> dict[str, Any]:
    return {"loadBalancerController": {"version": version, **settings}}


def test_table_releases_ascend_so_nearest_lower_lookup_holds() -> None:
    assert list(RELEASES) == sorted(RELEASES, key=version_tuple)


def test_every_upstream_release_is_in_the_table(upstream_releases) -> None:
    # GIVEN the releases upstream lists / WHEN asked / THEN each is known as itself
    assert [v for v in upstream_releases if not known_release(v) or table_release(v) != v] == []


def test_gate_names_and_defaults_match_upstream_for_every_release(upstream_releases) -> None:
    # GIVEN feature_gates.go per tag / WHEN the table is read per release / THEN names and defaults agree
    mismatches = {
        version: feature_gates(version)
        for version, facts in upstream_releases.items()
        if feature_gates(version) != facts["featureGates"]
    }
    assert mismatches == {}


def test_served_gateway_aws_versions_match_upstream_for_every_release(upstream_releases) -> None:
    # GIVEN config/crd/gateway per tag / WHEN the table is read / THEN the served versions agree
    mismatches = {
        version: served_gateway_aws_versions(version)
        for version, facts in upstream_releases.items()
        if {kind: sorted(apis) for kind, apis in served_gateway_aws_versions(version).items()}
        != {kind: sorted(apis) for kind, apis in facts["gatewayK8sAwsCrdVersions"].items()}
    }
    assert mismatches == {}


def test_api_version_is_v1_only_where_served_else_v1beta1(upstream_releases) -> None:
    # GIVEN every release and kind upstream serves
    for version, facts in upstream_releases.items():
        for kind, served in facts["gatewayK8sAwsCrdVersions"].items():
            # WHEN the apiVersion is chosen / THEN v1 where served (v3.5.0+), else v1beta1
            expected = "v1" if "v1" in served else "v1beta1"
            assert gateway_aws_api_version(version, kind) == f"gateway.k8s.aws/{expected}", (version, kind)


@pytest.mark.parametrize(
    ("version", "kind"),
    [("v2.12.0", "LoadBalancerConfiguration"), ("v2.13.3", "ListenerRuleConfiguration")],
    ids=["before-gateway-support", "kind-added-later"],
)
def test_api_version_of_an_unserved_kind_is_a_build_error(version: str, kind: str) -> None:
    with pytest.raises(BuildError, match=f"{kind} is not served by .* {version}") as raised:
        gateway_aws_api_version(version, kind)
    assert raised.value.location.field == "loadBalancerController.version"


@pytest.mark.parametrize(
    ("version", "nearest"),
    [("v3.1.1", "v3.1.0"), ("v2.13.2", "v2.13.0"), ("v2.18.0", "v2.17.1"), ("v3.9.0", "v3.5.0")],
    ids=["patch-between", "patch-before-known-patch", "minor-past-major-end", "newer-than-table"],
)
def test_release_between_table_entries_uses_the_nearest_lower_one(version: str, nearest: str) -> None:
    # GIVEN a release the table does not list / WHEN resolved / THEN it has the nearest lower entry's facts
    assert not known_release(version)
    assert table_release(version) == nearest
    assert feature_gates(version) == feature_gates(nearest)
    assert served_gateway_aws_versions(version) == served_gateway_aws_versions(nearest)


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
def test_unknown_release_is_a_build_error(version: str, message: str) -> None:
    with pytest.raises(BuildError, match=message) as raised:
        feature_gates(version)
    assert raised.value.location.field == "loadBalancerController.version"


def test_profile_gates_pass_through_sorted_without_gateway_apps(make_profile) -> None:
    # GIVEN no gateway exposure and two declared gates
    profile = make_profile(
        NLB_APP, **lbc("v3.1.0", featureGates={"SubnetsClusterTagCheck": False, "ALBSingleSubnet": True})
    )
    # WHEN / THEN exactly the declared gates, by name
    assert list(effective_feature_gates(profile).items()) == [
        ("ALBSingleSubnet", True),
        ("SubnetsClusterTagCheck", False),
    ]


@pytest.mark.parametrize(
    "version", ["v2.14.0", "v3.1.0", "v3.5.0"], ids=["opt-in-era", "lab", "default-on-era"]
)
def test_gateway_exposure_sets_both_gateway_gates_explicitly(make_profile, version: str) -> None:
    # GIVEN a gateway-exposed app and no declared gates
    profile = make_profile(GATEWAY_APP, **lbc(version))
    # WHEN / THEN ALB on and NLB off (no L4 routes), written out even where the release defaults them on
    assert effective_feature_gates(profile) == {"ALBGatewayAPI": True, "NLBGatewayAPI": False}


def test_gateway_exposure_keeps_a_declared_nlb_gateway_gate(make_profile) -> None:
    profile = make_profile(GATEWAY_APP, **lbc("v3.1.0", featureGates={"NLBGatewayAPI": True}))
    assert effective_feature_gates(profile) == {"ALBGatewayAPI": True, "NLBGatewayAPI": True}


def test_gateway_exposure_with_alb_gateway_gate_off_is_a_build_error(make_profile) -> None:
    profile = make_profile(GATEWAY_APP, **lbc("v3.5.0", featureGates={"ALBGatewayAPI": False}))
    with pytest.raises(BuildError, match="needs ALBGatewayAPI: true") as raised:
        effective_feature_gates(profile)
    assert raised.value.location.field == "loadBalancerController.featureGates.ALBGatewayAPI"


def test_gateway_exposure_on_a_release_without_the_gate_is_a_build_error(make_profile) -> None:
    profile = make_profile(GATEWAY_APP, **lbc("v2.12.0"))
    with pytest.raises(BuildError, match="ALBGatewayAPI gate") as raised:
        effective_feature_gates(profile)
    assert raised.value.location.field == "loadBalancerController.version"


@pytest.mark.parametrize(
    ("version", "gate", "message"),
    [
        ("v3.1.0", "GatewayListenerSet", r"v3\.1\.0: an unknown gate stops the controller"),
        ("v3.2.1", "GatewayListenerSet", r"v3\.2\.1 \(gates of v3\.2\.0, the nearest known release\)"),
        ("v3.5.0", "AGAController", r"v3\.5\.0: an unknown gate stops the controller"),
        ("v3.5.0", "ALBGatewayApi", r"did you mean ALBGatewayAPI\?"),
    ],
    ids=["added-in-later-release", "between-releases", "removed-gate", "misspelt"],
)
def test_unknown_gate_name_is_a_build_error_naming_release_and_field(
    make_profile, version: str, gate: str, message: str
) -> None:
    # GIVEN a gate the pinned release does not have
    profile = make_profile(**lbc(version, featureGates={gate: True}))
    # WHEN the gates are computed / THEN the error names the release and points at the gate
    with pytest.raises(BuildError, match=message) as raised:
        effective_feature_gates(profile)
    assert raised.value.location.field == f"loadBalancerController.featureGates.{gate}"


def test_lab_profile_gates_are_its_declared_gates(lab_profile) -> None:
    # GIVEN the bundled lab (gateway app, both gateway gates declared on) / THEN they pass unchanged
    declared = dict(lab_profile.load_balancer_controller.feature_gates)
    assert effective_feature_gates(lab_profile) == dict(sorted(declared.items()))
    assert "gateway" in lab_profile.exposure_kinds()
