"""The capacity plan for the lab scenario: 50 nginx replicas on 3 x t3.medium."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from eksnet_manifests.cni.plan import CapacityPlan, Suggestion, plan_capacity, usable_addresses
from eksnet_manifests.cni.plan_report import render_text
from eksnet_manifests.profile.profile import Profile

_GROUP_FIELD = re.compile(r"^nodeGroups\[(\d+)\]\.(\w+)$")


def plan_for(lab_profile: Callable[..., Profile], **settings: Any) -> CapacityPlan:
    return plan_capacity(lab_profile(**settings))


def test_lab_does_not_fit_in_secondary_ip_mode(lab_profile: Callable[..., Profile]) -> None:
    # GIVEN the lab: 3 x t3.medium, 50 nginx replicas, secondary-IP mode
    plan = plan_for(lab_profile)
    # THEN 3 nodes x (17 - 2) = 45 slots are short of 50 app pods + 5 system pods
    assert (plan.slots, plan.demand, plan.fits) == (45, 55, False)
    assert "does not fit (10 pods short)" in render_text(plan)


@pytest.mark.parametrize(
    "node_group", [{}, {"maxPods": 110}], ids=["max-pods-from-the-formula", "max-pods-110-pinned"]
)
def test_lab_fits_with_prefix_delegation_and_max_pods_110(
    lab_profile: Callable[..., Profile], node_group: dict[str, Any]
) -> None:
    # GIVEN the lab with prefix delegation and kubelet maxPods 110
    plan = plan_for(lab_profile, mode="prefix-delegation", node_group=node_group)
    # THEN each node runs 110 - 2 = 108 address-taking pods: 324 slots for 55 pods
    assert plan.groups[0].kubelet_max_pods == 110
    assert (plan.slots, plan.fits) == (324, True)
    assert "Result: fits" in render_text(plan)


def test_prefix_delegation_with_the_old_max_pods_still_does_not_fit(
    lab_profile: Callable[..., Profile],
) -> None:
    # GIVEN prefix delegation on, but the AMI's maxPods 17 left on the nodes (the lab's second failure)
    plan = plan_for(lab_profile, mode="prefix-delegation", node_group={"maxPods": 17})
    # THEN it still does not fit, and raising maxPods is offered as the fix
    assert not plan.fits
    assert ("nodeGroups[0].maxPods", "110") in [(s.field, s.value) for s in plan.suggestions]


def apply(data: dict[str, Any], suggestion: Suggestion) -> dict[str, Any]:
    """The profile data with every change of ``suggestion`` made."""
    for field, value in suggestion.changes:
        if field == "vpcCni.mode":
            data["vpcCni"]["mode"] = value
            continue
        match = _GROUP_FIELD.match(field)
        assert match, field
        group = data["nodeGroups"][int(match.group(1))]
        key = match.group(2)
        if value is None:
            group.pop(key)
        else:
            group[key] = value
    return data


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"node_group": {"maxPods": 17}},
        {"mode": "prefix-delegation", "node_group": {"maxPods": 17, "maxSize": 3}},
    ],
    ids=["secondary-ip", "secondary-ip-pinned-max-pods", "prefix-delegation-pinned-max-pods"],
)
def test_every_suggestion_alone_makes_the_pods_fit(
    lab_data: Callable[..., dict[str, Any]], settings: dict[str, Any]
) -> None:
    # GIVEN a lab profile that does not fit
    plan = plan_capacity(Profile.model_validate(lab_data(**settings)))
    assert not plan.fits and plan.suggestions
    for suggestion in plan.suggestions:
        # WHEN one suggestion is applied to the profile
        changed = plan_capacity(Profile.model_validate(apply(lab_data(**settings), suggestion)))
        # THEN the pods fit, with the slots the suggestion promised
        assert (changed.fits, changed.slots) == (True, suggestion.slots), suggestion


def test_suggestions_cover_mode_nodes_and_instance_size(lab_profile: Callable[..., Profile]) -> None:
    fields = [s.field for s in plan_for(lab_profile).suggestions]
    assert fields == ["vpcCni.mode", "nodeGroups[0].desiredSize", "nodeGroups[0].instanceType"]


def test_no_prefix_delegation_suggestion_on_xen_instances(lab_profile: Callable[..., Profile]) -> None:
    plan = plan_for(lab_profile, node_group={"instanceType": "t2.medium"})
    assert "vpcCni.mode" not in [s.field for s in plan.suggestions]


def test_a_22_leaves_1019_usable_addresses() -> None:
    assert usable_addresses("192.168.0.0/22") == 1019


def test_subnet_use_counts_warm_pool_and_grows_with_max_size(lab_profile: Callable[..., Profile]) -> None:
    # GIVEN the lab with 15 pods in all (5 per node) and room to grow to 5 nodes
    plan = plan_for(lab_profile, replicas=10, node_group={"maxSize": 5})
    (pool,) = plan.subnets
    desired, scaled = pool.use
    # THEN each node holds 2 ENIs (1 used + WARM_ENI_TARGET 1) x 6 addresses = 12; 5 nodes hold more than 3
    assert pool.usable == 3 * 1019
    assert (desired.nodes, desired.addresses, desired.busiest_subnet) == (3, 36, 12)
    assert scaled.nodes == 5 and scaled.addresses > desired.addresses


def test_custom_networking_reports_pod_subnets_separately(lab_profile: Callable[..., Profile]) -> None:
    subnets = {
        f"ap-northeast-2{zone}": {"id": f"subnet-0123456789abcdef{i}", "cidr": f"100.64.{i * 64}.0/18"}
        for i, zone in enumerate("abc")
    }
    plan = plan_for(lab_profile, customNetworking={"subnets": subnets})
    node_pool, pod_pool = plan.subnets
    assert node_pool.use[0].addresses == 3  # only each node's primary address
    assert pod_pool.usable == 3 * (2**14 - 5)
    assert pod_pool.use[0].addresses > 0


def test_tight_headroom_warns_about_rolling_update_surge(lab_profile: Callable[..., Profile]) -> None:
    # GIVEN 38 replicas: 43 pods in 45 slots, 2 free but a 25% surge of 38 needs 10
    plan = plan_for(lab_profile, replicas=38)
    assert plan.fits
    assert any("maxSurge" in note for note in plan.notes)


def test_spec_warnings_reach_the_plan(lab_profile: Callable[..., Profile]) -> None:
    plan = plan_for(lab_profile, minimumIpTarget=10)
    assert any(note.startswith("vpcCni.minimumIpTarget without warmIpTarget") for note in plan.notes)
