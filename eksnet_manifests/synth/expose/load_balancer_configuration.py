"""LoadBalancerConfiguration specs from the profile's load balancer and listener settings.

Listener settings are keyed by ``PROTOCOL:port`` as the load balancer listener is: a TCP and a UDP
listener on one port are one ``TCP_UDP`` listener on the NLB (LBC v2.17.0+,
``pkg/gateway/model/model_build_listener.go`` mapLoadBalancerListenerConfigsByPort).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eksnet_manifests.profile.base import dump
from eksnet_manifests.profile.gateway import Listener, merged_protocol
from eksnet_manifests.profile.gateway_load_balancer import LoadBalancerSettings

_PLAIN_FIELDS = (
    ("name", "loadBalancerName"),
    ("ip_address_type", "ipAddressType"),
    ("manage_backend_security_group_rules", "manageBackendSecurityGroupRules"),
    ("disable_security_group", "disableSecurityGroup"),
    ("enable_icmp", "enableICMP"),
    (
        "enforce_security_group_inbound_rules_on_private_link_traffic",
        "enforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
    ),
    ("customer_owned_ipv4_pool", "customerOwnedIpv4Pool"),
    ("ipv4_ipam_pool_id", "ipv4IPAMPoolId"),
)  # fmt: skip
_LIST_FIELDS = (
    ("security_groups", "securityGroups"),
    ("security_group_prefixes", "securityGroupPrefixes"),
    ("source_ranges", "sourceRanges"),
)
_SUBNET_KEYS = {
    "privateIpv4Allocation": "privateIPv4Allocation",
    "sourceNatIpv6Prefix": "sourceNatIPv6Prefix",
}


def load_balancer_spec(settings: LoadBalancerSettings) -> dict[str, Any]:
    """The LoadBalancerConfiguration fields of ``settings`` (no scheme, no listener configurations)."""
    spec: dict[str, Any] = {}
    for field, key in _PLAIN_FIELDS:
        value = getattr(settings, field)
        if value is not None:
            spec[key] = value
    for field, key in _LIST_FIELDS:
        if getattr(settings, field):
            spec[key] = list(getattr(settings, field))
    if settings.subnets:
        spec["loadBalancerSubnets"] = [
            {_SUBNET_KEYS.get(key, key): value for key, value in dump(subnet).items()}
            for subnet in settings.subnets
        ]
    if settings.subnet_selector:
        spec["loadBalancerSubnetsSelector"] = {
            key: list(values) for key, values in sorted(settings.subnet_selector.items())
        }
    attributes = load_balancer_attributes(settings)
    if attributes:
        spec["loadBalancerAttributes"] = attributes
    if settings.tags:
        spec["tags"] = dict(sorted(settings.tags.items()))
    if settings.waf_web_acl is not None:
        spec["wafV2"] = {"webACL": settings.waf_web_acl}
    if settings.shield_advanced is not None:
        spec["shieldConfiguration"] = {"enabled": settings.shield_advanced}
    if settings.minimum_capacity_units is not None:
        spec["minimumLoadBalancerCapacity"] = {"capacityUnits": settings.minimum_capacity_units}
    return spec


def load_balancer_attributes(settings: LoadBalancerSettings) -> list[dict[str, str]]:
    attributes = dict(settings.attributes)
    if settings.access_logs is not None:
        logs = settings.access_logs
        attributes["access_logs.s3.enabled"] = "true" if logs.enabled else "false"
        if logs.bucket is not None:
            attributes["access_logs.s3.bucket"] = logs.bucket
        if logs.prefix:
            attributes["access_logs.s3.prefix"] = logs.prefix
    if settings.deletion_protection is not None:
        attributes["deletion_protection.enabled"] = str(settings.deletion_protection).lower()
    if settings.idle_timeout is not None:
        attributes["idle_timeout.timeout_seconds"] = str(settings.idle_timeout)
    if settings.cross_zone is not None:
        attributes["load_balancing.cross_zone.enabled"] = str(settings.cross_zone).lower()
    return [{"key": key, "value": value} for key, value in sorted(attributes.items())]


def protocol_port(listener: Listener, listeners: Sequence[Listener]) -> str:
    """``PROTOCOL:port`` of the load balancer listener ``listener`` becomes."""
    return f"{merged_protocol(listener, listeners)}:{listener.port}"


def listener_configurations(listeners: Sequence[Listener]) -> list[dict[str, Any]]:
    """One ``listenerConfigurations`` entry per listener with settings, sorted by protocol and port."""
    entries = []
    for listener in listeners:
        if not listener.has_settings():
            continue
        entry: dict[str, Any] = {"protocolPort": protocol_port(listener, listeners)}
        if listener.certificate_arns:
            default, *others = listener.certificate_arns
            entry["defaultCertificate"] = default
            if others:
                entry["certificates"] = others
        for field, key in (
            ("ssl_policy", "sslPolicy"),
            ("alpn_policy", "alpnPolicy"),
            ("quic", "quicEnabled"),
            ("target_group_stickiness", "targetGroupStickiness"),
        ):
            value = getattr(listener, field)
            if value is not None:
                entry[key] = value
        if listener.mutual_tls is not None:
            entry["mutualAuthentication"] = dump(listener.mutual_tls)
        if listener.attributes:
            entry["listenerAttributes"] = [
                {"key": key, "value": value} for key, value in sorted(listener.attributes.items())
            ]
        entries.append(entry)
    return sorted(entries, key=lambda entry: entry["protocolPort"])
