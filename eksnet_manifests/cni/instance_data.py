"""Where instance limits come from: the built-in table, an instance-info.jsonl file, or the EC2 API.

The file format is the EKS AMI's ``nodeadm/internal/kubelet/instance-info.jsonl``: one JSON object
per line with ``instanceType``, ``defaultMaxENIs`` and ``ipv4AddressesPerInterface``. It has no vCPU
count and no hypervisor, so those two facts are taken from the built-in table when it knows the type.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eksnet_manifests.cni.instance_types import BUILTIN_INSTANCE_TYPES, builtin_families
from eksnet_manifests.cni.max_pods import InstanceLimits
from eksnet_manifests.errors import Location, SpecError
from eksnet_manifests.files import read_input

InstanceData = Mapping[str, InstanceLimits]
_FILE_FIELDS = ("instanceType", "defaultMaxENIs", "ipv4AddressesPerInterface")


def find_instance(instance_type: str, instances: InstanceData | None = None) -> InstanceLimits | None:
    """Limits from ``instances`` first, then the built-in table; None when neither knows the type."""
    if instances is not None and instance_type in instances:
        return instances[instance_type]
    return BUILTIN_INSTANCE_TYPES.get(instance_type)


def unknown_instance_message(instance_type: str, *, with_file: bool) -> str:
    table = f"the built-in table ({', '.join(builtin_families())})"
    where = f"in the instance data file or {table}" if with_file else f"in {table}"
    return (
        f"unknown instance type {instance_type!r}: not {where}; pass --instance-data instance-info.jsonl "
        "(from the EKS AMI) or --source aws"
    )


def require_instance(instance_type: str, instances: InstanceData | None = None) -> InstanceLimits:
    limits = find_instance(instance_type, instances)
    if limits is None:
        raise SpecError(unknown_instance_message(instance_type, with_file=instances is not None))
    return limits


def parse_instance_info(text: str, file: str) -> dict[str, InstanceLimits]:
    """Limits per type from instance-info.jsonl text; vCPUs and Nitro come from the built-in table."""
    limits: dict[str, InstanceLimits] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            entry = _entry(line, Location(file, number))
            builtin = BUILTIN_INSTANCE_TYPES.get(entry[0])
            vcpus, nitro = (builtin.vcpus, builtin.nitro) if builtin else (None, None)
            limits[entry[0]] = InstanceLimits(entry[0], entry[1], entry[2], vcpus, nitro)
    if not limits:
        raise SpecError("no instance types found (expected instance-info.jsonl lines)", Location(file))
    return limits


def _entry(line: str, where: Location) -> tuple[str, int, int]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SpecError(f"not a JSON object: {exc.msg}", where) from None
    if not isinstance(record, dict):
        raise SpecError("not a JSON object", where)
    missing = [name for name in _FILE_FIELDS if name not in record]
    if missing:
        raise SpecError(f"missing {', '.join(missing)}", where)
    name, enis, ips = (record[field] for field in _FILE_FIELDS)
    if not isinstance(name, str) or not name:
        raise SpecError("instanceType must be a non-empty string", where)
    for field, value in (("defaultMaxENIs", enis), ("ipv4AddressesPerInterface", ips)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise SpecError(f"{field} of {name} must be a positive integer, not {value!r}", where)
    return name, enis, ips


def read_instance_info(path: Path) -> dict[str, InstanceLimits]:
    return parse_instance_info(read_input(path, what="instance data"), str(path))


def resolve_instance(
    instance_type: str, *, source: str = "builtin", data_file: Path | None = None
) -> InstanceLimits:
    """Limits from ``data_file`` if given, else the built-in table; from the EC2 API for ``aws``."""
    if source == "aws":
        if data_file is not None:
            raise SpecError("choose one of --source aws and --instance-data")
        return describe_instance_type(instance_type)
    return require_instance(instance_type, read_instance_info(data_file) if data_file else None)


def limits_from_ec2(description: Mapping[str, Any]) -> InstanceLimits:
    """Limits from one ``InstanceTypes`` item of EC2 DescribeInstanceTypes."""
    network = description["NetworkInfo"]
    default_card = network.get("DefaultNetworkCardIndex", 0)
    # Like eni-max-pods.txt, count only the default network card's interfaces on multi-card types.
    enis = next(
        (
            card["MaximumNetworkInterfaces"]
            for card in network.get("NetworkCards", ())
            if card.get("NetworkCardIndex") == default_card
        ),
        network["MaximumNetworkInterfaces"],
    )
    hypervisor = description.get("Hypervisor")
    # Bare-metal types report no hypervisor, and every one of them is built on Nitro hardware.
    nitro = True if hypervisor == "nitro" or description.get("BareMetal") else (False if hypervisor else None)
    return InstanceLimits(
        description["InstanceType"],
        enis,
        network["Ipv4AddressesPerInterface"],
        description.get("VCpuInfo", {}).get("DefaultVCpus"),
        nitro,
    )


def describe_instance_type(instance_type: str) -> InstanceLimits:
    """Limits from the EC2 API; boto3 is optional and imported only here."""
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        raise SpecError("--source aws needs boto3, which is not installed (pip install boto3)") from None
    session = boto3.Session()
    if session.get_credentials() is None:
        raise SpecError("--source aws found no AWS credentials (configure a profile or AWS_* variables)")
    if session.region_name is None:
        raise SpecError("--source aws found no AWS region (set AWS_REGION or a profile region)")
    try:
        response = session.client("ec2").describe_instance_types(InstanceTypes=[instance_type])
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code == "InvalidInstanceType":
            raise SpecError(f"unknown instance type {instance_type!r} (EC2 DescribeInstanceTypes)") from None
        raise SpecError(f"EC2 DescribeInstanceTypes failed: {code or exc}") from None
    except BotoCoreError as exc:
        raise SpecError(f"EC2 DescribeInstanceTypes failed: {exc}") from None
    items = response.get("InstanceTypes") or []
    if not items:
        raise SpecError(f"unknown instance type {instance_type!r} (EC2 DescribeInstanceTypes)")
    return limits_from_ec2(items[0])
