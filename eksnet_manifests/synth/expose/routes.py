"""An app's route: HTTPRoute or GRPCRoute on an ALB Gateway, TCPRoute, UDPRoute or TLSRoute on an NLB.

Rules follow the profile's ``rules`` one to one (rule i, match j, backend k keep their indexes); without
rules an HTTPRoute gets one PathPrefix rule and the other kinds one rule, all to the app's Service.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.attachment import Attachment
from eksnet_manifests.profile.exposure import GatewayExposure
from eksnet_manifests.profile.routes import (
    Backend,
    GrpcMethod,
    HeaderModifier,
    PathModifier,
    RouteMatch,
    RouteRule,
    ValueMatch,
)
from eksnet_manifests.synth.expose.listener_rules import LRC_GROUP, listener_rule_name

GATEWAY_API_GROUP = "gateway.networking.k8s.io"
# Route kinds whose spec lists hostnames; TCPRoute and UDPRoute have none, so ExternalDNS reads the
# hostname annotation (ExternalDNS docs sources/gateway-api.md, "Hostnames").
HOSTNAME_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute")


def parent_ref(app: App, expose: GatewayExposure, found: Attachment) -> dict[str, Any]:
    """The route's parentRef: the Gateway's listener, or the ListenerSet's."""
    if found.listener_set is not None:
        parent: dict[str, Any] = {
            "group": GATEWAY_API_GROUP,
            "kind": "ListenerSet",
            "name": found.listener_set.name,
        }
    else:
        parent = {"group": GATEWAY_API_GROUP, "kind": "Gateway", "name": found.gateway.name}
    parent["sectionName"] = expose.section_name
    if found.parent_namespace != app.namespace:
        parent["namespace"] = found.parent_namespace
    return parent


def route_spec(
    app: App, expose: GatewayExposure, found: Attachment, backends: Mapping[str, App]
) -> dict[str, Any]:
    """The spec of the app's route; ``backends`` are the apps of the profile by name."""
    spec: dict[str, Any] = {"parentRefs": [parent_ref(app, expose, found)]}
    if expose.hosts and found.kind in HOSTNAME_KINDS:
        spec["hostnames"] = list(expose.hosts)
    if expose.rules:
        spec["rules"] = [
            _rule(app, found.kind, position, rule, backends) for position, rule in enumerate(expose.rules)
        ]
    else:
        rule: dict[str, Any] = {}
        if found.kind == "HTTPRoute":
            rule["matches"] = [{"path": {"type": "PathPrefix", "value": expose.path_prefix}}]
        rule["backendRefs"] = [{"name": app.name, "port": app.service_port}]
        spec["rules"] = [rule]
    return spec


def _rule(app: App, kind: str, position: int, rule: RouteRule, apps: Mapping[str, App]) -> dict[str, Any]:
    wire: dict[str, Any] = {}
    if rule.matches:
        wire["matches"] = [_match(kind, match) for match in rule.matches]
    filters = _filters(app, position, rule)
    if filters:
        wire["filters"] = filters
    if rule.request_redirect is None:
        backends = rule.backends or (Backend(app=app.name),)
        wire["backendRefs"] = [
            _backend_ref(app, backend, apps, weighted=len(backends) > 1) for backend in backends
        ]
    if rule.timeouts is not None:
        wire["timeouts"] = {
            key: value
            for key, value in (
                ("request", rule.timeouts.request),
                ("backendRequest", rule.timeouts.backend_request),
            )
            if value is not None
        }
    return wire


def _backend_ref(app: App, backend: Backend, apps: Mapping[str, App], *, weighted: bool) -> dict[str, Any]:
    target = apps.get(backend.app)
    port = backend.port or (target.service_port if target else None)
    ref: dict[str, Any] = {"name": backend.app, "port": port}
    if target is not None and target.namespace != app.namespace:
        ref["namespace"] = target.namespace
    if weighted or backend.weight != 1:
        ref["weight"] = backend.weight
    return ref


def _values(matches: tuple[ValueMatch, ...]) -> list[dict[str, str]]:
    return [{"name": match.name, "type": match.type, "value": match.value} for match in matches]


def _match(kind: str, match: RouteMatch) -> dict[str, Any]:
    wire: dict[str, Any] = {}
    if match.path is not None:
        wire["path"] = {"type": match.path.type, "value": match.path.value}
    if match.headers:
        wire["headers"] = _values(match.headers)
    if match.query_params:
        wire["queryParams"] = _values(match.query_params)
    if isinstance(match.method, GrpcMethod):
        method = {"type": match.method.type}
        method |= {key: value for key in ("service", "method") if (value := getattr(match.method, key))}
        wire["method"] = method
    elif match.method is not None:
        wire["method"] = match.method
    return wire


def _path_modifier(modifier: PathModifier) -> dict[str, str]:
    key = "replaceFullPath" if modifier.type == "ReplaceFullPath" else "replacePrefixMatch"
    return {"type": modifier.type, key: modifier.value}


def _header_modifier(modifier: HeaderModifier) -> dict[str, Any]:
    wire: dict[str, Any] = {}
    for key in ("set", "add"):
        values = getattr(modifier, key)
        if values:
            wire[key] = [{"name": name, "value": value} for name, value in sorted(values.items())]
    if modifier.remove:
        wire["remove"] = list(modifier.remove)
    return wire


def _filters(app: App, position: int, rule: RouteRule) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = []
    redirect = rule.request_redirect
    if redirect is not None:
        spec: dict[str, Any] = {"statusCode": redirect.status_code}
        for key in ("scheme", "hostname", "port"):
            if getattr(redirect, key) is not None:
                spec[key] = getattr(redirect, key)
        if redirect.path is not None:
            spec["path"] = _path_modifier(redirect.path)
        filters.append({"type": "RequestRedirect", "requestRedirect": spec})
    rewrite = rule.url_rewrite
    if rewrite is not None:
        spec = {"hostname": rewrite.hostname} if rewrite.hostname else {}
        if rewrite.path is not None:
            spec["path"] = _path_modifier(rewrite.path)
        filters.append({"type": "URLRewrite", "urlRewrite": spec})
    for key, kind in (
        ("request_header_modifier", "RequestHeaderModifier"),
        ("response_header_modifier", "ResponseHeaderModifier"),
    ):
        modifier = getattr(rule, key)
        if modifier is not None:
            filters.append({"type": kind, kind[0].lower() + kind[1:]: _header_modifier(modifier)})
    if rule.listener_rule is not None:
        reference = {
            "group": LRC_GROUP,
            "kind": "ListenerRuleConfiguration",
            "name": listener_rule_name(app, position),
        }
        filters.append({"type": "ExtensionRef", "extensionRef": reference})
    return filters
