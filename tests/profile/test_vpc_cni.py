"""The vpcCni profile section: contradictions, strict integers, env names and warnings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from eksnet_manifests.errors import SpecError
from eksnet_manifests.profile.base import dump
from eksnet_manifests.profile.load import parse_profile
from eksnet_manifests.profile.vpc_cni import (
    AWS_NODE_ENV_NAMES,
    ENV_OWNED_BY_FIELD,
    ENV_WITHOUT_EFFECT,
    VpcCni,
)

PROFILE = """\
cluster: {name: myeks, region: ap-northeast-2, vpcId: vpc-0123456789abcdef0}
nodeGroups: [{name: primary, instanceType: t3.medium, desiredSize: 3}]
apps: []
vpcCni:
"""


def load_vpc_cni(body: str) -> VpcCni:
    """Parse a profile whose vpcCni section is ``body`` (indented two spaces), as users write it."""
    text = PROFILE + "".join(f"  {line}\n" for line in body.splitlines())
    return parse_profile(text, "eksnet.yaml").profile.vpc_cni


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ("warmEniTarget: 1\nwarmIpTarget: 2", ("warmEniTarget", "warmIpTarget")),
        ("warmEniTarget: 1\nminimumIpTarget: 10", ("warmEniTarget", "minimumIpTarget")),
        ("warmPrefixTarget: 1", ("warmPrefixTarget", "mode")),
        (
            "mode: prefix-delegation\nwarmPrefixTarget: 1\nwarmIpTarget: 5",
            ("warmPrefixTarget", "warmIpTarget"),
        ),
        ("externalSnat: true\nexcludeSnatCidrs: [10.0.0.0/8]", ("excludeSnatCidrs", "externalSnat")),
        ("env: {ENABLE_IPv6: true}", ("ENABLE_IPv6", "mode")),
    ],
    ids=[
        "ip-target-makes-warm-eni-ignored",
        "minimum-ip-makes-warm-eni-ignored",
        "warm-prefix-without-prefix-delegation",
        "ip-target-overrides-warm-prefix",
        "exclude-snat-with-external-snat",
        "ipv6-without-prefix-delegation",
    ],
)
def test_contradictions_are_errors_naming_both_fields(body: str, fields: tuple[str, str]) -> None:
    # GIVEN settings that cancel each other out; WHEN loaded
    with pytest.raises(SpecError) as caught:
        load_vpc_cni(body)
    # THEN the error points at the vpcCni section and names both fields
    assert str(caught.value).startswith("eksnet.yaml:4: vpcCni: ")
    assert all(field in caught.value.message for field in fields)


@pytest.mark.parametrize(
    "value", ["-1", "1.5", '"1"', "true"], ids=["negative", "fraction", "string", "boolean"]
)
def test_targets_are_strict_non_negative_integers(value: str) -> None:
    with pytest.raises(SpecError) as caught:
        load_vpc_cni(f"warmEniTarget: {value}")
    assert str(caught.value.location) == "eksnet.yaml:5: vpcCni.warmEniTarget"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("WARM_IP_TARGET", "set by vpcCni.warmIpTarget"),
        ("DISABLE_TCP_EARLY_DEMUX", "aws-vpc-cni-init container"),
        ("WARM_IP_TARGETS", "not an aws-node variable"),
    ],
    ids=["owned-by-a-field", "no-effect-on-aws-node", "unknown"],
)
def test_env_names_are_checked(name: str, message: str) -> None:
    with pytest.raises(SpecError, match=message) as caught:
        load_vpc_cni(f"env:\n  {name}: '1'")
    assert caught.value.location.line == 6


def test_env_values_become_the_strings_aws_node_reads() -> None:
    vpc_cni = load_vpc_cni(
        "env: {AWS_VPC_ENI_MTU: 1500, ENABLE_POD_ENI: true, AWS_VPC_K8S_CNI_LOGLEVEL: INFO}"
    )
    assert vpc_cni.env == {
        "AWS_VPC_ENI_MTU": "1500",
        "ENABLE_POD_ENI": "true",
        "AWS_VPC_K8S_CNI_LOGLEVEL": "INFO",
    }


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("customNetworking: {subnets: {ap-northeast-2a: {id: subnet-1}}}", "is not a subnet ID"),
        (
            "customNetworking: {subnets: {ap-northeast-2a: {id: subnet-0123abcd, securityGroups: [sg-1]}}}",
            "security group",
        ),
        ("customNetworking: {subnets: {zone-a: {id: subnet-0123abcd}}}", "availability zone"),
        ("customNetworking: {subnets: {}}", "at least 1 item"),
    ],
    ids=["bad-subnet-id", "bad-security-group", "bad-zone", "no-subnets"],
)
def test_custom_networking_ids_are_validated(body: str, error: str) -> None:
    with pytest.raises(SpecError, match=error):
        load_vpc_cni(body)


@pytest.mark.parametrize(
    ("settings", "warning"),
    [
        ({"minimumIpTarget": 10}, "vpcCni.minimumIpTarget without warmIpTarget"),
        ({"warmIpTarget": 2}, "vpcCni.warmIpTarget without minimumIpTarget"),
        ({"mode": "prefix-delegation", "warmEniTarget": 1}, "vpcCni.warmEniTarget in prefix-delegation mode"),
    ],
    ids=["minimum-without-warm", "warm-without-minimum", "warm-eni-with-prefixes"],
)
def test_risky_but_valid_settings_are_warned_about(settings: dict[str, Any], warning: str) -> None:
    (found,) = VpcCni.model_validate(settings).warnings()
    assert found.startswith(warning)


def test_recommended_settings_raise_no_warning() -> None:
    assert VpcCni.model_validate({"warmIpTarget": 2, "minimumIpTarget": 12}).warnings() == []
    assert VpcCni().warnings() == []


def test_section_round_trips_through_its_wire_form() -> None:
    vpc_cni = VpcCni.model_validate(
        {
            "mode": "prefix-delegation",
            "warmPrefixTarget": 1,
            "customNetworking": {
                "subnets": {"ap-northeast-2a": {"id": "subnet-0123abcd", "cidr": "100.64.0.0/18"}}
            },
            "env": {"AWS_VPC_ENI_MTU": "1500"},
        }
    )
    assert VpcCni.model_validate(dump(vpc_cni)) == vpc_cni


def test_env_names_are_the_readme_variables(upstream: Path) -> None:
    # GIVEN the headings of the README's "CNI Configuration Variables" section (v1.23.0)
    readme = (upstream / "amazon-vpc-cni-k8s/v1.23.0/README.md").read_text("utf-8")
    section = readme.split("## CNI Configuration Variables", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^#### `([A-Za-z0-9_]+)`", section, re.MULTILINE))
    # THEN the known names are exactly those, and every owned or ineffective name is one of them
    assert documented == AWS_NODE_ENV_NAMES
    assert set(ENV_OWNED_BY_FIELD) | set(ENV_WITHOUT_EFFECT) <= AWS_NODE_ENV_NAMES
