"""Profiles and upstream policies for the IAM builder tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eksnet_manifests.profile.base import dump
from eksnet_manifests.profile.load import load_profile
from eksnet_manifests.profile.profile import Profile

ACCOUNT = "111122223333"
ISSUER = "oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
ZONE = "Z0123456789EXAMPLEAB"


@pytest.fixture(scope="session")
def issuer() -> str:
    """An EKS OIDC issuer as IAM names it (host/path)."""
    return ISSUER


@pytest.fixture(scope="session")
def upstream_lbc_policy(upstream: Path) -> dict[str, Any]:
    """The policy aws-load-balancer-controller v3.5.0 publishes (docs/install/iam_policy.json)."""
    return json.loads((upstream / "aws-load-balancer-controller" / "v3.5.0" / "iam_policy.json").read_text())


@pytest.fixture
def make_profile() -> Callable[..., Profile]:
    """GIVEN controller sections (camelCase, as in a profile) -> a Profile in account 111122223333."""

    def make(account: str | None = ACCOUNT, region: str = "ap-northeast-2", **sections: Any) -> Profile:
        cluster = {"name": "demo", "region": region, "vpcId": "vpc-0123456789abcdef0"}
        if account is not None:
            cluster["accountId"] = account
        return Profile.model_validate(
            {
                "cluster": cluster,
                "nodeGroups": [{"name": "primary", "instanceType": "t3.medium", "desiredSize": 2}],
                "apps": [{"name": "web", "expose": {"type": "nlb", "hosts": ["web.example.com"]}}],
                **sections,
            }
        )

    return make


@pytest.fixture(scope="session")
def lab_profile() -> Profile:
    """The bundled lab profile with what an IAM-complete lab states: the OIDC issuer and the hosted zone."""
    data = dump(load_profile(None).profile)
    for section in ("loadBalancerController", "externalDns"):
        identity = data[section]["identity"]
        if "oidcProviderArn" not in identity:
            identity.setdefault("oidcProvider", f"https://{ISSUER}")
    data["externalDns"]["hostedZoneIds"] = data["externalDns"].get("hostedZoneIds") or [ZONE]
    return Profile.model_validate(data)
