"""Small profiles built in memory for builder tests."""

from __future__ import annotations

from typing import Any

import pytest

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.context import BuildContext, build_context

V1BETA1 = {
    "LoadBalancerConfiguration": "gateway.k8s.aws/v1beta1",
    "TargetGroupConfiguration": "gateway.k8s.aws/v1beta1",
}


def make_profile(*apps: dict[str, Any], **sections: Any) -> Profile:
    return Profile.model_validate(
        {
            "cluster": {"name": "myeks", "region": "ap-northeast-2", "vpcId": "vpc-0123456789abcdef0"},
            "nodeGroups": [{"name": "primary", "instanceType": "t3.medium", "desiredSize": 3}],
            "apps": list(apps),
            **sections,
        }
    )


@pytest.fixture
def build_app():
    """GIVEN one app spec (and optional profile sections) -> (resolved app, context)."""

    def build(app: dict[str, Any], **sections: Any) -> tuple[App, BuildContext]:
        profile = make_profile(app, **sections)
        return profile.resolved_apps()[0], build_context(profile)

    return build
