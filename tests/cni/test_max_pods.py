"""The max-pods formula against the lab, the formula's documented examples and upstream eni-max-pods.txt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eksnet_manifests.cni.instance_data import parse_instance_info
from eksnet_manifests.cni.instance_types import BUILTIN_INSTANCE_TYPES
from eksnet_manifests.cni.max_pods import InstanceLimits, max_pods, prefix_delegation_problem

# Listed in eni-max-pods.txt (v1.23.0) but no longer in the EKS AMI's instance-info.jsonl (v20260724):
# retired types the AMI dropped (SOURCES.md, "Data consistency check"). Without limits for them there
# is nothing to compute, so the comparison below covers every type the two files share.
ONLY_IN_ENI_MAX_PODS = {
    "c7i.32xlarge", "f1.16xlarge", "f1.2xlarge", "f1.4xlarge",
    "p3.16xlarge", "p3.2xlarge", "p3.8xlarge", "u-18tb1.112xlarge",
}  # fmt: skip


def builtin(name: str) -> InstanceLimits:
    return BUILTIN_INSTANCE_TYPES[name]


def test_lab_t3_medium_runs_17_pods_in_secondary_ip_mode_and_110_with_prefix_delegation() -> None:
    # GIVEN the lab's t3.medium (3 ENIs x 6 addresses, 2 vCPUs)
    limits = builtin("t3.medium")
    # WHEN the formula runs in both modes
    secondary = max_pods(limits)
    delegated = max_pods(limits, prefix_delegation=True)
    # THEN 3 x (6 - 1) + 2 = 17, and 3 x 5 x 16 + 2 = 242 capped at 110
    assert (secondary.value, secondary.pod_ips) == (17, 15)
    assert (delegated.value, delegated.uncapped, delegated.cap) == (110, 242, 110)


@pytest.mark.parametrize(
    ("instance_type", "options", "expected"),
    [
        ("m5.large", {}, 29),
        ("m5.24xlarge", {}, 250),
        ("r6g.4xlarge", {}, 110),
        ("t3.micro", {}, 4),
        ("m5.large", {"prefix_delegation": True}, 110),
        ("m5.24xlarge", {"prefix_delegation": True}, 250),
        ("m5.large", {"custom_networking": True}, 20),
    ],
    ids=[
        "secondary-m5.large",
        "secondary-capped-250-above-30-vcpus",
        "secondary-capped-110-at-16-vcpus",
        "secondary-t3.micro",
        "prefix-capped-110-at-2-vcpus",
        "prefix-capped-250-above-30-vcpus",
        "custom-networking-one-eni-fewer",
    ],
)
def test_formula_reproduces_the_documented_examples(
    instance_type: str, options: dict[str, Any], expected: int
) -> None:
    # GIVEN an example from MAX_PODS_FORMULA.md; WHEN computed; THEN the documented value
    assert max_pods(builtin(instance_type), **options).value == expected


def test_max_eni_lowers_the_eni_count_before_the_formula() -> None:
    # GIVEN MAX_ENI 2 on a 3-ENI t3.medium; WHEN computed; THEN 2 x 5 + 2
    result = max_pods(builtin("t3.medium"), max_eni=2)
    assert (result.enis, result.value) == (2, 12)


def test_unknown_vcpus_take_the_lower_cap_and_say_so() -> None:
    # GIVEN limits without a vCPU count (an instance-info.jsonl type the table does not know)
    limits = InstanceLimits("x2.big", max_enis=15, ipv4_per_eni=50)
    # WHEN computed with prefix delegation
    result = max_pods(limits, prefix_delegation=True)
    # THEN the safe cap of 110 applies and the notes explain both unknowns
    assert result.value == 110
    assert any("vCPU count of x2.big unknown" in note for note in result.notes)
    assert any("Nitro" in note for note in result.notes)


def test_formula_text_shows_the_working() -> None:
    assert max_pods(builtin("t3.medium"), prefix_delegation=True).formula() == (
        "3 ENIs x 5 x 16 + 2 = 242, capped at 110"
    )


@pytest.mark.parametrize(("instance_type", "supported"), [("t2.medium", False), ("t3.medium", True)])
def test_prefix_delegation_needs_nitro(instance_type: str, supported: bool) -> None:
    assert (prefix_delegation_problem(builtin(instance_type)) is None) is supported


def test_formula_equals_eni_max_pods_for_every_instance_info_type(
    instance_info_path: Path, eni_max_pods: dict[str, int]
) -> None:
    # GIVEN every type of the EKS AMI's instance-info.jsonl, read by the product's own reader
    limits = parse_instance_info(instance_info_path.read_text("utf-8"), str(instance_info_path))
    # WHEN the secondary-IP formula runs on each type that eni-max-pods.txt also lists
    shared = sorted(set(limits) & set(eni_max_pods))
    computed = {name: max_pods(limits[name]).uncapped for name in shared}
    # THEN every uncapped value equals upstream's, and the only types not compared are the retired ones
    assert computed == {name: eni_max_pods[name] for name in shared}
    assert set(eni_max_pods) - set(limits) == ONLY_IN_ENI_MAX_PODS
    assert len(shared) == len(limits)
