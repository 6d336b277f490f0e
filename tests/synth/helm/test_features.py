"""What LBC is given: the profile's gates plus those gateway apps need; unknown releases are build errors."""

from __future__ import annotations

from typing import Any

import pytest

from eksnet_manifests.errors import BuildError
from eksnet_manifests.synth.helm.features import (
    effective_feature_gates,
    feature_gates,
    gateway_aws_api_version,
)

GATEWAY_APP = {"name": "web", "expose": {"type": "gateway", "hosts": ["web.example.com"]}}
NLB_APP = {"name": "echo", "expose": {"type": "nlb"}}


def lbc(version: str, **settings: Any) -> dict[str, Any]:
    return {"loadBalancerController": {"version": version, **settings}}


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
    "lookup", [feature_gates, lambda v: gateway_aws_api_version(v, "TargetGroupConfiguration")]
)
def test_an_unknown_release_is_a_build_error_at_the_version_field(lookup) -> None:
    # GIVEN a release the table refuses (versions/test_lbc.py covers which) / THEN a BuildError at its field
    with pytest.raises(BuildError, match="major version 4") as raised:
        lookup("v4.0.0")
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
    with pytest.raises(BuildError, match="need ALBGatewayAPI: true") as raised:
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
