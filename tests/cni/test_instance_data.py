"""Instance limits from an instance-info.jsonl file and from EC2 DescribeInstanceTypes data."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from eksnet_manifests.cni.instance_data import (
    describe_instance_type,
    find_instance,
    limits_from_ec2,
    parse_instance_info,
    read_instance_info,
    require_instance,
    resolve_instance,
)
from eksnet_manifests.errors import SpecError


def test_file_limits_take_vcpus_and_nitro_from_the_builtin_table() -> None:
    # GIVEN a file with one built-in type and one the table does not know
    text = (
        '{"instanceType":"t3.medium","defaultMaxENIs":3,"ipv4AddressesPerInterface":6}\n'
        "\n"
        '{"instanceType":"x9.big","defaultMaxENIs":4,"ipv4AddressesPerInterface":15}\n'
    )
    # WHEN parsed
    limits = parse_instance_info(text, "data.jsonl")
    # THEN the known type gains vCPUs and Nitro; the other leaves them unknown
    assert (limits["t3.medium"].vcpus, limits["t3.medium"].nitro) == (2, True)
    assert (limits["x9.big"].max_enis, limits["x9.big"].vcpus, limits["x9.big"].nitro) == (4, None, None)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not a JSON object"),
        ("[1, 2]", "not a JSON object"),
        ('{"instanceType":"a.b","defaultMaxENIs":3}', "missing ipv4AddressesPerInterface"),
        ('{"instanceType":"a.b","defaultMaxENIs":0,"ipv4AddressesPerInterface":6}', "defaultMaxENIs of a.b"),
        (
            '{"instanceType":"a.b","defaultMaxENIs":true,"ipv4AddressesPerInterface":6}',
            "defaultMaxENIs of a.b",
        ),
        ('{"instanceType":"","defaultMaxENIs":3,"ipv4AddressesPerInterface":6}', "instanceType must be"),
    ],
    ids=["bad-json", "not-an-object", "missing-field", "zero", "boolean", "empty-name"],
)
def test_bad_lines_are_reported_at_file_and_line(line: str, message: str) -> None:
    text = '{"instanceType":"t3.medium","defaultMaxENIs":3,"ipv4AddressesPerInterface":6}\n' + line
    with pytest.raises(SpecError, match=message) as caught:
        parse_instance_info(text, "data.jsonl")
    assert str(caught.value.location) == "data.jsonl:2"


def test_empty_file_is_an_error() -> None:
    with pytest.raises(SpecError, match="no instance types found"):
        parse_instance_info("\n", "empty.jsonl")


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read instance data"):
        read_instance_info(tmp_path / "missing.jsonl")


def test_upstream_file_reads_every_line(instance_info_path: Path) -> None:
    lines = [line for line in instance_info_path.read_text("utf-8").splitlines() if line.strip()]
    assert len(read_instance_info(instance_info_path)) == len(lines)


def test_lookup_prefers_the_given_data_over_the_builtin_table() -> None:
    # GIVEN data that disagrees with the built-in t3.medium
    data = parse_instance_info(
        '{"instanceType":"t3.medium","defaultMaxENIs":2,"ipv4AddressesPerInterface":6}', "f"
    )
    # WHEN looked up; THEN the user's data wins, and the table answers for the rest
    assert find_instance("t3.medium", data).max_enis == 2
    assert find_instance("m5.large", data).max_enis == 3
    assert find_instance("x9.big", data) is None


def test_unknown_type_error_names_the_table_and_the_ways_out() -> None:
    with pytest.raises(SpecError) as caught:
        require_instance("x9.big")
    message = str(caught.value)
    assert (
        "x9.big" in message
        and "t3a" in message
        and "--instance-data" in message
        and "--source aws" in message
    )
    assert "\n" not in message


def _ec2_item(**changes: Any) -> dict[str, Any]:
    """One DescribeInstanceTypes item with the fields the reader uses (a multi-card p5-like type)."""
    item = {
        "InstanceType": "p5.48xlarge",
        "Hypervisor": "nitro",
        "VCpuInfo": {"DefaultVCpus": 192},
        "NetworkInfo": {
            "MaximumNetworkInterfaces": 64,
            "Ipv4AddressesPerInterface": 50,
            "DefaultNetworkCardIndex": 0,
            "NetworkCards": [
                {"NetworkCardIndex": 0, "MaximumNetworkInterfaces": 2},
                {"NetworkCardIndex": 1, "MaximumNetworkInterfaces": 2},
            ],
        },
    }
    return item | changes


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, (2, 50, 192, True)),
        ({"Hypervisor": "xen"}, (2, 50, 192, False)),
        ({"Hypervisor": None, "BareMetal": True}, (2, 50, 192, True)),
        ({"Hypervisor": None}, (2, 50, 192, None)),
    ],
    ids=["nitro-default-card-only", "xen", "bare-metal", "hypervisor-unknown"],
)
def test_ec2_description_counts_only_the_default_network_card(
    changes: dict[str, Any], expected: tuple
) -> None:
    limits = limits_from_ec2(_ec2_item(**changes))
    assert (limits.max_enis, limits.ipv4_per_eni, limits.vcpus, limits.nitro) == expected


def test_aws_source_and_a_data_file_exclude_each_other(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="choose one"):
        resolve_instance("t3.medium", source="aws", data_file=tmp_path / "x.jsonl")


@pytest.mark.skipif(importlib.util.find_spec("boto3") is not None, reason="boto3 is installed")
def test_aws_source_without_boto3_says_what_to_install() -> None:
    with pytest.raises(SpecError, match="needs boto3"):
        describe_instance_type("t3.medium")
