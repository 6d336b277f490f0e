"""The built-in table against the EKS AMI's instance data and the VPC CNI's eni-max-pods.txt."""

from __future__ import annotations

from typing import Any

from eksnet_manifests.cni.instance_types import BUILTIN_INSTANCE_TYPES, builtin_families, family_sizes
from eksnet_manifests.cni.max_pods import max_pods

REQUESTED_FAMILIES = {
    "t3", "t3a", "m5", "m6i", "m7i", "c5", "c6i", "c7i", "r5", "r6i",
    "m6g", "m7g", "c6g", "c7g", "r6g", "r7g", "t4g",
}  # fmt: skip


def test_builtin_table_covers_the_common_families() -> None:
    assert set(builtin_families()) >= REQUESTED_FAMILIES


def test_builtin_limits_equal_instance_info(instance_info: dict[str, dict[str, Any]]) -> None:
    # GIVEN every built-in type; WHEN compared with instance-info.jsonl; THEN ENIs and addresses agree
    table = {name: (limits.max_enis, limits.ipv4_per_eni) for name, limits in BUILTIN_INSTANCE_TYPES.items()}
    upstream = {
        name: (instance_info[name]["defaultMaxENIs"], instance_info[name]["ipv4AddressesPerInterface"])
        for name in table
        if name in instance_info
    }
    assert {name: table[name] for name in upstream} == upstream
    # and the table invents no type: every one is in the AMI's data
    assert set(table) <= set(instance_info)


def test_builtin_formula_equals_eni_max_pods(eni_max_pods: dict[str, int]) -> None:
    computed = {name: max_pods(limits).uncapped for name, limits in BUILTIN_INSTANCE_TYPES.items()}
    assert computed == {name: eni_max_pods[name] for name in computed}


def test_builtin_formula_is_capped_by_vcpus_as_eks_does(eni_max_pods: dict[str, int]) -> None:
    # GIVEN every built-in type / WHEN the secondary-IP value is computed / THEN min(uncapped, 110 or 250)
    for name, limits in BUILTIN_INSTANCE_TYPES.items():
        cap = 250 if (limits.vcpus or 0) > 30 else 110
        assert max_pods(limits).value == min(eni_max_pods[name], cap), name


def test_builtin_types_all_know_vcpus_and_hypervisor() -> None:
    assert all(limits.vcpus and limits.nitro is not None for limits in BUILTIN_INSTANCE_TYPES.values())


def test_family_sizes_are_ordered_by_pod_capacity() -> None:
    capacities = [max_pods(limits).pod_ips for limits in family_sizes("t3")]
    assert capacities == sorted(capacities)
    assert family_sizes("x9") == ()
