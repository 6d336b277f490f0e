"""The warm-pool model against the example tables in the VPC CNI docs (read at test time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eksnet_manifests.cni.instance_data import InstanceData, find_instance, read_instance_info
from eksnet_manifests.cni.warm_pool import node_addresses
from eksnet_manifests.profile.vpc_cni import VpcCni

DOCS = "amazon-vpc-cni-k8s/v1.23.0/docs"


def example_rows(path: Path) -> list[list[str]]:
    """Data rows of the doc's example table; rows with an empty first cell only separate groups."""
    rows = [line.strip().strip("|").split("|") for line in path.read_text("utf-8").splitlines()]
    cells = [[cell.strip() for cell in row] for row in rows if len(row) > 8]
    return [row for row in cells[2:] if row[0]]


def settings(mode: str = "secondary-ip", **targets: str) -> VpcCni:
    """The profile section for one example row; "-" means the variable is not set."""
    return VpcCni.model_validate({"mode": mode, **{k: int(v) for k, v in targets.items() if v != "-"}})


@pytest.fixture(scope="module")
def instances(instance_info_path: Path) -> InstanceData:
    return read_instance_info(instance_info_path)


def test_secondary_ip_rows_match_enis_and_addresses(upstream: Path, instances: InstanceData) -> None:
    rows = example_rows(upstream / DOCS / "eni-and-ip-target.md")
    assert {row[0] for row in rows} == {"t3.small", "p3dn.24xlarge"}
    for name, warm_eni, warm_ip, minimum_ip, pods, enis, addresses, *_ in rows:
        # GIVEN one example: instance type, targets and running pods
        vpc_cni = settings(warmEniTarget=warm_eni, warmIpTarget=warm_ip, minimumIpTarget=minimum_ip)
        # WHEN the model fills the warm pool
        held = node_addresses(find_instance(name, instances), vpc_cni, int(pods))
        # THEN the attached ENIs and secondary addresses are the documented ones
        assert (held.enis, held.pod_addresses) == (int(enis), int(addresses)), (name, warm_eni, warm_ip, pods)


def test_prefix_delegation_rows_match_attached_prefixes(upstream: Path, instances: InstanceData) -> None:
    rows = example_rows(upstream / DOCS / "prefix-and-ip-target.md")
    assert {row[0] for row in rows} == {"t3.small", "p3dn.24xlarge"}
    for name, warm_prefix, warm_ip, minimum_ip, pods, *rest in rows:
        # The "Prefixes per ENI" column is compared: in the t3.small 7/20 row with 0 pods the "Attached
        # Prefixes" column says 1 while "Prefixes per ENI" says 2 (MINIMUM_IP_TARGET 20 needs two /28s).
        # ENI counts are not compared: the p3dn.24xlarge rows keep ENIs attached that hold no prefix.
        prefixes = sum(int(count) for count in rest[-2].split(","))
        vpc_cni = settings(
            mode="prefix-delegation",
            warmPrefixTarget=warm_prefix,
            warmIpTarget=warm_ip,
            minimumIpTarget=minimum_ip,
        )
        held = node_addresses(find_instance(name, instances), vpc_cni, int(pods))
        assert held.pod_addresses == prefixes * 16, (name, warm_prefix, warm_ip, minimum_ip, pods)


@pytest.mark.parametrize(
    ("settings", "node_subnet", "pod_subnet"),
    [
        ({}, 3 + 15, 0),
        (
            {"customNetworking": {"subnets": {"ap-northeast-2a": {"id": "subnet-0123456789abcdef0"}}}},
            1,
            2 + 10,
        ),
    ],
    ids=["node-subnet-holds-everything", "custom-networking-moves-pod-enis"],
)
def test_custom_networking_moves_pod_addresses_to_the_pod_subnet(
    settings: dict[str, Any], node_subnet: int, pod_subnet: int
) -> None:
    # GIVEN a t3.medium with 12 pods and the default WARM_ENI_TARGET 1
    held = node_addresses(find_instance("t3.medium"), VpcCni.model_validate(settings), 12)
    # THEN without custom networking all 3 ENIs (3 primaries + 15 secondaries) sit in the node subnet;
    # with it, only the node's primary address does, and the 2 pod ENIs (2 + 10) sit in the pod subnet
    assert (held.node_subnet, held.pod_subnet) == (node_subnet, pod_subnet)
