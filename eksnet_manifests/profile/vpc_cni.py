"""Amazon VPC CNI settings: how pods get VPC addresses and how many the node keeps warm.

Each field maps to one aws-node environment variable (README of amazon-vpc-cni-k8s v1.23.0,
"CNI Configuration Variables"). Settings that cancel each other out are rejected here, naming both
fields; settings that are valid but risky are listed by ``VpcCni.warnings()``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.cluster import Cidr
from eksnet_manifests.profile.names import (
    AvailabilityZone,
    Count,
    PositiveCount,
    SecurityGroupId,
    SubnetId,
)

Mode = Literal["secondary-ip", "prefix-delegation"]

# aws-node variables documented in the README's "CNI Configuration Variables" (v1.23.0).
AWS_NODE_ENV_NAMES = frozenset(
    {
        "ADDITIONAL_ENI_TAGS", "ANNOTATE_POD_IP", "AWS_EC2_ENDPOINT", "AWS_EXTERNAL_SERVICE_CIDRS",
        "AWS_MANAGE_ENIS_NON_SCHEDULABLE", "AWS_VPC_CNI_NODE_PORT_SUPPORT", "AWS_VPC_ENI_MTU",
        "AWS_VPC_K8S_CNI_CONFIGURE_RPFILTER", "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG",
        "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS", "AWS_VPC_K8S_CNI_EXTERNALSNAT", "AWS_VPC_K8S_CNI_LOGLEVEL",
        "AWS_VPC_K8S_CNI_LOG_FILE", "AWS_VPC_K8S_CNI_RANDOMIZESNAT", "AWS_VPC_K8S_CNI_VETHPREFIX",
        "AWS_VPC_K8S_PLUGIN_LOG_FILE", "AWS_VPC_K8S_PLUGIN_LOG_LEVEL", "CLUSTER_ENDPOINT", "CLUSTER_NAME",
        "DISABLE_INTROSPECTION", "DISABLE_LEAKED_ENI_CLEANUP", "DISABLE_METRICS",
        "DISABLE_NETWORK_RESOURCE_PROVISIONING", "DISABLE_POD_V6", "DISABLE_TCP_EARLY_DEMUX",
        "ENABLE_BANDWIDTH_PLUGIN", "ENABLE_IMDS_ONLY_MODE", "ENABLE_IPv4", "ENABLE_IPv6", "ENABLE_MULTI_NIC",
        "ENABLE_NFTABLES", "ENABLE_POD_ENI", "ENABLE_PREFIX_DELEGATION", "ENABLE_SUBNET_DISCOVERY",
        "ENABLE_V4_EGRESS", "ENABLE_V6_EGRESS", "ENI_CONFIG_ANNOTATION_DEF", "ENI_CONFIG_LABEL_DEF",
        "HOST_CNI_BIN_PATH", "HOST_CNI_CONFDIR_PATH", "INTROSPECTION_BIND_ADDRESS", "IP_COOLDOWN_PERIOD",
        "MAX_ENI", "MINIMUM_IP_TARGET", "NETWORK_POLICY_ENFORCING_MODE", "POD_MTU",
        "POD_SECURITY_GROUP_ENFORCING_MODE", "WARM_ENI_TARGET", "WARM_IP_TARGET", "WARM_PREFIX_TARGET",
    }
)  # fmt: skip
# Variables a typed field sets; ``env`` must not set them a second way.
ENV_OWNED_BY_FIELD = {
    "ENABLE_PREFIX_DELEGATION": "mode",
    "WARM_ENI_TARGET": "warmEniTarget",
    "WARM_IP_TARGET": "warmIpTarget",
    "MINIMUM_IP_TARGET": "minimumIpTarget",
    "WARM_PREFIX_TARGET": "warmPrefixTarget",
    "MAX_ENI": "maxEni",
    "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG": "customNetworking",
    "ENI_CONFIG_LABEL_DEF": "customNetworking",
    "AWS_VPC_K8S_CNI_EXTERNALSNAT": "externalSnat",
    "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS": "excludeSnatCidrs",
}
# Documented, but setting them on aws-node does nothing.
ENV_WITHOUT_EFFECT = {
    "DISABLE_TCP_EARLY_DEMUX": "it is read by the aws-vpc-cni-init container, not aws-node",
    "AWS_VPC_K8S_CNI_CONFIGURE_RPFILTER": "it is deprecated since v1.12.1 and ignored",
    "ENABLE_NFTABLES": "it is deprecated since v1.13.2 and ignored",
}


def _env_text(value: object) -> object:
    """aws-node reads strings only: YAML booleans and integers become their lowercase text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return value


def _env_name(name: str) -> str:
    if name in ENV_OWNED_BY_FIELD:
        raise ValueError(f"{name} is set by vpcCni.{ENV_OWNED_BY_FIELD[name]}: use that field, not env")
    if name in ENV_WITHOUT_EFFECT:
        raise ValueError(f"{name} has no effect on aws-node: {ENV_WITHOUT_EFFECT[name]}")
    if name not in AWS_NODE_ENV_NAMES:
        raise ValueError(f"{name} is not an aws-node variable documented for VPC CNI v1.23.0")
    return name


EnvName = Annotated[str, AfterValidator(_env_name)]
EnvValue = Annotated[str, BeforeValidator(_env_text)]


class PodSubnet(StrictModel):
    id: SubnetId
    """Subnet ID (``subnet-…``) pods in this availability zone take addresses from."""
    security_groups: tuple[SecurityGroupId, ...] = ()
    """Security group IDs for pod ENIs; empty uses the node's primary ENI groups."""
    cidr: Cidr | None = None
    """The subnet's CIDR, used only by ``eksnet plan`` to compare address use with subnet size."""


class CustomNetworking(StrictModel):
    subnets: dict[AvailabilityZone, PodSubnet] = Field(min_length=1)
    """Availability zone -> pod subnet: one ENIConfig per zone, named after it, picked by zone label."""

    @field_validator("subnets")
    @classmethod
    def _zones(cls, subnets: dict[str, PodSubnet]) -> dict[str, PodSubnet]:
        return dict(sorted(subnets.items()))


class VpcCni(StrictModel):
    mode: Mode = "secondary-ip"
    """``secondary-ip`` (one VPC address per pod) or ``prefix-delegation`` (/28 prefixes; Nitro only)."""
    warm_eni_target: Count | None = None
    """WARM_ENI_TARGET: spare ENIs (with all their addresses) kept attached; upstream default 1."""
    warm_ip_target: PositiveCount | None = None
    """WARM_IP_TARGET: spare pod addresses kept; replaces warmEniTarget and warmPrefixTarget."""
    minimum_ip_target: PositiveCount | None = None
    """MINIMUM_IP_TARGET: pod addresses allocated from node start; set warmIpTarget with it."""
    warm_prefix_target: PositiveCount | None = None
    """WARM_PREFIX_TARGET: spare /28 prefixes (prefix delegation only); the add-on's default is 1."""
    max_eni: PositiveCount | None = None
    """MAX_ENI: most ENIs attached per node (lowers max pods); unset uses the instance limit."""
    custom_networking: CustomNetworking | None = None
    """Pod addresses from separate per-zone subnets (ENIConfig); the primary ENI then carries no pods."""
    external_snat: StrictBool | None = None
    """AWS_VPC_K8S_CNI_EXTERNALSNAT: true leaves SNAT of off-VPC traffic to a NAT gateway."""
    exclude_snat_cidrs: tuple[Cidr, ...] = ()
    """AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: destinations reached without SNAT (externalSnat false only)."""
    network_policy: StrictBool | None = None
    """enableNetworkPolicy: let the CNI's node agent enforce Kubernetes NetworkPolicies."""
    env: dict[EnvName, EnvValue] = Field(default_factory=dict)
    """Other aws-node variables by upstream name (e.g. AWS_VPC_ENI_MTU); unknown names are errors."""

    @model_validator(mode="after")
    def _contradictions(self) -> VpcCni:
        ip_targets = self._set_fields(
            ("warmIpTarget", self.warm_ip_target), ("minimumIpTarget", self.minimum_ip_target)
        )
        if self.warm_eni_target is not None and ip_targets:
            raise ValueError(
                f"warmEniTarget is ignored when {ip_targets} is set (aws-node then sizes the pool by IPs): "
                f"remove warmEniTarget or {ip_targets}"
            )
        if self.warm_prefix_target is not None and self.mode != "prefix-delegation":
            raise ValueError(f"warmPrefixTarget needs mode prefix-delegation, but mode is {self.mode}")
        if self.warm_prefix_target is not None and ip_targets:
            raise ValueError(
                f"warmPrefixTarget is overridden when {ip_targets} is set: "
                f"remove warmPrefixTarget or {ip_targets}"
            )
        if self.exclude_snat_cidrs and self.external_snat:
            raise ValueError(
                "excludeSnatCidrs only applies when externalSnat is false, but externalSnat is true"
            )
        if self.env.get("ENABLE_IPv6") == "true" and self.mode != "prefix-delegation":
            raise ValueError(f"env ENABLE_IPv6 true needs mode prefix-delegation, but mode is {self.mode}")
        return self

    @staticmethod
    def _set_fields(*fields: tuple[str, int | None]) -> str:
        return " and ".join(name for name, value in fields if value is not None)

    @property
    def prefix_delegation(self) -> bool:
        return self.mode == "prefix-delegation"

    def warnings(self) -> list[str]:
        """Valid settings that usually surprise; each line names the field."""
        found: list[str] = []
        if self.minimum_ip_target is not None and self.warm_ip_target is None:
            found.append(
                "vpcCni.minimumIpTarget without warmIpTarget: aws-node treats warmIpTarget as 0 and stops "
                "adding addresses once minimumIpTarget is reached; set warmIpTarget too"
            )
        if self.warm_ip_target is not None and self.minimum_ip_target is None:
            found.append(
                "vpcCni.warmIpTarget without minimumIpTarget: every pod start and stop calls the EC2 API, "
                "which throttles on busy clusters; set minimumIpTarget to the pods a node usually runs"
            )
        if self.warm_eni_target is not None and self.prefix_delegation:
            found.append(
                "vpcCni.warmEniTarget in prefix-delegation mode: the warm pool is sized by warmPrefixTarget "
                "(default 1) or the IP targets; use those instead"
            )
        return found
