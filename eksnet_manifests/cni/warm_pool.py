"""Subnet addresses a node holds: its pods' addresses plus the warm pool aws-node keeps spare.

The rules follow docs/eni-and-ip-target.md and docs/prefix-and-ip-target.md of amazon-vpc-cni-k8s
v1.23.0, and reproduce their example tables:

- secondary IP, WARM_ENI_TARGET (default 1): enough ENIs for the pods plus that many spare ENIs, each
  filled with all its secondary addresses;
- secondary IP, WARM_IP_TARGET / MINIMUM_IP_TARGET: ``max(pods + warm, minimum)`` addresses;
- prefix delegation, WARM_PREFIX_TARGET (the add-on's default 1): enough /28 prefixes for the pods
  plus that many spare; with the IP targets, enough prefixes for ``max(pods + warm, minimum)``.

Every attached ENI also takes one address of its own (its primary address). With custom networking
the node's primary ENI stays in the node subnet and every pod ENI lives in the pod subnet.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from eksnet_manifests.cni.max_pods import ADDRESSES_PER_PREFIX, InstanceLimits, usable_enis
from eksnet_manifests.profile.vpc_cni import VpcCni

DEFAULT_WARM_ENI_TARGET = 1  # aws-node's default
DEFAULT_WARM_PREFIX_TARGET = 1  # the EKS add-on's and chart's default


@dataclass(frozen=True)
class NodeAddresses:
    enis: int
    """ENIs attached to the node."""
    pod_addresses: int
    """Addresses attached for pods, used or warm (secondary IPs, or prefixes x 16)."""
    node_subnet: int
    """Addresses the node takes from its own subnet."""
    pod_subnet: int
    """Addresses taken from the ENIConfig pod subnet (custom networking only)."""


def node_addresses(limits: InstanceLimits, vpc_cni: VpcCni, pods: int) -> NodeAddresses:
    """Addresses a node with ``pods`` address-taking pods holds once aws-node has filled its warm pool."""
    custom = vpc_cni.custom_networking is not None
    per_eni = max(limits.ipv4_per_eni - 1, 0)
    slots_max = usable_enis(limits, custom_networking=custom, max_eni=vpc_cni.max_eni) * per_eni
    unit = ADDRESSES_PER_PREFIX if vpc_cni.prefix_delegation else 1
    slots = min(_slots_wanted(vpc_cni, pods, per_eni, unit), slots_max)
    pod_enis = ceil(slots / per_eni) if per_eni else 0
    if not custom:
        pod_enis = max(pod_enis, 1)  # the primary ENI is always there and carries pods
    addresses = slots * unit
    if custom:
        return NodeAddresses(pod_enis + 1, addresses, 1, pod_enis + addresses)
    return NodeAddresses(pod_enis, addresses, pod_enis + addresses, 0)


def _slots_wanted(vpc_cni: VpcCni, pods: int, per_eni: int, unit: int) -> int:
    """Secondary addresses (or prefixes) aws-node wants attached for ``pods``."""
    if vpc_cni.warm_ip_target is not None or vpc_cni.minimum_ip_target is not None:
        wanted = max(pods + (vpc_cni.warm_ip_target or 0), vpc_cni.minimum_ip_target or 0)
        return ceil(wanted / unit)
    if vpc_cni.prefix_delegation:
        warm = vpc_cni.warm_prefix_target or DEFAULT_WARM_PREFIX_TARGET
        return ceil(pods / ADDRESSES_PER_PREFIX) + warm
    if per_eni == 0:
        return 0
    warm_enis = DEFAULT_WARM_ENI_TARGET if vpc_cni.warm_eni_target is None else vpc_cni.warm_eni_target
    return (ceil(pods / per_eni) + warm_enis) * per_eni
