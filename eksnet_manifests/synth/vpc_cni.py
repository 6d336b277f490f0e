"""VPC CNI artifacts: add-on configuration values, chart values, ENIConfigs, node maxPods, capacity.md.

The node's kubelet maxPods must match the CNI mode: prefix delegation gives a t3.medium 240 pod
addresses, but a node that keeps the secondary-IP value 17 still runs only 15 pods. So every node
group gets an AL2023 nodeadm NodeConfig (launch-template user data) and an eksctl maxPodsPerNode.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from eksnet_manifests.cni.fit import NodeGroupFit, cni_issues, node_group_fits
from eksnet_manifests.cni.max_pods import InstanceLimits
from eksnet_manifests.cni.plan import plan_capacity
from eksnet_manifests.cni.plan_report import render_markdown
from eksnet_manifests.errors import BuildError, Location
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.profile.vpc_cni import VpcCni
from eksnet_manifests.synth.artifact import Artifact
from eksnet_manifests.synth.context import MANAGED_BY

ADDON_VALUES_PATH = "vpc-cni/configuration-values.json"
CHART_VALUES_PATH = "vpc-cni/aws-vpc-cni.values.yaml"
ENICONFIGS_PATH = "vpc-cni/eniconfigs.yaml"
EKSCTL_NODEGROUPS_PATH = "nodes/eksctl-nodegroups.yaml"
CAPACITY_PATH = "capacity.md"
CHART = "eks/aws-vpc-cni 1.23.0 (VPC CNI v1.23.0)"
ZONE_LABEL = "topology.kubernetes.io/zone"  # nodes pick the ENIConfig named after their zone
MIME_BOUNDARY = "EKSNET-NODEADM"  # fixed, so the user data is byte-for-byte reproducible


def user_data_path(group: str) -> str:
    return f"nodes/{group}.user-data.mime"


def build_vpc_cni_artifacts(
    profile: Profile, instances: Mapping[str, InstanceLimits] | None = None
) -> list[Artifact]:
    """Every VPC CNI and node artifact of ``profile``; instance facts from ``instances``, else built in."""
    errors = [issue for issue in cni_issues(profile, instances) if issue.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise BuildError(errors[0].message + more, Location(field=errors[0].field))
    values = cni_values(profile)
    fits = node_group_fits(profile, instances)
    artifacts = [
        Artifact(ADDON_VALUES_PATH, values),
        Artifact(CHART_VALUES_PATH, values, _value_comments(values), _chart_header()),
        *(_user_data(profile, fit) for fit in fits),
        Artifact(
            EKSCTL_NODEGROUPS_PATH, _eksctl_config(profile, fits, values), _EKSCTL_COMMENTS, _EKSCTL_HEADER
        ),
        Artifact(CAPACITY_PATH, render_markdown(plan_capacity(profile, instances))),
    ]
    if profile.vpc_cni.custom_networking is not None:
        artifacts.append(Artifact(ENICONFIGS_PATH, eni_configs(profile.vpc_cni)))
    return sorted(artifacts, key=lambda artifact: artifact.path)


def _text(flag: bool) -> str:
    return "true" if flag else "false"


def aws_node_env(vpc_cni: VpcCni) -> dict[str, str]:
    """aws-node environment, string values only (the add-on schema and the chart both want strings)."""
    ip_targets = vpc_cni.warm_ip_target is not None or vpc_cni.minimum_ip_target is not None
    env: dict[str, int | str | None] = {
        "ENABLE_PREFIX_DELEGATION": _text(vpc_cni.prefix_delegation),
        "WARM_IP_TARGET": vpc_cni.warm_ip_target,
        "MINIMUM_IP_TARGET": vpc_cni.minimum_ip_target,
        "MAX_ENI": vpc_cni.max_eni,
        "WARM_ENI_TARGET": vpc_cni.warm_eni_target,
    }
    # Written out even at their defaults, so the pool size the capacity plan assumes is the one deployed.
    if not ip_targets and vpc_cni.prefix_delegation:
        env["WARM_PREFIX_TARGET"] = vpc_cni.warm_prefix_target or 1
    elif not ip_targets:
        env["WARM_ENI_TARGET"] = 1 if vpc_cni.warm_eni_target is None else vpc_cni.warm_eni_target
    if vpc_cni.custom_networking is not None:
        env |= {"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG": "true", "ENI_CONFIG_LABEL_DEF": ZONE_LABEL}
    if vpc_cni.external_snat is not None:
        env["AWS_VPC_K8S_CNI_EXTERNALSNAT"] = _text(vpc_cni.external_snat)
    if vpc_cni.exclude_snat_cidrs:
        env["AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS"] = ",".join(vpc_cni.exclude_snat_cidrs)
    env |= vpc_cni.env
    return {name: str(value) for name, value in sorted(env.items()) if value is not None}


def cni_values(profile: Profile) -> dict[str, Any]:
    """The EKS add-on configuration values; the aws-vpc-cni chart takes the same keys."""
    vpc_cni = profile.vpc_cni
    values: dict[str, Any] = {"env": aws_node_env(vpc_cni)}
    # ENIConfigs are not created through the add-on or chart (eniConfig.create): vpc-cni/eniconfigs.yaml
    # is in the kustomization, and two owners of one object would undo each other's changes.
    if vpc_cni.network_policy is not None:
        values["enableNetworkPolicy"] = _text(vpc_cni.network_policy)
    return values


def eni_configs(vpc_cni: VpcCni) -> list[dict[str, Any]]:
    """One cluster-scoped ENIConfig per zone, named after the zone."""
    assert vpc_cni.custom_networking is not None
    return [
        {
            "apiVersion": "crd.k8s.amazonaws.com/v1alpha1",
            "kind": "ENIConfig",
            "metadata": {"name": zone, "labels": dict(MANAGED_BY)},
            "spec": {
                **({"securityGroups": list(subnet.security_groups)} if subnet.security_groups else {}),
                "subnet": subnet.id,
            },
        }
        for zone, subnet in sorted(vpc_cni.custom_networking.subnets.items())
    ]


_ENV_COMMENTS = {
    "ENABLE_PREFIX_DELEGATION": "from vpcCni.mode; nodes also need the matching kubelet maxPods (nodes/)",
    "WARM_ENI_TARGET": "spare ENIs, each with all its addresses, kept attached per node",
    "WARM_IP_TARGET": "spare pod addresses per node; aws-node then ignores WARM_ENI_TARGET",
    "MINIMUM_IP_TARGET": "pod addresses each node allocates from the start",
    "WARM_PREFIX_TARGET": "spare /28 prefixes (16 addresses each) per node",
    "MAX_ENI": "ENI ceiling per node; lowers max pods",
    "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG": "pod ENIs use the node's ENIConfig subnet and security groups",
    "ENI_CONFIG_LABEL_DEF": "each node uses the ENIConfig named after its zone label",
    "AWS_VPC_K8S_CNI_EXTERNALSNAT": "true: off-VPC traffic keeps pod addresses and a NAT gateway translates",
    "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS": "destinations pods reach with their own address",
}


def _value_comments(values: dict[str, Any]) -> dict[str, str]:
    """One-line comments for the keys present in ``values``."""
    comments = {f"env.{name}": _ENV_COMMENTS.get(name, "from vpcCni.env") for name in values["env"]}
    if "enableNetworkPolicy" in values:
        comments["enableNetworkPolicy"] = "the node agent enforces NetworkPolicies"
    return comments


def _chart_header() -> str:
    return (
        f"Values for {CHART}:\n"
        "helm upgrade --install aws-vpc-cni eks/aws-vpc-cni -n kube-system -f aws-vpc-cni.values.yaml\n"
        "For the EKS add-on use configuration-values.json (same keys):\n"
        "aws eks update-addon --cluster-name <cluster> --addon-name vpc-cni "
        "--configuration-values file://configuration-values.json"
    )


_EKSCTL_HEADER = (
    "eksctl ClusterConfig fragment: the node groups with the kubelet maxPods vpcCni.mode needs,\n"
    "and the vpc-cni add-on with the configuration values of vpc-cni/configuration-values.json.\n"
    "eksctl create nodegroup --config-file nodes/eksctl-nodegroups.yaml\n"
    "eksctl update addon --config-file nodes/eksctl-nodegroups.yaml"
)


_EKSCTL_COMMENTS = {
    "managedNodeGroups": "maxPodsPerNode: kubelet maxPods by the max-pods formula, or nodeGroups[].maxPods",
    "addons": "configurationValues: vpc-cni/configuration-values.json as one JSON string",
}


def node_config(max_pods: int) -> dict[str, Any]:
    """The AL2023 nodeadm NodeConfig that sets kubelet maxPods."""
    return {
        "apiVersion": "node.eks.aws/v1alpha1",
        "kind": "NodeConfig",
        "spec": {"kubelet": {"config": {"maxPods": max_pods}}},
    }


def _user_data(profile: Profile, fit: NodeGroupFit) -> Artifact:
    """MIME multipart user data with one application/node.eks.aws part; EKS adds the cluster details."""
    if fit.max_pods_overridden or fit.recommended is None:
        source = f"nodeGroups[{fit.index}].maxPods"
    else:
        source = f"vpcCni.mode {profile.vpc_cni.mode}: {fit.recommended.formula()}"
    config = node_config(fit.kubelet_max_pods)
    text = (
        "MIME-Version: 1.0\n"
        f'Content-Type: multipart/mixed; boundary="{MIME_BOUNDARY}"\n\n'
        f"User data for node group {fit.name} (AL2023 launch template). nodeadm merges this NodeConfig\n"
        "with the one EKS writes for managed node groups.\n\n"
        f"--{MIME_BOUNDARY}\n"
        "Content-Type: application/node.eks.aws\n\n"
        f"# kubelet maxPods for {fit.group.instance_type} ({source})\n"
        "---\n"
        f"apiVersion: {config['apiVersion']}\n"
        f"kind: {config['kind']}\n"
        "spec:\n"
        "  kubelet:\n"
        "    config:\n"
        f"      maxPods: {fit.kubelet_max_pods}\n\n"
        f"--{MIME_BOUNDARY}--\n"
    )
    return Artifact(user_data_path(fit.name), text)


def _eksctl_config(
    profile: Profile, fits: tuple[NodeGroupFit, ...], values: dict[str, Any]
) -> dict[str, Any]:
    cluster = profile.cluster
    groups = []
    for fit in fits:
        group = fit.group
        entry: dict[str, Any] = {"name": group.name, "instanceType": group.instance_type}
        entry |= {"desiredCapacity": group.desired_size, "minSize": group.min_size, "maxSize": group.max_size}
        entry |= {"labels": dict(group.labels) or None, "maxPodsPerNode": fit.kubelet_max_pods}
        groups.append({key: value for key, value in entry.items() if value is not None})
    return {
        "apiVersion": "eksctl.io/v1alpha5",
        "kind": "ClusterConfig",
        "metadata": {"name": cluster.name, "region": cluster.region, "version": cluster.kubernetes_version},
        "managedNodeGroups": groups,
        "addons": [{"name": "vpc-cni", "configurationValues": json.dumps(values, sort_keys=True)}],
    }
