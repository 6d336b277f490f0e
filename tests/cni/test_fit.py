"""Pod slots per node group, what takes them, and node-group settings that cannot work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from eksnet_manifests.cni.fit import cni_issues, host_network_daemonsets, node_group_fits, system_pods
from eksnet_manifests.cni.instance_data import parse_instance_info
from eksnet_manifests.profile.profile import Profile


def test_host_network_pods_fill_kubelet_slots_but_take_no_address(
    lab_profile: Callable[..., Profile],
) -> None:
    # GIVEN the lab after enabling prefix delegation but keeping the AMI's maxPods 17
    profile = lab_profile(mode="prefix-delegation", node_group={"maxPods": 17})
    # WHEN the node group is fitted
    (fit,) = node_group_fits(profile)
    # THEN 240 addresses are there, but kubelet leaves 17 - 2 host-network pods = 15 slots per node
    assert (fit.pod_ips_per_node, fit.kubelet_slots_per_node, fit.slots_per_node) == (240, 15, 15)
    assert fit.limited_by == "kubelet maxPods"


def test_pod_identity_adds_its_host_network_agent(lab_profile: Callable[..., Profile]) -> None:
    identity = {"identity": {"type": "podIdentity", "roleName": "external-dns"}}
    profile = lab_profile(sections={"externalDns": identity})
    assert host_network_daemonsets(profile) == ("aws-node", "kube-proxy", "eks-pod-identity-agent")
    # a third host-network pod leaves one address unused under the formula's maxPods
    assert node_group_fits(profile)[0].slots_per_node == 17 - 3


def test_system_pods_follow_the_controller_replicas(lab_profile: Callable[..., Profile]) -> None:
    profile = lab_profile(sections={"loadBalancerController": {"replicas": 3}})
    counts = {pod.name: pod.count for pod in system_pods(profile)}
    assert counts == {"coredns": 2, "aws-load-balancer-controller": 3, "external-dns": 1}


THREE_ZONES_ONE_ENI = {
    "maxEni": 1,
    "customNetworking": {
        "subnets": {
            f"ap-northeast-2{zone}": {"id": f"subnet-0123456789abcdef{i}"} for i, zone in enumerate("abc")
        }
    },
}


@pytest.mark.parametrize(
    ("node_group", "vpc_cni", "field", "severity", "message"),
    [
        pytest.param(
            {"instanceType": "t2.medium"},
            {"mode": "prefix-delegation"},
            "nodeGroups[0].instanceType",
            "error",
            "Nitro",
            id="prefix-delegation-on-xen",
        ),
        pytest.param(
            {"instanceType": "x9.big"},
            {},
            "nodeGroups[0].instanceType",
            "error",
            "unknown instance type",
            id="unknown-type-without-max-pods",
        ),
        pytest.param(
            {"maxPods": 110},
            {},
            "nodeGroups[0].maxPods",
            "warning",
            "more than t3.medium can address",
            id="max-pods-above-addresses",
        ),
        pytest.param(
            {}, THREE_ZONES_ONE_ENI, "nodeGroups[0].instanceType", "error", "no ENI left", id="no-pod-eni"
        ),
    ],
)
def test_node_group_contradictions_name_the_field(
    lab_profile: Callable[..., Profile],
    node_group: dict[str, Any],
    vpc_cni: dict[str, Any],
    field: str,
    severity: str,
    message: str,
) -> None:
    profile = lab_profile(node_group=node_group, **vpc_cni)
    (issue,) = cni_issues(profile)
    assert (issue.field, issue.severity) == (field, severity)
    assert message in issue.message


def test_unknown_type_with_max_pods_is_fitted_by_kubelet_alone(lab_profile: Callable[..., Profile]) -> None:
    profile = lab_profile(node_group={"instanceType": "x9.big", "maxPods": 40})
    (fit,) = node_group_fits(profile)
    assert cni_issues(profile) == []
    assert (fit.pod_ips_per_node, fit.slots_per_node) == (None, 38)


def test_instance_data_makes_an_unknown_type_known(lab_profile: Callable[..., Profile]) -> None:
    data = parse_instance_info(
        '{"instanceType":"x9.big","defaultMaxENIs":4,"ipv4AddressesPerInterface":15}', "f"
    )
    profile = lab_profile(node_group={"instanceType": "x9.big"})
    assert cni_issues(profile, data) == []
    assert node_group_fits(profile, data)[0].kubelet_max_pods == 4 * 14 + 2


@pytest.mark.parametrize(
    ("zones", "field", "message"),
    [
        (
            ["ap-northeast-2a", "ap-northeast-2b"],
            "vpcCni.customNetworking.subnets",
            "no pod subnet for ap-northeast-2c",
        ),
        (
            ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "us-east-1a"],
            "vpcCni.customNetworking.subnets.us-east-1a",
            "not an availability zone of cluster.region",
        ),
    ],
    ids=["zone-without-pod-subnet", "zone-outside-region"],
)
def test_custom_networking_needs_one_pod_subnet_per_cluster_zone(
    lab_profile: Callable[..., Profile], zones: list[str], field: str, message: str
) -> None:
    subnets = {zone: {"id": f"subnet-0123456789abcdef{i}"} for i, zone in enumerate(zones)}
    profile = lab_profile(customNetworking={"subnets": subnets})
    (issue,) = cni_issues(profile)
    assert issue.field == field and message in issue.message
