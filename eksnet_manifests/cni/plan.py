"""The capacity plan: pod slots against the pods the profile asks for, fixes, and subnet address use."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from math import ceil

from eksnet_manifests.cni.fit import (
    CniIssue,
    NodeGroupFit,
    PodCount,
    app_pods,
    cni_issues,
    fit_node_group,
    host_network_daemonsets,
    node_group_fits,
    recommended_max_pods,
    system_pods,
)
from eksnet_manifests.cni.instance_data import InstanceData
from eksnet_manifests.cni.instance_types import family_of, family_sizes
from eksnet_manifests.cni.max_pods import InstanceLimits
from eksnet_manifests.cni.warm_pool import node_addresses
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.profile.vpc_cni import VpcCni

AWS_RESERVED_PER_SUBNET = 5  # network, VPC router, DNS, future use, broadcast
DEFAULT_MAX_SURGE = 0.25  # a Deployment's default rolling-update surge
SCENARIOS = ("desiredSize", "maxSize")


Change = tuple[str, str | int | None]
"""(profile field path, new value); None removes the field."""


@dataclass(frozen=True)
class Suggestion:
    """One change (with the edits it needs alongside) that alone makes the pods fit."""

    changes: tuple[Change, ...]
    slots: int
    detail: str

    @property
    def field(self) -> str:
        return self.changes[0][0]

    @property
    def value(self) -> str:
        return str(self.changes[0][1])


@dataclass(frozen=True)
class AddressUse:
    """Addresses the node groups hold in one pool of subnets at one cluster size."""

    scenario: str
    nodes: int
    addresses: int
    busiest_subnet: int
    """Estimate for the fullest subnet, with nodes spread evenly over the pool's subnets."""


@dataclass(frozen=True)
class SubnetPool:
    name: str
    cidrs: tuple[str, ...]
    use: tuple[AddressUse, ...]

    @property
    def usable(self) -> int:
        return sum(usable_addresses(cidr) for cidr in self.cidrs)

    @property
    def smallest_usable(self) -> int:
        return min((usable_addresses(cidr) for cidr in self.cidrs), default=0)


@dataclass(frozen=True)
class CapacityPlan:
    cluster: str
    vpc_cni: VpcCni
    groups: tuple[NodeGroupFit, ...]
    host_network: tuple[str, ...]
    system_pods: tuple[PodCount, ...]
    app_pods: tuple[PodCount, ...]
    suggestions: tuple[Suggestion, ...]
    subnets: tuple[SubnetPool, ...]
    issues: tuple[CniIssue, ...]
    notes: tuple[str, ...]

    @property
    def slots(self) -> int:
        return sum(group.slots for group in self.groups)

    @property
    def demand(self) -> int:
        return sum(pod.count for pod in (*self.system_pods, *self.app_pods))

    @property
    def fits(self) -> bool:
        return self.demand <= self.slots

    @property
    def headroom(self) -> int:
        return self.slots - self.demand


def usable_addresses(cidr: str) -> int:
    """Addresses EC2 can hand out in a subnet: a /22 has 1,024, AWS keeps 5, so 1,019."""
    return max(ipaddress.IPv4Network(cidr).num_addresses - AWS_RESERVED_PER_SUBNET, 0)


def plan_capacity(profile: Profile, instances: InstanceData | None = None) -> CapacityPlan:
    """Everything ``eksnet plan`` reports; pure, so ``capacity.md`` and the CLI agree."""
    groups = node_group_fits(profile, instances)
    system, apps = system_pods(profile), app_pods(profile)
    demand = sum(pod.count for pod in (*system, *apps))
    suggestions = () if demand <= _slots(groups) else tuple(_suggestions(profile, groups, demand))
    return CapacityPlan(
        profile.cluster.name,
        profile.vpc_cni,
        groups,
        host_network_daemonsets(profile),
        system,
        apps,
        suggestions,
        tuple(_subnet_pools(profile, groups, demand)),
        tuple(cni_issues(profile, instances)),
        tuple(_notes(profile, groups, demand, apps)),
    )


def _slots(groups: tuple[NodeGroupFit, ...]) -> int:
    return sum(group.slots for group in groups)


def _refit(
    fit: NodeGroupFit, vpc_cni: VpcCni, update: dict[str, object], limits: InstanceLimits | None = None
) -> int:
    """Slots of ``fit``'s group after a change to its fields, CNI settings or instance type."""
    group = fit.group.model_copy(update=update)
    refit = fit_node_group(fit.index, group, vpc_cni, limits or fit.limits, fit.host_network_pods)
    return refit.slots if refit else 0


def _unpin(*fits: NodeGroupFit) -> tuple[Change, ...]:
    """Remove pinned maxPods: the formula's value must follow the new setting."""
    return tuple((f"nodeGroups[{fit.index}].maxPods", None) for fit in fits if fit.max_pods_overridden)


def _suggestions(profile: Profile, groups: tuple[NodeGroupFit, ...], demand: int) -> Iterator[Suggestion]:
    """Single changes that make ``demand`` fit, most effective kind first."""
    vpc_cni, total = profile.vpc_cni, _slots(groups)
    if not vpc_cni.prefix_delegation and all(fit.limits and fit.limits.nitro is not False for fit in groups):
        pd = vpc_cni.model_copy(update={"mode": "prefix-delegation"})
        slots = sum(_refit(fit, pd, {"max_pods": None}) for fit in groups)
        if slots >= demand:
            max_pods = ", ".join(f"{_recommended(fit, pd)} on {fit.name}" for fit in groups)
            changes = (("vpcCni.mode", "prefix-delegation"), *_unpin(*groups))
            yield Suggestion(changes, slots, f"kubelet maxPods {max_pods}")
    for fit in groups:
        at = f"nodeGroups[{fit.index}]"
        recommended = fit.recommended.value if fit.recommended else None
        if recommended is not None and fit.kubelet_max_pods < recommended:
            slots = total - fit.slots + _refit(fit, vpc_cni, {"max_pods": recommended})
            if slots >= demand:
                yield Suggestion(
                    ((f"{at}.maxPods", recommended),), slots, "all the pod addresses the node has"
                )
        if fit.slots_per_node:
            nodes = fit.nodes + ceil((demand - total) / fit.slots_per_node)
            grow = ((f"{at}.maxSize", nodes),) if (fit.group.max_size or nodes) < nodes else ()
            slots = total + (nodes - fit.nodes) * fit.slots_per_node
            detail = f"{fit.slots_per_node} pod slots per {fit.group.instance_type} node"
            yield Suggestion(((f"{at}.desiredSize", nodes), *grow), slots, detail)
        yield from _bigger_instance(fit, vpc_cni, total, demand)


def _recommended(fit: NodeGroupFit, vpc_cni: VpcCni) -> int:
    return recommended_max_pods(fit.limits, vpc_cni).value if fit.limits else fit.kubelet_max_pods


def _bigger_instance(fit: NodeGroupFit, vpc_cni: VpcCni, total: int, demand: int) -> Iterator[Suggestion]:
    """The smallest built-in size of the same family with more pod addresses that makes ``demand`` fit."""
    if fit.limits is None:
        return
    current = recommended_max_pods(fit.limits, vpc_cni).pod_ips
    for limits in family_sizes(family_of(fit.group.instance_type)):
        if recommended_max_pods(limits, vpc_cni).pod_ips <= current:
            continue
        # A pinned maxPods stays pinned: when it is the limit, the maxPods suggestion is the fix.
        slots = total - fit.slots + _refit(fit, vpc_cni, {"instance_type": limits.instance_type}, limits)
        if slots >= demand:
            change = (f"nodeGroups[{fit.index}].instanceType", limits.instance_type)
            max_pods = fit.group.max_pods or recommended_max_pods(limits, vpc_cni).value
            yield Suggestion((change,), slots, f"kubelet maxPods {max_pods}")
            return


def _subnet_pools(profile: Profile, groups: tuple[NodeGroupFit, ...], demand: int) -> Iterator[SubnetPool]:
    """Node subnets always; pod subnets too with custom networking (their CIDRs are optional)."""
    known = tuple(fit for fit in groups if fit.limits is not None)
    if not known:
        return
    custom = profile.vpc_cni.custom_networking
    node_cidrs = profile.cluster.subnet_cidrs
    scaled = any((fit.group.max_size or fit.nodes) != fit.nodes for fit in known)
    scenarios = SCENARIOS if scaled else SCENARIOS[:1]
    node_use = [
        _address_use(profile, known, demand, scenario, len(node_cidrs), pod_pool=False)
        for scenario in scenarios
    ]
    yield SubnetPool("node subnets", node_cidrs, tuple(node_use))
    if custom is not None:
        pod_cidrs = tuple(subnet.cidr for subnet in custom.subnets.values() if subnet.cidr)
        pod_use = [
            _address_use(profile, known, demand, scenario, len(custom.subnets), pod_pool=True)
            for scenario in scenarios
        ]
        yield SubnetPool("pod subnets (ENIConfig)", pod_cidrs, tuple(pod_use))


def _address_use(
    profile: Profile,
    groups: tuple[NodeGroupFit, ...],
    demand: int,
    scenario: str,
    subnets: int,
    *,
    pod_pool: bool,
) -> AddressUse:
    """Addresses held with the pods spread evenly over the nodes, and nodes spread evenly over subnets."""
    counts = [fit.nodes if scenario == "desiredSize" else (fit.group.max_size or fit.nodes) for fit in groups]
    nodes = sum(counts)
    pods_per_node = ceil(demand / nodes) if nodes else 0
    total = busiest = 0
    for fit, count in zip(groups, counts, strict=True):
        assert fit.limits is not None
        held = node_addresses(fit.limits, profile.vpc_cni, min(pods_per_node, fit.slots_per_node))
        per_node = held.pod_subnet if pod_pool else held.node_subnet
        total += per_node * count
        busiest += per_node * ceil(count / max(subnets, 1))
    return AddressUse(scenario, nodes, total, busiest)


def _notes(
    profile: Profile, groups: tuple[NodeGroupFit, ...], demand: int, apps: tuple[PodCount, ...]
) -> Iterator[str]:
    yield from profile.vpc_cni.warnings()
    for fit in groups:
        if fit.recommended:
            yield from (f"{fit.name}: {note}" for note in fit.recommended.notes)
        if fit.limits is None:
            yield f"{fit.name}: {fit.group.instance_type} has no instance data: pod addresses not checked"
    surge = max((ceil(app.count * DEFAULT_MAX_SURGE) for app in apps), default=0)
    headroom = _slots(groups) - demand
    if 0 <= headroom < surge:
        yield (
            f"only {headroom} free pod slots: a rolling update with the default 25% maxSurge "
            f"needs up to {surge} more while old and new pods overlap"
        )
    if profile.vpc_cni.prefix_delegation:
        yield (
            "prefix delegation needs free contiguous /28 blocks: a fragmented subnet can run out of prefixes "
            "before it runs out of addresses (consider a subnet CIDR reservation)"
        )
