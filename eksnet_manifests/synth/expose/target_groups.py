"""TargetGroupConfiguration ``TargetGroupProps`` from the profile's target group settings.

The attributes eksnet names become ``targetGroupAttributes`` (ELB target group attribute keys), sorted
by key; the health-check protocol takes the casing the pinned LBC's CRD accepts (versions.lbc).
"""

from __future__ import annotations

from typing import Any

from eksnet_manifests.profile.selectors import LabelSelector
from eksnet_manifests.profile.target_group import (
    TargetGroupHealthCheck,
    TargetGroupProps,
    TargetGroupSettings,
)
from eksnet_manifests.versions import lbc

_HEALTH_FIELDS = (
    ("interval", "healthCheckInterval"),
    ("timeout", "healthCheckTimeout"),
    ("healthy_threshold", "healthyThresholdCount"),
    ("unhealthy_threshold", "unhealthyThresholdCount"),
)


def health_check_config(check: TargetGroupHealthCheck, lbc_version: str) -> dict[str, Any]:
    """``healthCheckConfig`` of a TargetGroupConfiguration."""
    health: dict[str, Any] = {}
    if check.path:
        health["healthCheckPath"] = check.path
    if check.port:
        health["healthCheckPort"] = str(check.port)
    if check.protocol:
        # The TargetGroupConfiguration CRD wants lower case through LBC v2.14 (versions.lbc).
        health["healthCheckProtocol"] = lbc.health_check_protocol(lbc_version, check.protocol)
    for field, key in _HEALTH_FIELDS:
        value = getattr(check, field)
        if value is not None:
            health[key] = value
    if check.matcher is not None:
        matcher = check.matcher
        health["matcher"] = (
            {"httpCode": matcher.http_code} if matcher.http_code else {"grpcCode": matcher.grpc_code}
        )
    return health


def selector_spec(selector: LabelSelector) -> dict[str, Any]:
    """A metav1.LabelSelector."""
    spec: dict[str, Any] = {}
    if selector.match_labels:
        spec["matchLabels"] = dict(sorted(selector.match_labels.items()))
    if selector.match_expressions:
        spec["matchExpressions"] = [
            {
                "key": item.key,
                "operator": item.operator,
                **({"values": list(item.values)} if item.values else {}),
            }
            for item in selector.match_expressions
        ]
    return spec


def target_group_attributes(props: TargetGroupProps) -> list[dict[str, str]]:
    attributes = dict(props.attributes)
    if props.deregistration_delay is not None:
        attributes["deregistration_delay.timeout_seconds"] = str(props.deregistration_delay)
    if props.slow_start is not None:
        attributes["slow_start.duration_seconds"] = str(props.slow_start)
    stickiness = props.stickiness
    if stickiness is not None:
        attributes["stickiness.enabled"] = "true"
        attributes["stickiness.type"] = stickiness.type
        if stickiness.duration is not None:
            prefix = "app_cookie" if stickiness.type == "app_cookie" else "lb_cookie"
            attributes[f"stickiness.{prefix}.duration_seconds"] = str(stickiness.duration)
        if stickiness.cookie_name is not None:
            attributes["stickiness.app_cookie.cookie_name"] = stickiness.cookie_name
    return [{"key": key, "value": value} for key, value in sorted(attributes.items())]


def target_group_props(props: TargetGroupProps | None) -> dict[str, Any]:
    """The ``TargetGroupProps`` fields of ``props`` besides protocol and health check."""
    if props is None:
        return {}
    spec: dict[str, Any] = {}
    for field, key in (
        ("name", "targetGroupName"),
        ("target_type", "targetType"),
        ("ip_address_type", "ipAddressType"),
        ("protocol_version", "protocolVersion"),
        ("enable_multi_cluster", "enableMultiCluster"),
        ("target_control_port", "targetControlPort"),
    ):
        value = getattr(props, field)
        if value is not None:
            spec[key] = value
    attributes = target_group_attributes(props)
    if attributes:
        spec["targetGroupAttributes"] = attributes
    if props.node_selector is not None:
        spec["nodeSelector"] = selector_spec(props.node_selector)
    if props.tags:
        spec["tags"] = dict(sorted(props.tags.items()))
    return spec


def target_group_settings(settings: TargetGroupSettings, lbc_version: str) -> dict[str, Any]:
    """A whole ``TargetGroupProps`` (Gateway and GatewayClass defaults)."""
    spec = target_group_props(settings)
    if settings.protocol is not None:
        spec["protocol"] = settings.protocol
    if settings.health_check is not None:
        spec["healthCheckConfig"] = health_check_config(settings.health_check, lbc_version)
    return spec
