"""The cluster the manifests target and its node groups."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated

from pydantic import AfterValidator, Field, Strict

from eksnet_manifests.errors import shown
from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.names import (
    AccountId,
    AvailabilityZone,
    Count,
    DnsLabel,
    KubernetesVersion,
    Region,
    VpcId,
    identifier,
)

InstanceType = identifier(r"[a-z][a-z0-9-]*\.[a-z0-9]+", "an EC2 instance type like t3.medium", max_length=32)


def _cidr(value: str) -> str:
    try:
        return str(ipaddress.IPv4Network(value))
    except ValueError:
        raise ValueError(f"{shown(value)} is not an IPv4 CIDR block like 192.168.0.0/16") from None


Cidr = Annotated[str, AfterValidator(_cidr)]


class Cluster(StrictModel):
    name: DnsLabel
    """EKS cluster name; also the LBC ``clusterName`` and the output folder ``out/<name>/``."""
    region: Region
    """AWS region, e.g. ``ap-northeast-2``. Passed to LBC so it never depends on instance metadata."""
    vpc_id: VpcId
    """VPC ID (``vpc-…``). Passed to LBC: with IMDSv2 hop limit 1 the controller cannot discover it."""
    kubernetes_version: KubernetesVersion = "1.34"
    """Kubernetes minor version (``1.34``); selects the built-in schemas used for validation."""
    account_id: AccountId | None = None
    """AWS account ID (12 digits); needed to write IAM role and policy ARNs."""
    vpc_cidr: Cidr | None = None
    """Primary VPC CIDR (the lab uses 192.168.0.0/16)."""
    availability_zones: tuple[AvailabilityZone, ...] = ()
    """Availability zones the node subnets live in."""
    subnet_cidrs: tuple[Cidr, ...] = ()
    """CIDRs of the subnets nodes and pods draw addresses from (for IP capacity planning)."""

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(field path, message) for zones outside the region and subnets outside the VPC CIDR."""
        found: list[tuple[tuple[str | int, ...], str]] = []
        # AWS zone names are the region's name plus a letter (Local Zones: region-metro-Nletter).
        zone = re.compile(rf"^{re.escape(self.region)}([a-z]|-[a-z]+-[0-9]+[a-z])$")
        for index, name in enumerate(self.availability_zones):
            if not zone.match(name):
                found.append(
                    (
                        ("availabilityZones", index),
                        f"{name!r} is not an availability zone of region {self.region}",
                    )
                )
        if self.vpc_cidr is not None:
            vpc = ipaddress.IPv4Network(self.vpc_cidr)
            for index, cidr in enumerate(self.subnet_cidrs):
                if not ipaddress.IPv4Network(cidr).subnet_of(vpc):
                    message = (
                        f"subnet {cidr} is outside vpcCidr {self.vpc_cidr}: EC2 creates subnets inside it"
                    )
                    found.append((("subnetCidrs", index), message))
        return found


class NodeGroup(StrictModel):
    name: DnsLabel
    """Managed node group name."""
    instance_type: InstanceType
    """EC2 instance type, e.g. ``t3.medium``; decides ENI/IP limits and so max pods."""
    desired_size: Count
    """Number of nodes normally running."""
    min_size: Count | None = None
    """Autoscaling lower bound (defaults to desiredSize)."""
    max_size: Count | None = None
    """Autoscaling upper bound (defaults to desiredSize)."""
    labels: dict[str, str] = Field(default_factory=dict)
    """Kubernetes node labels (the lab uses ``tier: primary``)."""
    max_pods: Annotated[int, Strict(), Field(ge=1, le=250)] | None = None
    """Kubelet maxPods override; by default computed from the instance type and the CNI mode."""

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(field path, message) for sizes EKS rejects: minSize <= desiredSize <= maxSize."""
        # EKS CreateNodegroup scalingConfig: minSize <= desiredSize <= maxSize.
        found: list[tuple[tuple[str | int, ...], str]] = []
        size = f"desiredSize {self.desired_size}"
        if self.max_size is not None and self.desired_size > self.max_size:
            message = f"{size} is above maxSize {self.max_size}: EKS rejects the node group"
            found.append((("desiredSize",), message + "; lower desiredSize or raise maxSize"))
        if self.min_size is not None and self.desired_size < self.min_size:
            message = f"{size} is below minSize {self.min_size}: EKS rejects the node group"
            found.append((("desiredSize",), message + "; raise desiredSize or lower minSize"))
        return found
