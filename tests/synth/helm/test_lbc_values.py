"""AWS Load Balancer Controller values: chart keys only, cluster facts always, identity and gates."""

from __future__ import annotations

from typing import Any

import pytest

from eksnet_manifests.errors import BuildError
from eksnet_manifests.synth.helm.features import effective_feature_gates
from eksnet_manifests.synth.helm.lbc_values import LBC_VALUES_PATH, build_lbc_values

GATEWAY_APP = {"name": "web", "expose": {"type": "gateway", "hosts": ["web.example.com"]}}
IRSA = {"type": "irsa", "roleName": "demo-lbc"}


def controller(**settings: Any) -> dict[str, Any]:
    return {"loadBalancerController": settings}


@pytest.fixture(
    params=[
        pytest.param({}, id="defaults"),
        pytest.param({"apps": [GATEWAY_APP], **controller(identity=IRSA)}, id="gateway-irsa"),
        pytest.param(
            controller(
                version="v2.14.1",
                featureGates={"AGAController": True},
                serviceAccount={"name": "lbc", "create": True},
                identity={"type": "podIdentity", "roleName": "demo-lbc"},
            ),
            id="old-release-pod-identity",
        ),
        pytest.param("lab", id="lab"),
    ]
)
def any_profile(request, make_profile, lab_profile):
    if request.param == "lab":
        return lab_profile
    sections = dict(request.param)
    return make_profile(*sections.pop("apps", []), **sections)


def test_every_key_is_declared_by_the_upstream_chart(
    any_profile, lbc_chart_values, missing_chart_keys
) -> None:
    # GIVEN the chart's values.yaml / WHEN values are built / THEN no key is unknown to the chart
    values = build_lbc_values(any_profile).content
    assert missing_chart_keys(values, lbc_chart_values) == []


def test_feature_gates_sit_where_the_chart_template_reads_them(lbc_chart_values) -> None:
    # The deployment template renders --feature-gates from controllerConfig.featureGates, a map that
    # is empty in values.yaml (the gate list there is commented out).
    assert lbc_chart_values["controllerConfig"]["featureGates"] == {}


def test_values_are_plain_data_and_every_comment_names_a_key(any_profile, dotted_paths, is_plain) -> None:
    artifact = build_lbc_values(any_profile)
    assert artifact.path == LBC_VALUES_PATH
    assert is_plain(artifact.content)
    assert set(artifact.comments) - dotted_paths(artifact.content) == set()


def test_cluster_facts_are_always_given_so_nothing_depends_on_instance_metadata(any_profile) -> None:
    values = build_lbc_values(any_profile).content
    cluster = any_profile.cluster
    assert (values["clusterName"], values["region"], values["vpcId"]) == (
        cluster.name,
        cluster.region,
        cluster.vpc_id,
    )
    assert list(values)[:3] == ["clusterName", "region", "vpcId"]


def test_image_replicas_class_and_gates_follow_the_profile(any_profile) -> None:
    lbc = any_profile.load_balancer_controller
    values = build_lbc_values(any_profile).content
    assert values["image"] == {"tag": lbc.version}
    assert values["replicaCount"] == lbc.replicas
    assert values["ingressClass"] == lbc.ingress_class
    assert values["controllerConfig"] == {"featureGates": effective_feature_gates(any_profile)}


def test_gateway_app_turns_on_the_alb_gateway_gate_in_the_values(make_profile) -> None:
    values = build_lbc_values(make_profile(GATEWAY_APP, **controller(version="v3.1.0"))).content
    assert values["controllerConfig"]["featureGates"] == {"ALBGatewayAPI": True, "NLBGatewayAPI": False}


def test_unknown_gate_stops_the_build(make_profile) -> None:
    profile = make_profile(**controller(version="v3.1.0", featureGates={"GatewayListenerSet": True}))
    with pytest.raises(BuildError, match=r"v3\.1\.0") as raised:
        build_lbc_values(profile)
    assert raised.value.location.field == "loadBalancerController.featureGates.GatewayListenerSet"


@pytest.mark.parametrize(
    ("region", "partition"),
    [("ap-northeast-2", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")],
    ids=["commercial", "china", "govcloud"],
)
def test_irsa_annotates_the_service_account_with_the_role_arn(
    make_profile, region: str, partition: str
) -> None:
    # GIVEN IRSA with a role name and the cluster's account
    cluster = {
        "name": "demo",
        "region": region,
        "vpcId": "vpc-0123456789abcdef0",
        "accountId": "111122223333",
    }
    profile = make_profile(cluster=cluster, **controller(identity=IRSA))
    # WHEN / THEN the chart's ServiceAccount annotation names the role in that account and partition
    account = build_lbc_values(profile).content["serviceAccount"]
    expected = f"arn:{partition}:iam::111122223333:role/demo-lbc"
    assert account["annotations"] == {"eks.amazonaws.com/role-arn": expected}


def test_irsa_without_account_id_is_a_build_error_naming_the_field(make_profile) -> None:
    cluster = {"name": "demo", "region": "ap-northeast-2", "vpcId": "vpc-0123456789abcdef0"}
    profile = make_profile(cluster=cluster, **controller(identity=IRSA))
    with pytest.raises(BuildError, match=r"loadBalancerController\.identity is irsa") as raised:
        build_lbc_values(profile)
    assert raised.value.location.field == "cluster.accountId"


@pytest.mark.parametrize(
    "identity",
    [None, {"type": "podIdentity", "roleName": "demo-lbc"}],
    ids=["no-identity", "pod-identity"],
)
def test_service_account_without_irsa_has_no_annotations(make_profile, identity) -> None:
    settings = {"serviceAccount": {"name": "lbc", "create": True}}
    if identity:
        settings["identity"] = identity
    account = build_lbc_values(make_profile(**controller(**settings))).content["serviceAccount"]
    assert account == {"create": True, "name": "lbc"}


def test_header_pins_the_chart_shipping_the_controller(lab_profile) -> None:
    # GIVEN the lab (v3.1.0, no chartVersion) / THEN the chart of that release is pinned
    header = build_lbc_values(lab_profile).header
    assert lab_profile.load_balancer_controller.chart_version is None
    assert "eks/aws-load-balancer-controller 3.1.0, controller v3.1.0" in header
    assert "--version 3.1.0" in header


def test_header_says_when_the_chart_of_an_unlisted_release_is_unknown(make_profile) -> None:
    # GIVEN a release between table entries / THEN its chart is not guessed
    header = build_lbc_values(make_profile(loadBalancerController={"version": "v3.1.1"})).header
    assert "version not pinned" in header
    assert "--version" not in header
