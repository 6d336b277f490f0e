"""A draft's settings as the profile's Gateway models spell them: ``LoadBalancerSettings`` (a
LoadBalancerConfiguration), ``TargetGroupSettings`` (a TargetGroupConfiguration) and listener settings.

ELB attributes LBC's Gateway CRDs type (access logs, deletion protection, idle timeout, cross-zone;
deregistration delay, slow start, stickiness) take their typed fields; the rest stay attributes by their
ELB key (LBC docs ``guide/gateway/loadbalancerconfig.md``, ``targetgroupconfig.md``, v3.5.0).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eksnet_manifests.migrate.alb.common import ATTRIBUTES
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.versions.lbc_annotations import INGRESS_PREFIX, NLB_PREFIX

# Exposure field -> LoadBalancerSettings field (wire names).
LOAD_BALANCER = {
    "expose.ipAddressType": "ipAddressType",
    "expose.loadBalancerName": "name",
    "expose.securityGroups": "securityGroups",
    "expose.manageBackendSecurityGroupRules": "manageBackendSecurityGroupRules",
    "expose.sourceRanges": "sourceRanges",
    "expose.securityGroupPrefixLists": "securityGroupPrefixes",
    "expose.tags": "tags",
    "expose.shieldAdvancedProtection": "shieldAdvanced",
    "expose.crossZone": "crossZone",
}
LOAD_BALANCER_ATTRIBUTES = (INGRESS_PREFIX + "load-balancer-attributes", NLB_PREFIX + "attributes")
TARGET_GROUP_ATTRIBUTES = (INGRESS_PREFIX + "target-group-attributes", NLB_PREFIX + "target-group-attributes")
# ELB attribute -> LoadBalancerSettings field that owns it (the CRD-typed ones).
TYPED_LB_ATTRIBUTES = {
    "deletion_protection.enabled": "deletionProtection",
    "idle_timeout.timeout_seconds": "idleTimeout",
    "load_balancing.cross_zone.enabled": "crossZone",
}
ACCESS_LOGS = {
    "access_logs.s3.enabled": "enabled",
    "access_logs.s3.bucket": "bucket",
    "access_logs.s3.prefix": "prefix",
}
# Exposure health check field -> TargetGroupHealthCheck field.
HEALTH_CHECK = {
    "path": "path",
    "port": "port",
    "protocol": "protocol",
    "intervalSeconds": "interval",
    "timeoutSeconds": "timeout",
    "healthyThreshold": "healthyThreshold",
    "unhealthyThreshold": "unhealthyThreshold",
}
TARGET_GROUP = {
    "expose.targetType": "targetType",
    "expose.backendProtocol": "protocol",
    "expose.backendProtocolVersion": "protocolVersion",
}


def _bool(text: Any) -> Any:
    return text == "true" if text in ("true", "false") else text


def _int(text: Any) -> Any:
    return int(text) if isinstance(text, str) and text.isdigit() else text


def _extras(gateway: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """The gateway-only settings of a draft under ``prefix`` (``loadBalancer.``), by field."""
    return {key.removeprefix(prefix): value for key, value in gateway.items() if key.startswith(prefix)}


def load_balancer(settings: Mapping[str, Any], gateway: Mapping[str, Any]) -> dict[str, Any]:
    """LoadBalancerSettings (wire) of merged exposure ``settings`` and gateway-only extras."""
    wire: dict[str, Any] = {field: settings[key] for key, field in LOAD_BALANCER.items() if key in settings}
    subnets = settings.get("expose.subnets")
    if subnets:
        wire["subnets"] = [{"identifier": subnet} for subnet in subnets]
        for field in ("eipAllocation", "privateIpv4Allocation", "ipv6Allocation", "sourceNatIpv6Prefix"):
            values = gateway.get(f"subnets.{field}")
            for subnet, value in zip(wire["subnets"], values or (), strict=False):
                subnet[field] = value
    acl = settings.get("expose.wafv2AclArn") or settings.get("expose.wafv2AclName")
    if acl and acl != "none":
        wire["wafWebAcl"] = acl
    logs = {
        name[len("expose.accessLogs.") :]: value
        for name, value in settings.items()
        if name.startswith("expose.accessLogs.")
    }
    attributes: dict[str, str] = {}
    for key in LOAD_BALANCER_ATTRIBUTES:
        for name, value in gateway.get(ATTRIBUTES + key, {}).items():
            if name in ACCESS_LOGS:
                logs[ACCESS_LOGS[name]] = _bool(value)
            elif name in TYPED_LB_ATTRIBUTES:
                wire[TYPED_LB_ATTRIBUTES[name]] = _int(_bool(value))
            else:
                attributes[name] = value
    if logs:
        wire["accessLogs"] = logs
    if attributes:
        wire["attributes"] = attributes
    return wire | _extras(gateway, "loadBalancer.")


def target_group(settings: Mapping[str, Any], gateway: Mapping[str, Any]) -> dict[str, Any]:
    """TargetGroupSettings (wire) of exposure ``settings`` and gateway-only extras (not per Service)."""
    wire: dict[str, Any] = {field: settings[key] for key, field in TARGET_GROUP.items() if key in settings}
    health = {
        HEALTH_CHECK[name]: settings[f"expose.healthCheck.{name}"]
        for name in HEALTH_CHECK
        if f"expose.healthCheck.{name}" in settings
    }
    codes = settings.get("expose.healthCheck.successCodes")
    if codes is not None:
        kind = "grpcCode" if settings.get("expose.backendProtocolVersion") == "GRPC" else "httpCode"
        health["matcher"] = {kind: codes}
    if health:
        wire["healthCheck"] = health
    attributes: dict[str, str] = {}
    stickiness: dict[str, Any] = {}
    for key in TARGET_GROUP_ATTRIBUTES:
        for name, value in gateway.get(ATTRIBUTES + key, {}).items():
            if name == "deregistration_delay.timeout_seconds":
                wire["deregistrationDelay"] = _int(value)
            elif name == "slow_start.duration_seconds":
                if value != "0":
                    wire["slowStart"] = _int(value)
            elif name == "stickiness.enabled":
                stickiness["enabled"] = value == "true"
            elif name == "stickiness.type":
                stickiness["type"] = value
            elif name.endswith("_cookie.duration_seconds"):
                stickiness["duration"] = _int(value)
            elif name == "stickiness.app_cookie.cookie_name":
                stickiness["cookieName"] = value
            else:
                attributes[name] = value
    if stickiness.pop("enabled", True) and stickiness:
        wire["stickiness"] = stickiness
    if settings.get("expose.targetGroupAttributes.proxyProtocolV2"):
        attributes["proxy_protocol_v2.enabled"] = "true"
    if attributes:
        wire["attributes"] = attributes
    return wire | _extras(gateway, "targetGroup.")


def merged_settings(members: list[Draft]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The settings and gateway extras of an IngressGroup: the first member (in LBC's order) that sets a
    field wins (conflicts are errors reported apart); tags, certificates and attributes are unioned."""
    settings: dict[str, Any] = {}
    gateway: dict[str, Any] = {}
    for member in members:
        for field, value in member.settings.items():
            if field == "expose.tags" and field in settings:
                settings[field] = {**value, **settings[field]}
            elif field == "expose.certificateArns" and field in settings:
                settings[field] = list(dict.fromkeys([*settings[field], *value]))
            else:
                settings.setdefault(field, value)
        for key, value in member.gateway.items():
            if key.startswith(ATTRIBUTES) and key in gateway:
                gateway[key] = {**value, **gateway[key]}
            else:
                gateway.setdefault(key, value)
    return settings, gateway
