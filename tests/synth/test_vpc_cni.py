"""VPC CNI artifacts: add-on values, chart values checked against upstream, ENIConfigs, node maxPods."""

from __future__ import annotations

import email
import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from eksnet_manifests.cni.instance_data import parse_instance_info
from eksnet_manifests.errors import BuildError
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.profile.vpc_cni import AWS_NODE_ENV_NAMES
from eksnet_manifests.synth.artifact import Artifact
from eksnet_manifests.synth.vpc_cni import build_vpc_cni_artifacts, user_data_path

ZONES = ("ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c")
CUSTOM_NETWORKING = {
    "subnets": {
        zone: {"id": f"subnet-0123456789abcdef{i}", "securityGroups": ["sg-0123456789abcdef0"]}
        for i, zone in enumerate(ZONES)
    }
}


def lab(vpc_cni: dict[str, Any] | None = None, **node_group: Any) -> Profile:
    """The reference lab's cluster and node group with the given vpcCni section."""
    return Profile.model_validate(
        {
            "cluster": {
                "name": "myeks",
                "region": "ap-northeast-2",
                "vpcId": "vpc-0123456789abcdef0",
                "availabilityZones": list(ZONES),
                "subnetCidrs": ["192.168.0.0/22", "192.168.4.0/22", "192.168.8.0/22"],
            },
            "nodeGroups": [
                {"name": "primary", "instanceType": "t3.medium", "desiredSize": 3, "maxSize": 5, **node_group}
            ],
            "vpcCni": vpc_cni or {},
            "apps": [{"name": "nginx", "replicas": 50}],
        }
    )


def artifacts(profile: Profile, **kwargs: Any) -> dict[str, Artifact]:
    return {artifact.path: artifact for artifact in build_vpc_cni_artifacts(profile, **kwargs)}


@pytest.mark.parametrize(
    ("vpc_cni", "env"),
    [
        ({}, {"ENABLE_PREFIX_DELEGATION": "false", "WARM_ENI_TARGET": "1"}),
        ({"mode": "prefix-delegation"}, {"ENABLE_PREFIX_DELEGATION": "true", "WARM_PREFIX_TARGET": "1"}),
        (
            {"warmIpTarget": 2, "minimumIpTarget": 12},
            {"ENABLE_PREFIX_DELEGATION": "false", "MINIMUM_IP_TARGET": "12", "WARM_IP_TARGET": "2"},
        ),
        (
            {
                "externalSnat": False,
                "excludeSnatCidrs": ["10.0.0.0/8", "172.16.0.0/12"],
                "env": {"POD_MTU": 1500},
            },
            {
                "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS": "10.0.0.0/8,172.16.0.0/12",
                "AWS_VPC_K8S_CNI_EXTERNALSNAT": "false",
                "ENABLE_PREFIX_DELEGATION": "false",
                "POD_MTU": "1500",
                "WARM_ENI_TARGET": "1",
            },
        ),
    ],
    ids=["lab-defaults", "prefix-delegation", "ip-targets", "snat-and-env"],
)
def test_configuration_values_carry_string_env(vpc_cni: dict[str, Any], env: dict[str, str]) -> None:
    # GIVEN a vpcCni section; WHEN built
    values = artifacts(lab(vpc_cni))["vpc-cni/configuration-values.json"].content
    # THEN the add-on gets {"env": {...}} with string values only, the warm pool the plan assumes written out
    assert values == {"env": env}


def test_custom_networking_adds_eni_config_and_zone_selection() -> None:
    out = artifacts(lab({"customNetworking": CUSTOM_NETWORKING, "networkPolicy": True}))
    values = out["vpc-cni/configuration-values.json"].content
    assert values["env"]["AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"] == "true"
    assert values["env"]["ENI_CONFIG_LABEL_DEF"] == "topology.kubernetes.io/zone"
    # the ENIConfigs have one owner, the kustomization, not also the add-on's eniConfig.create
    assert "eniConfig" not in values
    assert values["enableNetworkPolicy"] == "true"
    # and the ENIConfigs are named after the zones the nodes are labelled with
    eni_configs = out["vpc-cni/eniconfigs.yaml"].content
    assert [(obj["kind"], obj["metadata"]["name"], obj["spec"]["subnet"]) for obj in eni_configs] == [
        ("ENIConfig", zone, CUSTOM_NETWORKING["subnets"][zone]["id"]) for zone in ZONES
    ]


def test_no_eni_configs_without_custom_networking() -> None:
    assert "vpc-cni/eniconfigs.yaml" not in artifacts(lab())


def _key_paths(values: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for key, value in values.items():
        path = (*prefix, key)
        paths.append(path)
        if isinstance(value, dict):
            paths += _key_paths(value, path)
    return paths


def test_chart_values_only_use_keys_of_the_upstream_chart(upstream: Path) -> None:
    # GIVEN the aws-vpc-cni chart's values.yaml (v1.23.0) and values using every section
    chart = YAML(typ="safe").load(
        (upstream / "amazon-vpc-cni-k8s/v1.23.0/helm/values.yaml").read_text("utf-8")
    )
    profile = lab(
        {"customNetworking": CUSTOM_NETWORKING, "networkPolicy": False, "env": {"AWS_VPC_ENI_MTU": 1500}}
    )
    values = artifacts(profile)["vpc-cni/aws-vpc-cni.values.yaml"].content
    for path in _key_paths(values):
        # The chart ranges over env: any aws-node variable, checked against the documented names.
        if path[0] == "env" and len(path) == 2:
            assert path[1] in AWS_NODE_ENV_NAMES
            continue
        node = chart
        for key in path:
            assert isinstance(node, dict) and key in node, f"{'.'.join(path)} is not a chart value"
            node = node[key]


def test_every_value_comment_names_a_present_key() -> None:
    chart_values = artifacts(lab({"customNetworking": CUSTOM_NETWORKING}))["vpc-cni/aws-vpc-cni.values.yaml"]
    present = {".".join(path) for path in _key_paths(chart_values.content)}
    assert set(chart_values.comments) <= present


@pytest.mark.parametrize(
    ("vpc_cni", "node_group", "max_pods"),
    [
        ({}, {}, 17),
        ({"mode": "prefix-delegation"}, {}, 110),
        ({"mode": "prefix-delegation"}, {"maxPods": 80}, 80),
    ],
    ids=["secondary-ip", "prefix-delegation", "pinned-max-pods"],
)
def test_node_user_data_sets_kubelet_max_pods(
    vpc_cni: dict[str, Any], node_group: dict[str, Any], max_pods: int
) -> None:
    # GIVEN a CNI mode; WHEN built
    text = artifacts(lab(vpc_cni, **node_group))[user_data_path("primary")].content
    # THEN the user data is MIME multipart with one nodeadm part setting kubelet maxPods
    message = email.message_from_string(text)
    assert message.get_content_type() == "multipart/mixed"
    (part,) = message.get_payload()
    assert part.get_content_type() == "application/node.eks.aws"
    (config,) = YAML(typ="safe").load_all(part.get_payload())
    assert config == {
        "apiVersion": "node.eks.aws/v1alpha1",
        "kind": "NodeConfig",
        "spec": {"kubelet": {"config": {"maxPods": max_pods}}},
    }


def test_eksctl_fragment_matches_max_pods_and_addon_values() -> None:
    out = artifacts(lab({"mode": "prefix-delegation"}))
    config = out["nodes/eksctl-nodegroups.yaml"].content
    assert (config["apiVersion"], config["kind"]) == ("eksctl.io/v1alpha5", "ClusterConfig")
    (group,) = config["managedNodeGroups"]
    assert (group["name"], group["maxPodsPerNode"], group["desiredCapacity"], group["maxSize"]) == (
        "primary",
        110,
        3,
        5,
    )
    (addon,) = config["addons"]
    assert json.loads(addon["configurationValues"]) == out["vpc-cni/configuration-values.json"].content


def test_capacity_report_is_an_artifact() -> None:
    report = artifacts(lab())["capacity.md"].content
    assert "does not fit" in report and "```mermaid" in report


def test_prefix_delegation_on_a_xen_instance_is_a_build_error() -> None:
    with pytest.raises(BuildError) as caught:
        build_vpc_cni_artifacts(lab({"mode": "prefix-delegation"}, instanceType="t2.medium"))
    assert caught.value.location.field == "nodeGroups[0].instanceType"
    assert "Nitro" in caught.value.message


def test_unknown_instance_type_needs_instance_data_or_max_pods() -> None:
    profile = lab(instanceType="x9.big")
    with pytest.raises(BuildError, match=r"unknown instance type 'x9\.big'"):
        build_vpc_cni_artifacts(profile)
    data = parse_instance_info(
        '{"instanceType":"x9.big","defaultMaxENIs":4,"ipv4AddressesPerInterface":15}', "f"
    )
    config = artifacts(profile, instances=data)["nodes/eksctl-nodegroups.yaml"].content
    assert config["managedNodeGroups"][0]["maxPodsPerNode"] == 4 * 14 + 2


def test_build_is_deterministic() -> None:
    profile = lab({"customNetworking": CUSTOM_NETWORKING, "mode": "prefix-delegation"})
    assert build_vpc_cni_artifacts(profile) == build_vpc_cni_artifacts(profile)
    paths = [artifact.path for artifact in build_vpc_cni_artifacts(profile)]
    assert paths == sorted(paths)
