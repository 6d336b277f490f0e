"""Profiles and upstream chart files for the Helm values tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from eksnet_manifests.profile.load import load_profile
from eksnet_manifests.profile.profile import Profile


@pytest.fixture
def make_profile() -> Callable[..., Profile]:
    """GIVEN apps and profile sections -> a Profile in account 111122223333 (sections replace the base's)."""

    def make(*apps: dict[str, Any], **sections: Any) -> Profile:
        base: dict[str, Any] = {
            "cluster": {
                "name": "demo",
                "region": "ap-northeast-2",
                "vpcId": "vpc-0123456789abcdef0",
                "accountId": "111122223333",
            },
            "nodeGroups": [{"name": "primary", "instanceType": "t3.medium", "desiredSize": 2}],
            "apps": list(apps),
        }
        return Profile.model_validate(base | sections)

    return make


@pytest.fixture(scope="session")
def lab_profile() -> Profile:
    return load_profile(None).profile


def _load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


@pytest.fixture(scope="session")
def lbc_chart_values(upstream: Path) -> dict[str, Any]:
    return _load_yaml(upstream / "aws-load-balancer-controller" / "v3.5.0" / "helm" / "values.yaml")


@pytest.fixture(scope="session")
def external_dns_chart(upstream: Path) -> Path:
    return upstream / "external-dns" / "1.21.1"


@pytest.fixture(scope="session")
def external_dns_chart_values(external_dns_chart: Path) -> dict[str, Any]:
    return _load_yaml(external_dns_chart / "values.yaml")


def _missing_keys(values: Mapping[str, Any], chart: Any, prefix: str = "") -> Iterator[str]:
    for key, value in values.items():
        path = f"{prefix}{key}"
        if not isinstance(chart, Mapping) or key not in chart:
            yield path
            continue
        declared = chart[key]
        # An empty or null mapping in the chart is free-form (annotations, featureGates): any key goes.
        if isinstance(value, Mapping) and isinstance(declared, Mapping) and declared:
            yield from _missing_keys(value, declared, f"{path}.")


@pytest.fixture(scope="session")
def missing_chart_keys() -> Callable[[Mapping[str, Any], Mapping[str, Any]], list[str]]:
    """Dotted keys of generated values that the chart's values.yaml does not declare."""
    return lambda values, chart: list(_missing_keys(values, chart))


def _dotted_paths(value: Any, prefix: str = "") -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield f"{prefix}{key}"
            yield from _dotted_paths(item, f"{prefix}{key}.")


@pytest.fixture(scope="session")
def dotted_paths() -> Callable[[Mapping[str, Any]], set[str]]:
    """Every dotted key path of a values mapping, as Artifact.comments names them."""
    return lambda values: set(_dotted_paths(values))


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(key, str) and _plain(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    return type(value) in (str, bool, int)


@pytest.fixture(scope="session")
def is_plain() -> Callable[[Any], bool]:
    """True when a value holds only dict, list, str, bool and int, as the renderer expects."""
    return _plain
