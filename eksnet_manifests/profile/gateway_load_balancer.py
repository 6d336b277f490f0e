"""The load balancer of a Gateway: LBC's LoadBalancerConfiguration, typed (its access logs, subnets,
security groups and tags take the same values as the NLB and ALB exposures').

The fields map onto the gateway.k8s.aws CRD (LBC docs ``guide/gateway/loadbalancerconfig.md``); access
logs, deletion protection and the idle timeout become ``loadBalancerAttributes`` entries. Which fields an
ALB or an NLB takes, and from which LBC release, is checked in ``profile.gateway_problems``.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, Strict, model_validator

from eksnet_manifests.errors import shown
from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.load_balancer import AccessLogs
from eksnet_manifests.profile.names import (
    Cidr,
    LoadBalancerName,
    PrefixListId,
    SecurityGroupRef,
    SubnetRef,
    TagKey,
    TagValue,
    identifier,
)
from eksnet_manifests.profile.target_group import AttributeKey


def _ip_address(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise ValueError(f"{shown(value)} is not an IP address like 10.0.0.10 or 2001:db8::10") from None


IpAddress = Annotated[str, AfterValidator(_ip_address)]
AwsResourceName = identifier(r"[A-Za-z0-9][A-Za-z0-9_.:/+=,@-]*", "an AWS name or ARN", max_length=2048)
EipAllocationId = identifier(
    r"eipalloc-[0-9a-f]{8,17}", "an Elastic IP allocation ID like eipalloc-0123456789abcdef0"
)


class Subnet(StrictModel):
    """One subnet of the load balancer, with the addresses it takes there."""

    identifier: SubnetRef
    """Subnet ID or Name tag."""
    eip_allocation: EipAllocationId | None = None
    """NLB: Elastic IP allocation ID for an internet-facing NLB in this subnet."""
    private_ipv4_allocation: IpAddress | None = None
    """NLB: private IPv4 address of an internal NLB in this subnet."""
    ipv6_allocation: IpAddress | None = None
    """NLB: IPv6 address in this subnet (dual-stack)."""
    source_nat_ipv6_prefix: str | None = None
    """NLB: IPv6 /80 prefix for source NAT, or ``auto_assigned``."""


class LoadBalancerSettings(StrictModel):
    """Load balancer settings; unset fields keep LBC's and ELB's defaults."""

    name: LoadBalancerName | None = None
    """Load balancer name (``loadBalancerName``); unset lets LBC generate one."""
    ip_address_type: Literal["ipv4", "dualstack", "dualstack-without-public-ipv4"] | None = None
    """Address family; ``dualstack-without-public-ipv4`` is ALB only."""
    subnets: tuple[Subnet, ...] = ()
    """Subnets by ID or name (``loadBalancerSubnets``); unset: LBC's subnet discovery by tags."""
    subnet_selector: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Subnets whose tag (key) has one of the values (``loadBalancerSubnetsSelector``)."""
    security_groups: tuple[SecurityGroupRef, ...] = ()
    """Security groups instead of the one LBC creates."""
    manage_backend_security_group_rules: bool | None = None
    """With ``securityGroups``: let LBC still open the node/pod security groups to the load balancer."""
    security_group_prefixes: tuple[PrefixListId, ...] = ()
    """Managed prefix lists allowed in (``securityGroupPrefixes``)."""
    source_ranges: tuple[Cidr, ...] = ()
    """CIDRs allowed in (``sourceRanges``); unset allows everyone (0.0.0.0/0, and ::/0 when dual-stack)."""
    disable_security_group: bool | None = None
    """NLB: no security group at all (LBC v2.15.0+)."""
    enable_icmp: bool | None = None
    """NLB: allow ICMP for path MTU discovery (``enableICMP``)."""
    enforce_security_group_inbound_rules_on_private_link_traffic: Literal["on", "off"] | None = None
    """NLB: apply the security group to PrivateLink traffic."""
    customer_owned_ipv4_pool: str | None = None
    """ALB on Outposts: customer-owned IPv4 pool."""
    ipv4_ipam_pool_id: str | None = None
    """ALB: IPAM pool for its IPv4 addresses (``ipv4IPAMPoolId``)."""
    access_logs: AccessLogs | None = None
    """Access logs to S3 (``access_logs.s3.*`` attributes)."""
    deletion_protection: bool | None = None
    """Refuse to delete the load balancer (``deletion_protection.enabled``)."""
    idle_timeout: Annotated[int, Strict(), Field(ge=1, le=4000)] | None = None
    """ALB: idle connection timeout in seconds (``idle_timeout.timeout_seconds``; ELB default 60)."""
    cross_zone: bool | None = None
    """NLB: cross-zone load balancing (``load_balancing.cross_zone.enabled``; off by default on NLBs)."""
    attributes: dict[AttributeKey, str] = Field(default_factory=dict)
    """Other load balancer attributes (``loadBalancerAttributes``), by ELB key."""
    tags: dict[TagKey, TagValue] = Field(default_factory=dict)
    """AWS tags on the load balancer."""
    waf_web_acl: AwsResourceName | None = None
    """ALB: WAFv2 web ACL ARN or name (``wafV2.webACL``; LBC v2.14.0+)."""
    shield_advanced: bool | None = None
    """ALB: enrol in Shield Advanced (``shieldConfiguration.enabled``; LBC v2.14.0+)."""
    minimum_capacity_units: Annotated[int, Strict(), Field(ge=1, le=2**31 - 1)] | None = None
    """Reserved load balancer capacity units (``minimumLoadBalancerCapacity``)."""

    @model_validator(mode="after")
    def _named_attributes_once(self) -> LoadBalancerSettings:
        owned = ("access_logs.", "deletion_protection.", "idle_timeout.", "load_balancing.cross_zone.")
        for key in self.attributes:
            if key.startswith(owned):
                raise ValueError(
                    f"set {key} with accessLogs, deletionProtection, idleTimeout or crossZone, not attributes"
                )
        return self


class MutualTls(StrictModel):
    """ALB HTTPS: client certificates (``mutualAuthentication``)."""

    mode: Literal["off", "passthrough", "verify"]
    """``verify`` checks client certificates against a trust store; ``passthrough`` forwards them."""
    trust_store: AwsResourceName | None = None
    """Trust store name or ARN (verify only)."""
    ignore_client_certificate_expiry: bool | None = None
    """Accept expired client certificates (verify only)."""
    advertise_trust_store_ca_names: Literal["on", "off"] | None = None
    """Send the trust store's CA names to clients (verify only)."""

    @model_validator(mode="after")
    def _trust_store_with_verify(self) -> MutualTls:
        if (self.mode == "verify") != (self.trust_store is not None):
            raise ValueError("trustStore is required with mode verify and only then")
        if self.mode != "verify" and (
            self.ignore_client_certificate_expiry is not None
            or self.advertise_trust_store_ca_names is not None
        ):
            raise ValueError("ignoreClientCertificateExpiry and advertiseTrustStoreCaNames need mode verify")
        return self
