"""Gateway API on LBC: the operator's shared GatewayClass, LoadBalancerConfiguration and Gateway,
and per app an HTTPRoute plus a TargetGroupConfiguration with IP targets."""

from __future__ import annotations

from typing import Any

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.exposure import GatewayExposure
from eksnet_manifests.synth.context import MANAGED_BY, BuildContext, app_labels
from eksnet_manifests.synth.dns import dns_annotations, dns_fields
from eksnet_manifests.synth.provenance import FieldPath
from eksnet_manifests.synth.workload import SERVICE_FIELDS, Manifest, build_service
from eksnet_manifests.versions import lbc

GATEWAY_API_GROUP = "gateway.networking.k8s.io"
ALB_CONTROLLER = "gateway.k8s.aws/alb"
AWS_GROUP = "gateway.k8s.aws"


def build_gateway_platform(ctx: BuildContext) -> list[Manifest]:
    """Objects owned by the cluster operator, written once however many apps attach."""
    gateway = ctx.profile.gateway_api
    lb_config_spec: dict[str, Any] = {"scheme": gateway.scheme}
    listeners: list[dict[str, Any]] = [_listener("http", "HTTP", 80, gateway.allowed_routes)]
    if gateway.tls.tls_enabled:
        listeners.append(_listener("https", "HTTPS", 443, gateway.allowed_routes))
        if gateway.tls.certificate_arns:
            default, *others = gateway.tls.certificate_arns
            https: dict[str, Any] = {"protocolPort": "HTTPS:443", "defaultCertificate": default}
            if others:
                https["certificates"] = others
            lb_config_spec["listenerConfigurations"] = [https]
    metadata = {"namespace": gateway.namespace, "labels": dict(MANAGED_BY)}
    return [
        {
            "apiVersion": ctx.api_version("LoadBalancerConfiguration"),
            "kind": "LoadBalancerConfiguration",
            "metadata": {"name": gateway.load_balancer_configuration_name, **metadata},
            "spec": lb_config_spec,
        },
        {
            "apiVersion": ctx.api_version("GatewayClass"),
            "kind": "GatewayClass",
            "metadata": {"name": gateway.gateway_class_name, "labels": dict(MANAGED_BY)},
            "spec": {
                "controllerName": ALB_CONTROLLER,
                "parametersRef": {
                    "group": AWS_GROUP,
                    "kind": "LoadBalancerConfiguration",
                    "name": gateway.load_balancer_configuration_name,
                    "namespace": gateway.namespace,
                },
            },
        },
        {
            "apiVersion": ctx.api_version("Gateway"),
            "kind": "Gateway",
            "metadata": {"name": gateway.gateway_name, **metadata},
            "spec": {"gatewayClassName": gateway.gateway_class_name, "listeners": listeners},
        },
    ]


def _listener(name: str, protocol: str, port: int, allowed_from: str) -> dict[str, Any]:
    return {
        "name": name,
        "protocol": protocol,
        "port": port,
        "allowedRoutes": {"namespaces": {"from": allowed_from}},
    }


def build_gateway_route(app: App, ctx: BuildContext) -> list[Manifest]:
    expose = app.expose
    assert isinstance(expose, GatewayExposure)
    gateway = ctx.profile.gateway_api
    labels = app_labels(app.name, app.labels)
    parent: dict[str, Any] = {
        "group": GATEWAY_API_GROUP,
        "kind": "Gateway",
        "name": gateway.gateway_name,
        "sectionName": expose.section_name,
    }
    if gateway.namespace != app.namespace:
        parent["namespace"] = gateway.namespace
    route_spec: dict[str, Any] = {"parentRefs": [parent]}
    if expose.hosts:
        route_spec["hostnames"] = list(expose.hosts)
    route_spec["rules"] = [
        {
            "matches": [{"path": {"type": "PathPrefix", "value": expose.path_prefix}}],
            "backendRefs": [{"name": app.name, "port": app.service_port}],
        }
    ]
    route_metadata: dict[str, Any] = {"name": app.name, "namespace": app.namespace, "labels": labels}
    annotations = dns_annotations(expose, ctx.dns_prefix, hostname_annotation=False) | expose.annotations
    if annotations:
        route_metadata["annotations"] = dict(sorted(annotations.items()))
    return [
        build_service(app),
        {
            "apiVersion": ctx.api_version("HTTPRoute"),
            "kind": "HTTPRoute",
            "metadata": route_metadata,
            "spec": route_spec,
        },
        _target_group_configuration(app, expose, ctx, labels),
    ]


def _target_group_configuration(
    app: App, expose: GatewayExposure, ctx: BuildContext, labels: dict[str, str]
) -> Manifest:
    # LBC defaults to instance targets; IP targets route straight to VPC CNI pod IPs.
    default: dict[str, Any] = {"targetType": "ip", "protocol": expose.protocol}
    check = expose.health_check
    if check is not None:
        health: dict[str, Any] = {}
        if check.path:
            health["healthCheckPath"] = check.path
        if check.port:
            health["healthCheckPort"] = str(check.port)
        if check.protocol:
            # The TargetGroupConfiguration CRD wants lower case through LBC v2.14 (versions.lbc).
            version = ctx.profile.load_balancer_controller.version
            health["healthCheckProtocol"] = lbc.health_check_protocol(version, check.protocol)
        default["healthCheckConfig"] = health
    return {
        "apiVersion": ctx.api_version("TargetGroupConfiguration"),
        "kind": "TargetGroupConfiguration",
        "metadata": {"name": app.name, "namespace": app.namespace, "labels": labels},
        "spec": {"targetReference": {"name": app.name}, "defaultConfiguration": default},
    }


def gateway_fields(ctx: BuildContext) -> dict[str, dict[str, FieldPath]]:
    """Per kind, generated field -> app field (``/`` marks an absolute profile path; see synth.provenance)."""
    health = "spec.defaultConfiguration.healthCheckConfig"
    return {
        "Service": SERVICE_FIELDS,
        "HTTPRoute": {
            "metadata.namespace": ("namespace",),
            "metadata.annotations": ("expose", "annotations"),
            **dns_fields(ctx.dns_prefix),
            "spec.hostnames": ("expose", "hosts"),
            "spec.parentRefs": ("expose", "sectionName"),
            "spec.parentRefs[0].name": ("/", "gatewayApi", "gatewayName"),
            "spec.parentRefs[0].namespace": ("/", "gatewayApi", "namespace"),
            "spec.rules": ("expose", "pathPrefix"),
            "spec.rules[0].backendRefs": ("servicePort",),
        },
        "TargetGroupConfiguration": {
            "metadata.namespace": ("namespace",),
            "spec.defaultConfiguration.protocol": ("expose", "protocol"),
            "spec.defaultConfiguration.targetType": ("expose", "type"),
            f"{health}.healthCheckPath": ("expose", "healthCheck", "path"),
            f"{health}.healthCheckPort": ("expose", "healthCheck", "port"),
            f"{health}.healthCheckProtocol": ("expose", "healthCheck", "protocol"),
        },
    }


def platform_fields(ctx: BuildContext) -> dict[str, dict[str, FieldPath]]:
    """Per kind of the shared Gateway objects, generated field -> ``gatewayApi`` field."""
    https_listener = "spec.listeners[1]"
    return {
        "LoadBalancerConfiguration": {
            "metadata.name": ("loadBalancerConfigurationName",),
            "spec.scheme": ("scheme",),
            "spec.listenerConfigurations": ("tls", "certificateArns"),
        },
        "GatewayClass": {
            "metadata.name": ("gatewayClassName",),
            "spec.parametersRef": ("loadBalancerConfigurationName",),
        },
        "Gateway": {
            "metadata.name": ("gatewayName",),
            "metadata.namespace": ("namespace",),
            "spec.listeners": ("allowedRoutes",),
            https_listener: ("tls",),
            f"{https_listener}.allowedRoutes": ("allowedRoutes",),
        },
    }
