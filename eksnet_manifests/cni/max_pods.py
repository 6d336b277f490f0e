"""How many pods a node can run: the EKS max-pods formula for the Amazon VPC CNI.

Secondary-IP mode: ``ENIs x (IPs per ENI - 1) + 2``. The first address of every ENI is the ENI's own
(primary) address and never goes to a pod; the ``+ 2`` is for aws-node and kube-proxy, which use the
host network and so need no pod address but still count against kubelet's maxPods.

Prefix delegation: each of those secondary slots holds a /28 prefix of 16 addresses instead, so
``ENIs x (IPs per ENI - 1) x 16 + 2``. In every mode the result is capped at 110 pods (30 vCPUs or
fewer) or 250 (more), as the EKS max-pods calculation does (awslabs/amazon-eks-ami
``templates/al2/runtime/max-pods-calculator.sh`` at 0ab8428; managed node groups use that value).
Custom networking leaves the primary ENI to the node, so one ENI fewer carries pods. ``MAX_ENI``
lowers the ENI count before that.
"""

from __future__ import annotations

from dataclasses import dataclass

HOST_NETWORK_PODS = 2  # aws-node and kube-proxy: see the module docstring
ADDRESSES_PER_PREFIX = 16  # a /28
SMALL_NODE_MAX_PODS = 110  # kubelet's default, recommended for nodes with up to 30 vCPUs
LARGE_NODE_MAX_PODS = 250
LARGE_NODE_MIN_VCPUS = 31


@dataclass(frozen=True)
class InstanceLimits:
    """The facts the formula needs about one EC2 instance type."""

    instance_type: str
    max_enis: int
    """Network interfaces on the default network card (card 0 on multi-card types)."""
    ipv4_per_eni: int
    """IPv4 addresses per interface, the primary one included."""
    vcpus: int | None = None
    """Default vCPU count; decides the prefix-delegation cap. None when the data source lacks it."""
    nitro: bool | None = None
    """Built on the AWS Nitro System (prefix delegation needs it). None when unknown."""


@dataclass(frozen=True)
class MaxPods:
    """A max-pods result with the arithmetic behind it, so reports can show their working."""

    value: int
    """The recommended kubelet maxPods."""
    pod_ips: int
    """Pods that can get a VPC address (the formula without ``+ 2`` and without the cap)."""
    enis: int
    """ENIs that carry pod addresses."""
    slots_per_eni: int
    """Secondary addresses (or /28 prefixes) per ENI."""
    prefix_delegation: bool
    cap: int | None
    """The EKS cap (110 or 250 by vCPUs); None when none applies."""
    notes: tuple[str, ...] = ()

    @property
    def uncapped(self) -> int:
        return self.pod_ips + HOST_NETWORK_PODS

    def formula(self) -> str:
        per_slot = f" x {ADDRESSES_PER_PREFIX}" if self.prefix_delegation else ""
        text = f"{self.enis} ENIs x {self.slots_per_eni}{per_slot} + {HOST_NETWORK_PODS} = {self.uncapped}"
        if self.cap is not None and self.uncapped > self.cap:
            text += f", capped at {self.cap}"
        return text


def usable_enis(
    limits: InstanceLimits, *, custom_networking: bool = False, max_eni: int | None = None
) -> int:
    """ENIs that carry pod addresses: MAX_ENI lowers the count, custom networking keeps the primary one."""
    enis = limits.max_enis if max_eni is None else min(max_eni, limits.max_enis)
    return max(enis - 1, 0) if custom_networking else enis


def max_pods_cap(limits: InstanceLimits) -> tuple[int, str | None]:
    """The EKS maxPods ceiling (110 up to 30 vCPUs, else 250), and a note when the vCPU count had to be
    assumed."""
    if limits.vcpus is None:
        return SMALL_NODE_MAX_PODS, (
            f"vCPU count of {limits.instance_type} unknown: used the {SMALL_NODE_MAX_PODS} cap "
            f"(the lower one; {LARGE_NODE_MAX_PODS} applies above 30 vCPUs)"
        )
    return (LARGE_NODE_MAX_PODS if limits.vcpus >= LARGE_NODE_MIN_VCPUS else SMALL_NODE_MAX_PODS), None


def prefix_delegation_problem(limits: InstanceLimits) -> str | None:
    """Why prefix delegation cannot work on ``limits``' type, or None when it can (or nobody knows)."""
    if limits.nitro is False:
        return (
            f"{limits.instance_type} is not built on the AWS Nitro System, and prefix delegation needs "
            "Nitro instances (e.g. the t3, m5 or m6i families)"
        )
    return None


def max_pods(
    limits: InstanceLimits,
    *,
    prefix_delegation: bool = False,
    custom_networking: bool = False,
    max_eni: int | None = None,
) -> MaxPods:
    """The recommended kubelet maxPods for ``limits`` in the given CNI mode."""
    enis = usable_enis(limits, custom_networking=custom_networking, max_eni=max_eni)
    slots_per_eni = limits.ipv4_per_eni - 1
    pod_ips = enis * slots_per_eni * (ADDRESSES_PER_PREFIX if prefix_delegation else 1)
    value = pod_ips + HOST_NETWORK_PODS
    notes: list[str] = []
    cap, note = max_pods_cap(limits)
    value = min(value, cap)
    if note and pod_ips + HOST_NETWORK_PODS > cap:
        notes.append(note)
    if prefix_delegation and limits.nitro is None:
        notes.append(
            f"cannot tell whether {limits.instance_type} is Nitro-based; prefix delegation needs Nitro"
        )
    return MaxPods(value, pod_ips, enis, slots_per_eni, prefix_delegation, cap, tuple(notes))


def max_pods_data(limits: InstanceLimits, result: MaxPods) -> dict[str, object]:
    """JSON-ready form of one result, with the instance facts it used."""
    return {
        "instanceType": limits.instance_type,
        "maxPods": result.value,
        "mode": "prefix-delegation" if result.prefix_delegation else "secondary-ip",
        "formula": result.formula(),
        "podAddresses": result.pod_ips,
        "enis": result.enis,
        "maxEnis": limits.max_enis,
        "ipv4AddressesPerEni": limits.ipv4_per_eni,
        "vcpus": limits.vcpus,
        "nitro": limits.nitro,
        "cap": result.cap,
        "notes": list(result.notes),
    }
