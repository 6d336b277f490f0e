"""The Gateways of ``gatewayApi.gateways``: per Gateway its LoadBalancerConfiguration (attached through
``infrastructure.parametersRef``), default TargetGroupConfiguration, ListenerSets and the HTTP -> HTTPS
redirect route; per GatewayClass used, the class and its own defaults.

LBC reads a Gateway's LoadBalancerConfiguration from the Gateway's namespace and its class's from the
class's ``parametersRef`` (LBC docs ``guide/gateway/customization.md``); a TargetGroupConfiguration
without ``targetReference`` is referenced as ``defaultTargetGroupConfiguration`` (LBC v3.2.0+).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from eksnet_manifests.profile.attachment import all_listeners
from eksnet_manifests.profile.exposure import GatewayExposure
from eksnet_manifests.profile.gateway import Gateway, GatewayClassSettings, Listener, RouteAdmission
from eksnet_manifests.profile.selectors import LabelSelector
from eksnet_manifests.profile.target_group import TargetGroupSettings
from eksnet_manifests.synth.context import MANAGED_BY, BuildContext
from eksnet_manifests.synth.expose.load_balancer_configuration import (
    listener_configurations,
    load_balancer_spec,
)
from eksnet_manifests.synth.expose.routes import GATEWAY_API_GROUP
from eksnet_manifests.synth.expose.target_groups import selector_spec, target_group_settings
from eksnet_manifests.synth.provenance import FieldPath
from eksnet_manifests.synth.workload import Manifest

AWS_GROUP = "gateway.k8s.aws"
CONTROLLERS = {"alb": "gateway.k8s.aws/alb", "nlb": "gateway.k8s.aws/nlb"}
GATEWAY_CLASSES_PATH = "platform/gateway-classes.yaml"
DEFAULTS_SUFFIX = "-defaults"
REDIRECT_SUFFIX = "-https-redirect"
CERTIFICATES_OPTION = "eksnet/certificates-from"


def gateway_path(gateway: Gateway) -> str:
    return f"platform/gateways/{gateway.name}.yaml"


@dataclass(frozen=True)
class PlatformFile:
    """A file of platform objects and, per object, the profile path and field map it comes from."""

    path: str
    objects: tuple[tuple[Manifest, FieldPath, dict[str, FieldPath]], ...]


def _metadata(name: str, namespace: str | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    metadata["labels"] = dict(MANAGED_BY)
    return metadata


def _default_target_groups(
    name: str, namespace: str, settings: TargetGroupSettings, ctx: BuildContext
) -> Manifest:
    return {
        "apiVersion": ctx.api_version("TargetGroupConfiguration"),
        "kind": "TargetGroupConfiguration",
        "metadata": _metadata(name + DEFAULTS_SUFFIX, namespace),
        "spec": {
            "defaultConfiguration": target_group_settings(
                settings, ctx.profile.load_balancer_controller.version
            )
        },
    }


def _allowed_routes(own: RouteAdmission, inherited: RouteAdmission, kinds: Sequence[str]) -> dict[str, Any]:
    source = own.allowed_routes or inherited.allowed_routes or "Same"
    namespaces: dict[str, Any] = {"from": source}
    selector: LabelSelector | None = (
        own.namespace_selector if own.allowed_routes else inherited.namespace_selector
    )
    if source == "Selector" and selector is not None:
        namespaces["selector"] = selector_spec(selector)
    allowed: dict[str, Any] = {"namespaces": namespaces}
    if kinds:
        allowed["kinds"] = [{"group": GATEWAY_API_GROUP, "kind": kind} for kind in kinds]
    return allowed


def _listener(listener: Listener, inherited: RouteAdmission, config: str) -> dict[str, Any]:
    wire: dict[str, Any] = {"name": listener.name, "protocol": listener.protocol, "port": listener.port}
    if listener.hostname is not None:
        wire["hostname"] = listener.hostname
    if listener.protocol == "TLS":
        wire["tls"] = {"mode": listener.tls_mode}
        if listener.tls_mode == "Terminate":
            # Gateway API wants certificateRefs or options to terminate; LBC reads neither and takes the
            # certificates from the LoadBalancerConfiguration (l7gateway.md: ListenerTLSConfig).
            wire["tls"]["options"] = {CERTIFICATES_OPTION: f"LoadBalancerConfiguration/{config}"}
    wire["allowedRoutes"] = _allowed_routes(listener, inherited, listener.kinds)
    return wire


def _gateway_class(
    name: str, kind: str, settings: GatewayClassSettings | None, ctx: BuildContext
) -> list[Manifest]:
    spec: dict[str, Any] = {"controllerName": CONTROLLERS[kind]}
    objects: list[Manifest] = []
    if settings is not None:
        namespace = ctx.profile.gateway_api.namespace
        config: dict[str, Any] = {
            "mergingMode": settings.merging_mode,
            **load_balancer_spec(settings.load_balancer),
        }
        if settings.target_group_defaults is not None:
            config["defaultTargetGroupConfiguration"] = {"name": name + DEFAULTS_SUFFIX}
            objects.append(_default_target_groups(name, namespace, settings.target_group_defaults, ctx))
        objects.append(
            {
                "apiVersion": ctx.api_version("LoadBalancerConfiguration"),
                "kind": "LoadBalancerConfiguration",
                "metadata": _metadata(name, namespace),
                "spec": config,
            }
        )
        spec["parametersRef"] = {
            "group": AWS_GROUP,
            "kind": "LoadBalancerConfiguration",
            "name": name,
            "namespace": namespace,
        }
    objects.append(
        {
            "apiVersion": ctx.api_version("GatewayClass"),
            "kind": "GatewayClass",
            "metadata": _metadata(name),
            "spec": spec,
        }
    )
    return objects


def build_gateway_classes(ctx: BuildContext) -> PlatformFile | None:
    """The GatewayClasses the Gateways of ``gatewayApi.gateways`` use, with their class defaults."""
    gateway_api = ctx.profile.gateway_api
    objects = []
    seen: set[str] = set()
    for index, gateway in enumerate(gateway_api.gateways):
        name = gateway_api.gateway_class(gateway)
        if name in seen:
            continue
        seen.add(name)
        settings = gateway_api.class_settings(name)
        position = next(
            (i for i, entry in enumerate(gateway_api.gateway_classes) if entry.name == name), None
        )
        base: FieldPath = (
            ("gatewayApi", "gatewayClasses", position)
            if position is not None
            else ("gatewayApi", "gateways", index, "gatewayClassName")
        )
        fields: dict[str, FieldPath] = {"spec": ("loadBalancer",)} if position is not None else {}
        objects += [(obj, base, fields) for obj in _gateway_class(name, gateway.type, settings, ctx)]
    return PlatformFile(GATEWAY_CLASSES_PATH, tuple(objects)) if objects else None


def build_gateways(ctx: BuildContext) -> Iterator[PlatformFile]:
    """One file per Gateway of ``gatewayApi.gateways``."""
    for index, gateway in enumerate(ctx.profile.gateway_api.gateways):
        yield PlatformFile(gateway_path(gateway), tuple(_gateway_objects(index, gateway, ctx)))


def _gateway_objects(
    index: int, gateway: Gateway, ctx: BuildContext
) -> Iterator[tuple[Manifest, FieldPath, dict[str, FieldPath]]]:
    gateway_api = ctx.profile.gateway_api
    namespace = gateway_api.gateway_namespace(gateway)
    at: FieldPath = ("gatewayApi", "gateways", index)
    config: dict[str, Any] = {"scheme": gateway.scheme, **load_balancer_spec(gateway.load_balancer)}
    listener_settings = listener_configurations(all_listeners(gateway))
    if listener_settings:
        config["listenerConfigurations"] = listener_settings
    if gateway.target_group_defaults is not None:
        config["defaultTargetGroupConfiguration"] = {"name": gateway.name + DEFAULTS_SUFFIX}
        defaults = _default_target_groups(gateway.name, namespace, gateway.target_group_defaults, ctx)
        yield defaults, (*at, "targetGroupDefaults"), {}
    yield (
        {
            "apiVersion": ctx.api_version("LoadBalancerConfiguration"),
            "kind": "LoadBalancerConfiguration",
            "metadata": _metadata(gateway.name, namespace),
            "spec": config,
        },
        at,
        {
            "spec": ("loadBalancer",),
            "spec.scheme": ("scheme",),
            "spec.listenerConfigurations": ("listeners",),
            "spec.defaultTargetGroupConfiguration": ("targetGroupDefaults",),
        },
    )
    spec: dict[str, Any] = {
        "gatewayClassName": gateway_api.gateway_class(gateway),
        "infrastructure": {
            "parametersRef": {"group": AWS_GROUP, "kind": "LoadBalancerConfiguration", "name": gateway.name}
        },
        "listeners": [_listener(listener, gateway, gateway.name) for listener in gateway.listeners],
    }
    if gateway.allowed_listeners != "None":
        allowed: dict[str, Any] = {"from": gateway.allowed_listeners}
        if gateway.allowed_listeners_selector is not None:
            allowed["selector"] = selector_spec(gateway.allowed_listeners_selector)
        spec["allowedListeners"] = {"namespaces": allowed}
    yield (
        {
            "apiVersion": ctx.api_version("Gateway"),
            "kind": "Gateway",
            "metadata": _metadata(gateway.name, namespace),
            "spec": spec,
        },
        at,
        {
            "metadata.namespace": ("namespace",),
            "spec.gatewayClassName": ("gatewayClassName",),
            "spec.infrastructure": ("loadBalancer",),
            "spec.listeners": ("listeners",),
            "spec.listeners[*]": ("listeners", "*"),
            **{
                f"spec.listeners[{position}].allowedRoutes": ("listeners", position, "allowedRoutes")
                if listener.allowed_routes
                else ("allowedRoutes",)
                for position, listener in enumerate(gateway.listeners)
            },
            "spec.allowedListeners": ("allowedListeners",),
        },
    )
    for position, listener_set in enumerate(gateway.listener_sets):
        set_namespace = listener_set.namespace or namespace
        parent: dict[str, Any] = {"group": GATEWAY_API_GROUP, "kind": "Gateway", "name": gateway.name}
        if set_namespace != namespace:
            parent["namespace"] = namespace
        yield (
            {
                "apiVersion": ctx.api_version("ListenerSet"),
                "kind": "ListenerSet",
                "metadata": _metadata(listener_set.name, set_namespace),
                "spec": {
                    "parentRef": parent,
                    "listeners": [
                        _listener(listener, listener_set, gateway.name) for listener in listener_set.listeners
                    ],
                },
            },
            (*at, "listenerSets", position),
            {"spec.listeners[*]": ("listeners", "*")},
        )
    if gateway.redirect_http_to_https:
        yield _redirect_route(gateway, namespace, ctx), (*at, "redirectHttpToHttps"), {}


def _redirect_route(gateway: Gateway, namespace: str, ctx: BuildContext) -> Manifest:
    """An HTTPRoute on every HTTP listener answering each request with a 301 to HTTPS; its hostnames are
    those of the Gateway's apps (none: every host), so ExternalDNS sees no other names."""
    https_port = next(listener.port for listener in gateway.listeners if listener.protocol == "HTTPS")
    redirect: dict[str, Any] = {"scheme": "https", "statusCode": 301}
    if https_port != 443:
        redirect["port"] = https_port
    parents = [
        {"group": GATEWAY_API_GROUP, "kind": "Gateway", "name": gateway.name, "sectionName": listener.name}
        for listener in gateway.listeners
        if listener.protocol == "HTTP"
    ]
    hosts = sorted(
        {
            host
            for app in ctx.apps.values()
            if isinstance(app.expose, GatewayExposure) and app.expose.gateway == gateway.name
            for host in app.expose.hosts
        }
    )
    spec: dict[str, Any] = {"parentRefs": parents}
    if hosts:
        spec["hostnames"] = hosts
    spec["rules"] = [{"filters": [{"type": "RequestRedirect", "requestRedirect": redirect}]}]
    return {
        "apiVersion": ctx.api_version("HTTPRoute"),
        "kind": "HTTPRoute",
        "metadata": _metadata(gateway.name + REDIRECT_SUFFIX, namespace),
        "spec": spec,
    }
