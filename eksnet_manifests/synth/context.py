"""Facts every builder shares, computed once per profile."""

from __future__ import annotations

from dataclasses import dataclass

from eksnet_manifests.profile.profile import Profile

MANAGED_BY = {"app.kubernetes.io/managed-by": "eksnet"}


@dataclass(frozen=True)
class BuildContext:
    profile: Profile
    gateway_aws_api_versions: dict[str, str]
    """apiVersion per gateway.k8s.aws kind served by the pinned controller release."""


def app_labels(name: str, extra: dict[str, str]) -> dict[str, str]:
    """Labels on every object of an app; the selector uses only ``app.kubernetes.io/name``."""
    return {**extra, "app.kubernetes.io/name": name, **MANAGED_BY}


def selector(name: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": name}
