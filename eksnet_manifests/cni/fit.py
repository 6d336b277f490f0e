"""Will the pods fit? Pod slots per node group, what takes them, and settings that cannot work.

Two limits decide how many pods a node runs, and the smaller one wins:

- kubelet's ``maxPods`` counts every pod on the node, host-network pods included;
- the CNI can only hand out the pod addresses its ENIs hold (``MaxPods.pod_ips``).

DaemonSets with ``hostNetwork: true`` (aws-node, kube-proxy, and eks-pod-identity-agent when Pod
Identity is used) share the node's own address, so they take no pod address, but they do fill kubelet
slots; that is why the formula adds 2. Everything else (CoreDNS, the controllers, the apps) needs a
pod address and a kubelet slot.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from eksnet_manifests.cni.instance_data import InstanceData, find_instance, unknown_instance_message
from eksnet_manifests.cni.max_pods import InstanceLimits, MaxPods, max_pods, prefix_delegation_problem
from eksnet_manifests.profile.cluster import NodeGroup
from eksnet_manifests.profile.identity import PodIdentity
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.profile.vpc_cni import VpcCni

COREDNS_REPLICAS = 2  # the EKS CoreDNS add-on's default
EXTERNAL_DNS_REPLICAS = 1  # the external-dns chart runs a single replica
FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class PodCount:
    name: str
    count: int


@dataclass(frozen=True)
class CniIssue:
    """A node-group or CNI setting that cannot work (error) or may surprise (warning)."""

    path: FieldPath
    message: str
    severity: Literal["error", "warning"] = "error"

    @property
    def field(self) -> str:
        return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in self.path).lstrip(".")


@dataclass(frozen=True)
class NodeGroupFit:
    """Pod slots of one node group under one CNI configuration."""

    index: int
    group: NodeGroup
    limits: InstanceLimits | None
    recommended: MaxPods | None
    """The formula's maxPods for this mode; None when the instance type is unknown."""
    kubelet_max_pods: int
    host_network_pods: int

    @property
    def name(self) -> str:
        return self.group.name

    @property
    def nodes(self) -> int:
        return self.group.desired_size

    @property
    def max_pods_overridden(self) -> bool:
        return self.group.max_pods is not None

    @property
    def pod_ips_per_node(self) -> int | None:
        return None if self.recommended is None else self.recommended.pod_ips

    @property
    def kubelet_slots_per_node(self) -> int:
        return max(self.kubelet_max_pods - self.host_network_pods, 0)

    @property
    def slots_per_node(self) -> int:
        """Pods needing a pod address that one node can run."""
        ips = self.pod_ips_per_node
        return self.kubelet_slots_per_node if ips is None else min(self.kubelet_slots_per_node, ips)

    @property
    def limited_by(self) -> str:
        ips, kubelet = self.pod_ips_per_node, self.kubelet_slots_per_node
        if ips is None or kubelet < ips:
            return "kubelet maxPods"
        return "pod addresses" if ips < kubelet else "kubelet maxPods and pod addresses"

    @property
    def slots(self) -> int:
        return self.slots_per_node * self.nodes


def host_network_daemonsets(profile: Profile) -> tuple[str, ...]:
    """Per-node pods on the host network: they count against maxPods but take no pod address."""
    identities = (profile.load_balancer_controller.identity, profile.external_dns.identity)
    agent = ("eks-pod-identity-agent",) if any(isinstance(i, PodIdentity) for i in identities) else ()
    return ("aws-node", "kube-proxy", *agent)


def system_pods(profile: Profile) -> tuple[PodCount, ...]:
    """Cluster add-on and controller pods that take a pod address like any app pod."""
    return (
        PodCount("coredns", COREDNS_REPLICAS),
        PodCount("aws-load-balancer-controller", profile.load_balancer_controller.replicas),
        PodCount("external-dns", EXTERNAL_DNS_REPLICAS),
    )


def app_pods(profile: Profile) -> tuple[PodCount, ...]:
    return tuple(PodCount(app.name, app.replicas or 0) for app in profile.resolved_apps())


def recommended_max_pods(limits: InstanceLimits, vpc_cni: VpcCni) -> MaxPods:
    return max_pods(
        limits,
        prefix_delegation=vpc_cni.prefix_delegation,
        custom_networking=vpc_cni.custom_networking is not None,
        max_eni=vpc_cni.max_eni,
    )


def fit_node_group(
    index: int, group: NodeGroup, vpc_cni: VpcCni, limits: InstanceLimits | None, host_network_pods: int
) -> NodeGroupFit | None:
    """Slots of ``group``; None when neither the instance type nor ``maxPods`` is known."""
    recommended = None if limits is None else recommended_max_pods(limits, vpc_cni)
    kubelet = group.max_pods if group.max_pods is not None else (recommended.value if recommended else None)
    if kubelet is None:
        return None
    return NodeGroupFit(index, group, limits, recommended, kubelet, host_network_pods)


def node_group_fits(profile: Profile, instances: InstanceData | None = None) -> tuple[NodeGroupFit, ...]:
    """Every node group's slots; unknown types without maxPods are left out (``cni_issues`` reports them)."""
    host = len(host_network_daemonsets(profile))
    fits = (
        fit_node_group(i, group, profile.vpc_cni, find_instance(group.instance_type, instances), host)
        for i, group in enumerate(profile.node_groups)
    )
    return tuple(fit for fit in fits if fit is not None)


def cni_issues(profile: Profile, instances: InstanceData | None = None) -> list[CniIssue]:
    """Node-group and CNI settings that contradict each other, in profile order."""
    return [*_node_group_issues(profile, instances), *_custom_networking_issues(profile)]


def _node_group_issues(profile: Profile, instances: InstanceData | None) -> Iterator[CniIssue]:
    vpc_cni = profile.vpc_cni
    host_network = len(host_network_daemonsets(profile))
    for index, group in enumerate(profile.node_groups):
        at: FieldPath = ("nodeGroups", index)
        limits = find_instance(group.instance_type, instances)
        if limits is None:
            if group.max_pods is None:
                message = unknown_instance_message(group.instance_type, with_file=instances is not None)
                yield CniIssue((*at, "instanceType"), f"{message}, or set maxPods")
            continue
        problem = prefix_delegation_problem(limits) if vpc_cni.prefix_delegation else None
        if problem:
            yield CniIssue((*at, "instanceType"), f"vpcCni.mode is prefix-delegation, but {problem}")
        recommended = recommended_max_pods(limits, vpc_cni)
        if recommended.pod_ips == 0:
            yield CniIssue(
                (*at, "instanceType"),
                f"{group.instance_type} has no ENI left for pods with vpcCni.maxEni and customNetworking",
            )
        elif group.max_pods is not None and recommended.cap is not None and group.max_pods > recommended.cap:
            # templates/al2/runtime/max-pods-calculator.sh (amazon-eks-ami 0ab8428): the EKS cap by vCPUs.
            yield CniIssue(
                (*at, "maxPods"),
                f"maxPods {group.max_pods} is above {recommended.cap}, the EKS cap for {group.instance_type} "
                f"(110 pods up to 30 vCPUs, 250 above): managed nodes run at most that; set maxPods to "
                f"{recommended.cap} or less",
            )
        elif group.max_pods is not None and group.max_pods > recommended.pod_ips + host_network:
            yield CniIssue(
                (*at, "maxPods"),
                f"maxPods {group.max_pods} is more than {group.instance_type} can address in {vpc_cni.mode} "
                f"mode ({recommended.pod_ips} pods + {host_network} on the host network): the rest stay "
                "ContainerCreating",
                "warning",
            )


def _custom_networking_issues(profile: Profile) -> Iterator[CniIssue]:
    custom = profile.vpc_cni.custom_networking
    if custom is None:
        return
    at: FieldPath = ("vpcCni", "customNetworking", "subnets")
    region = profile.cluster.region
    for zone in custom.subnets:
        if not zone.startswith(region):
            yield CniIssue((*at, zone), f"{zone} is not an availability zone of cluster.region {region}")
    missing = [zone for zone in profile.cluster.availability_zones if zone not in custom.subnets]
    if missing:
        yield CniIssue(
            at,
            f"no pod subnet for {', '.join(missing)} (cluster.availabilityZones): "
            "nodes there find no ENIConfig and their pods get no address",
        )
