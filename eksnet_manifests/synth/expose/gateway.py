"""Gateway API on LBC: the operator's shared GatewayClass, LoadBalancerConfiguration and Gateway,
and per app an HTTPRoute plus a TargetGroupConfiguration with IP targets."""

from __future__ import annotations

from typing import Any

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.exposure import GatewayExposure, NlbExposure
from eksnet_manifests.synth.context import MANAGED_BY, BuildContext, app_labels
from eksnet_manifests.synth.dns import dns_annotations, dns_fields
from eksnet_manifests.synth.expose.backends import route_configurations
from eksnet_manifests.synth.expose.listener_rules import build_listener_rules
from eksnet_manifests.synth.expose.routes import HOSTNAME_KINDS, route_spec
from eksnet_manifests.synth.expose.target_groups import health_check_config, target_group_props
from eksnet_manifests.synth.provenance import FieldPath
from eksnet_manifests.synth.workload import SERVICE_FIELDS, TRANSPORTS, Manifest, build_service

ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TCPRoute", "UDPRoute", "TLSRoute")

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


def app_transports(app: App, ctx: BuildContext) -> tuple[str, ...]:
    """The L4 protocols the app's pods serve: UDP behind a UDP target group or NLB port, both behind
    TCP_UDP."""
    if isinstance(app.expose, NlbExposure):
        protocol = app.expose.protocol
    elif isinstance(app.expose, GatewayExposure):
        protocol = ctx.attachment(app).target_protocol(app.expose)
    else:
        return ("TCP",)
    return TRANSPORTS.get(protocol, ("TCP",))


def build_gateway_route(app: App, ctx: BuildContext) -> list[Manifest]:
    expose = app.expose
    assert isinstance(expose, GatewayExposure)
    found = ctx.attachment(app)
    labels = app_labels(app.name, app.labels)
    route_metadata: dict[str, Any] = {"name": app.name, "namespace": app.namespace, "labels": labels}
    # TCPRoutes and UDPRoutes list no hostnames: ExternalDNS reads the hostname annotation there.
    hostname_annotation = found.kind not in HOSTNAME_KINDS
    annotations = (
        dns_annotations(expose, ctx.dns_prefix, hostname_annotation=hostname_annotation) | expose.annotations
    )
    if annotations:
        route_metadata["annotations"] = dict(sorted(annotations.items()))
    return [
        build_service(app, transports=app_transports(app, ctx)),
        {
            "apiVersion": ctx.api_version(found.kind),
            "kind": found.kind,
            "metadata": route_metadata,
            "spec": route_spec(app, expose, found, ctx.apps),
        },
        _target_group_configuration(app, expose, ctx, labels),
        *build_listener_rules(app, ctx),
    ]


def _target_group_configuration(
    app: App, expose: GatewayExposure, ctx: BuildContext, labels: dict[str, str]
) -> Manifest:
    found = ctx.attachment(app)
    # LBC defaults to instance targets; IP targets route straight to VPC CNI pod IPs.
    default: dict[str, Any] = {"targetType": "ip", "protocol": found.target_protocol(expose)}
    default |= target_group_props(expose.target_group)
    check = expose.health_check
    if check is not None:
        default["healthCheckConfig"] = health_check_config(
            check, ctx.profile.load_balancer_controller.version
        )
    spec: dict[str, Any] = {"targetReference": {"name": app.name}, "defaultConfiguration": default}
    others = route_configurations(app, found.gateway.type, ctx)
    if others:
        spec["routeConfigurations"] = others
    return {
        "apiVersion": ctx.api_version("TargetGroupConfiguration"),
        "kind": "TargetGroupConfiguration",
        "metadata": {"name": app.name, "namespace": app.namespace, "labels": labels},
        "spec": spec,
    }


def gateway_fields(ctx: BuildContext, app: App) -> dict[str, dict[str, FieldPath]]:
    """Per kind, generated field -> app field (``/`` marks an absolute profile path, ``[*]`` any index;
    see synth.provenance)."""
    expose = app.expose
    assert isinstance(expose, GatewayExposure)
    health = "spec.defaultConfiguration.healthCheckConfig"
    parent: FieldPath = ("expose", "gateway") if expose.gateway else ("/", "gatewayApi", "gatewayName")
    rules: dict[str, FieldPath] = (
        {
            "spec.rules": ("expose", "rules"),
            "spec.rules[*]": ("expose", "rules", "*"),
            "spec.rules[*].matches[*]": ("expose", "rules", "*", "matches", "*"),
            "spec.rules[*].backendRefs[*]": ("expose", "rules", "*", "backends", "*"),
            "spec.rules[*].timeouts": ("expose", "rules", "*", "timeouts"),
        }
        if expose.rules
        else {"spec.rules": ("expose", "pathPrefix"), "spec.rules[0].backendRefs": ("servicePort",)}
    )
    route = {
        "metadata.namespace": ("namespace",),
        "metadata.annotations": ("expose", "annotations"),
        **dns_fields(ctx.dns_prefix),
        "spec.hostnames": ("expose", "hosts"),
        "spec.parentRefs": ("expose", "sectionName"),
        "spec.parentRefs[0].name": parent,
        "spec.parentRefs[0].namespace": ("/", "gatewayApi", "namespace") if not expose.gateway else parent,
        **rules,
    }
    return {
        "Service": SERVICE_FIELDS,
        **{kind: route for kind in ROUTE_KINDS},
        "TargetGroupConfiguration": {
            "metadata.namespace": ("namespace",),
            "spec.defaultConfiguration": ("expose", "targetGroup"),
            "spec.defaultConfiguration.protocol": ("expose", "protocol"),
            "spec.defaultConfiguration.targetType": ("expose", "type"),
            f"{health}": ("expose", "healthCheck"),
            f"{health}.healthCheckPath": ("expose", "healthCheck", "path"),
            f"{health}.healthCheckPort": ("expose", "healthCheck", "port"),
            f"{health}.healthCheckProtocol": ("expose", "healthCheck", "protocol"),
        },
        "ListenerRuleConfiguration": {"metadata": ("expose", "rules"), "spec": ("expose", "rules")},
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
