"""The reference lab as an in-memory profile, plus readers for the upstream max-pods data."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eksnet_manifests.profile.profile import Profile

LAB_SUBNETS = ["192.168.0.0/22", "192.168.4.0/22", "192.168.8.0/22"]


def lab_profile_data(
    *,
    replicas: int = 50,
    node_group: dict[str, Any] | None = None,
    sections: dict[str, Any] | None = None,
    **vpc_cni: Any,
) -> dict[str, Any]:
    """3 x t3.medium and one nginx Deployment, as in the lab where pods stayed Pending."""
    return {
        **(sections or {}),
        "cluster": {
            "name": "myeks",
            "region": "ap-northeast-2",
            "vpcId": "vpc-0123456789abcdef0",
            "availabilityZones": ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"],
            "subnetCidrs": LAB_SUBNETS,
        },
        "nodeGroups": [
            {"name": "primary", "instanceType": "t3.medium", "desiredSize": 3, **(node_group or {})}
        ],
        "vpcCni": vpc_cni,
        "apps": [{"name": "nginx", "image": "nginx:alpine", "replicas": replicas}],
    }


@pytest.fixture
def lab_data() -> Callable[..., dict[str, Any]]:
    """The lab profile as plain data, for tests that edit it before validating."""
    return lab_profile_data


@pytest.fixture
def lab_profile() -> Callable[..., Profile]:
    """GIVEN keyword settings (replicas, node_group, sections, vpcCni fields) -> the lab Profile."""

    def make(**kwargs: Any) -> Profile:
        return Profile.model_validate(lab_profile_data(**kwargs))

    return make


@pytest.fixture(scope="session")
def eni_max_pods(upstream: Path) -> dict[str, int]:
    """amazon-vpc-cni-k8s misc/eni-max-pods.txt: instance type -> max pods."""
    lines = (upstream / "amazon-vpc-cni-k8s/v1.23.0/eni-max-pods.txt").read_text("utf-8").splitlines()
    pairs = (line.split() for line in lines if line.strip() and not line.startswith("#"))
    return {name: int(value) for name, value in pairs}


@pytest.fixture(scope="session")
def instance_info_path(upstream: Path) -> Path:
    return upstream / "amazon-eks-ami/v20260724/instance-info.jsonl"


@pytest.fixture(scope="session")
def instance_info(instance_info_path: Path) -> dict[str, dict[str, Any]]:
    lines = instance_info_path.read_text("utf-8").splitlines()
    return {record["instanceType"]: record for record in map(json.loads, lines)}
