"""Typed profile fields by their catalogue path (``expose.healthCheck.path``): their Python type, nesting
into an exposure, and the Gateway API field each becomes.

``GATEWAY_FIELDS`` maps an NLB/ALB exposure field to where LBC's Gateway CRDs carry the same setting
(LBC docs ``guide/gateway/loadbalancerconfig.md``, ``targetgroupconfig.md``, v3.5.0).
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from eksnet_manifests.profile.typed_fields import EXPOSE

LBC_CONFIG = "LoadBalancerConfiguration spec."
TG_CONFIG = "TargetGroupConfiguration spec.defaultConfiguration."

GATEWAY_FIELDS: dict[str, str] = {
    "expose.scheme": LBC_CONFIG + "scheme",
    "expose.ipAddressType": LBC_CONFIG + "ipAddressType",
    "expose.loadBalancerName": LBC_CONFIG + "loadBalancerName",
    "expose.subnets": LBC_CONFIG + "loadBalancerSubnets",
    "expose.securityGroups": LBC_CONFIG + "securityGroups",
    "expose.manageBackendSecurityGroupRules": LBC_CONFIG + "manageBackendSecurityGroupRules",
    "expose.sourceRanges": LBC_CONFIG + "sourceRanges",
    "expose.securityGroupPrefixLists": LBC_CONFIG + "securityGroupPrefixes",
    "expose.sslPolicy": LBC_CONFIG + "listenerConfigurations[].sslPolicy",
    "expose.alpnPolicy": LBC_CONFIG + "listenerConfigurations[].alpnPolicy",
    "expose.certificateArns": LBC_CONFIG + "listenerConfigurations[].defaultCertificate",
    "expose.tags": LBC_CONFIG + "tags",
    "expose.accessLogs": LBC_CONFIG + "loadBalancerAttributes",
    "expose.loadBalancerAttributes": LBC_CONFIG + "loadBalancerAttributes",
    "expose.crossZone": LBC_CONFIG + "loadBalancerAttributes",
    "expose.wafv2AclArn": LBC_CONFIG + "wafV2.webACL",
    "expose.wafv2AclName": LBC_CONFIG + "wafV2.webACL",
    "expose.shieldAdvancedProtection": LBC_CONFIG + "shieldConfiguration.enabled",
    "expose.targetType": TG_CONFIG + "targetType",
    "expose.backendProtocol": TG_CONFIG + "protocol",
    "expose.backendProtocolVersion": TG_CONFIG + "protocolVersion",
    "expose.healthCheck.path": TG_CONFIG + "healthCheckConfig.healthCheckPath",
    "expose.healthCheck.port": TG_CONFIG + "healthCheckConfig.healthCheckPort",
    "expose.healthCheck.protocol": TG_CONFIG + "healthCheckConfig.healthCheckProtocol",
    "expose.healthCheck.intervalSeconds": TG_CONFIG + "healthCheckConfig.healthCheckInterval",
    "expose.healthCheck.timeoutSeconds": TG_CONFIG + "healthCheckConfig.healthCheckTimeout",
    "expose.healthCheck.healthyThreshold": TG_CONFIG + "healthCheckConfig.healthyThresholdCount",
    "expose.healthCheck.unhealthyThreshold": TG_CONFIG + "healthCheckConfig.unhealthyThresholdCount",
    "expose.healthCheck.successCodes": TG_CONFIG + "healthCheckConfig.matcher",
    "expose.targetGroupAttributes": TG_CONFIG + "targetGroupAttributes",
}


def gateway_field(field: str) -> str:
    """Where the Gateway CRDs carry the exposure field ``field`` (its longest listed prefix)."""
    parts = field.split(".")
    for end in range(len(parts), 1, -1):
        found = GATEWAY_FIELDS.get(".".join(parts[:end]))
        if found is not None:
            return found
    raise KeyError(field)


def nest(settings: dict[str, Any]) -> dict[str, Any]:
    """Flat ``expose.a.b`` -> value settings as the nested wire dict of an exposure."""
    nested: dict[str, Any] = {}
    for field, value in sorted(settings.items()):
        node = nested
        *parents, leaf = field.removeprefix(EXPOSE).split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    return nested


def _unwrapped(annotation: Any) -> list[Any]:
    """The concrete types a field annotation allows (Optional and Annotated removed)."""
    if get_origin(annotation) is typing.Annotated:
        return _unwrapped(get_args(annotation)[0])
    if get_origin(annotation) in (typing.Union, types.UnionType):
        return [inner for arg in get_args(annotation) for inner in _unwrapped(arg)]
    return [annotation]


@functools.cache
def leaf_types(model: type[BaseModel], field: str) -> tuple[Any, ...]:
    """The types the field at ``field`` (``expose.…``, wire names) of ``model`` takes; () if none."""
    current: list[Any] = [model]
    for key in field.removeprefix(EXPOSE).split("."):
        found: list[Any] = []
        for candidate in current:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                for name, info in candidate.model_fields.items():
                    if key in (info.alias, name):
                        found += _unwrapped(info.annotation)
        if not found:
            return ()
        current = found
    return tuple(current)


def coerce(model: type[BaseModel], field: str, value: Any) -> Any:
    """``value`` read from an annotation (a string of an ELB attribute, a parsed list…) in the Python type
    the profile field takes; unchanged when it cannot be converted (validation then names the field)."""
    kinds = leaf_types(model, field)
    if isinstance(value, str):
        if bool in kinds and value in ("true", "false"):
            return value == "true"
        if int in kinds and bool not in kinds and value.lstrip("-").isdigit():
            return int(value)
    if isinstance(value, tuple) and any(get_origin(kind) is tuple for kind in kinds):
        return list(value)
    return value
