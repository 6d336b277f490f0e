"""The status a conformant controller would report, beyond route attachment (lint/parents.py) and backends.

Conditions and reasons are those of Gateway API v1.3.0 (``apis/v1/gateway_types.go``,
``gatewayclass_types.go``, ``shared_types.go``); match precedence from ``httproute_types.go``
(``HTTPRouteRule.Matches``) and ``grpcroute_types.go``. Each finding names the condition it predicts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.fields import as_map, as_str, dig, maps, strings
from eksnet_manifests.check.lint.gatewayapi import (
    PROTOCOL_ROUTE_KINDS,
    ROUTE_KINDS,
    Listener,
    attachments,
    hostnames_intersect,
    listeners_of,
    routes_by_listener,
)
from eksnet_manifests.check.lint.index import (
    CORE,
    GATEWAY_GROUP,
    LBC_GATEWAY_GROUP,
    Lint,
    LintOptions,
    ObjectIndex,
    missing_severity,
    namespace_of,
    object_finding,
    object_ref,
)
from eksnet_manifests.check.lint.lbc import GATES, gateway_controller

LISTENER_CONFLICTED = "gateway-listener-conflicted"
LISTENER_ROUTE_KINDS = "gateway-listener-route-kinds"
LISTENER_CERTIFICATE = "gateway-listener-certificate-ref"
CLASS_PARAMETERS = "gateway-parameters-missing"
BACKEND_KIND = "route-backend-kind"
MATCH_SHADOWED = "route-match-shadowed"

# pkg/gateway/routeutils/backend.go commonBackendLoader (LBC v3.5.0): other kinds are InvalidKind.
LBC_BACKEND_KINDS = frozenset({"Service", "TargetGroupName", "Gateway"})
# Protocols that may share a port (SNI tells HTTPS and TLS apart; TCP and UDP are other transports).
SHARED_PORT_PROTOCOLS = (frozenset({"HTTPS", "TLS"}), frozenset({"TCP", "UDP"}))


def check_listeners(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """Per Gateway listener: Conflicted (ProtocolConflict, HostnameConflict), ResolvedRefs
    (InvalidRouteKinds; InvalidCertificateRef / RefNotPermitted on non-LBC Gateways: LBC reads no Secrets)."""
    for gateway in index.of_kind(GATEWAY_GROUP, "Gateway"):
        listeners = listeners_of(gateway)
        lbc = gateway_controller(index, gateway) in GATES
        for listener in listeners:
            yield from _conflicts(gateway, listener, listeners)
            yield from _route_kinds(gateway, listener)
            if not lbc:
                yield from _certificate_refs(index, opts, gateway, listener)


def _conflicts(gateway: Document, listener: Listener, listeners: list[Listener]) -> Iterator[Finding]:
    earlier = [
        other for other in listeners if other.position < listener.position and other.port == listener.port
    ]
    for other in earlier:
        pair = frozenset({listener.protocol, other.protocol})
        if len(pair) > 1 and pair not in SHARED_PORT_PROTOCOLS:
            reason = "ProtocolConflict"
            detail = f"{other.label} uses {other.protocol} on the same port {listener.port}"
        elif listener.protocol == other.protocol and (listener.hostname or "*") == (other.hostname or "*"):
            reason = "HostnameConflict"
            detail = f"{other.label} has the same port, protocol and hostname ({listener.hostname or 'none'})"
        else:
            continue
        message = (
            f"listener {listener.label}: Conflicted=True ({reason}), {detail}; a conflicted listener is not "
            "programmed. Give it another port or hostname"
        )
        yield object_finding(gateway, LISTENER_CONFLICTED, Severity.ERROR, message, listener.path)
        return


def _route_kinds(gateway: Document, listener: Listener) -> Iterator[Finding]:
    supported = PROTOCOL_ROUTE_KINDS.get(listener.protocol or "")
    if supported is None:
        return
    for position, entry in maps(listener.allowed_routes.get("kinds")):
        group = entry.get("group", GATEWAY_GROUP) or CORE
        kind = as_str(entry.get("kind"))
        if group == GATEWAY_GROUP and kind in supported:
            continue
        message = (
            f"listener {listener.label}: ResolvedRefs=False (InvalidRouteKinds), {listener.protocol} "
            "listeners "
            f"take {', '.join(supported)}, not {group or 'core'}/{kind}; routes of that kind never attach"
        )
        path = f"{listener.path}.allowedRoutes.kinds[{position}]"
        yield object_finding(gateway, LISTENER_ROUTE_KINDS, Severity.ERROR, message, path)


def _certificate_refs(
    index: ObjectIndex, opts: LintOptions, gateway: Document, listener: Listener
) -> Iterator[Finding]:
    for position, ref in maps(listener.tls.get("certificateRefs")):
        name = as_str(ref.get("name"))
        if (ref.get("group") or CORE) != CORE or ref.get("kind", "Secret") != "Secret" or not name:
            continue
        namespace = as_str(ref.get("namespace")) or namespace_of(gateway)
        path = f"{listener.path}.tls.certificateRefs[{position}]"
        if namespace != namespace_of(gateway) and not _secret_granted(index, gateway, namespace, name):
            message = (
                f"listener {listener.label}: ResolvedRefs=False (RefNotPermitted), Secret "
                f"{namespace}/{name} is in "
                f"another namespace and no ReferenceGrant there lets Gateways from {namespace_of(gateway)} "
                "use it"
            )
            yield object_finding(gateway, LISTENER_CERTIFICATE, missing_severity(opts), message, path)
        elif index.get(CORE, "Secret", namespace, name) is None:
            message = (
                f"listener {listener.label}: ResolvedRefs=False (InvalidCertificateRef), Secret "
                f"{namespace}/{name} "
                "is not in the input"
            )
            yield object_finding(gateway, LISTENER_CERTIFICATE, missing_severity(opts), message, path)


def _secret_granted(index: ObjectIndex, gateway: Document, namespace: str, secret: str) -> bool:
    for grant in index.in_namespace(GATEWAY_GROUP, "ReferenceGrant", namespace):
        spec = as_map(grant.obj.get("spec"))
        sources = any(
            entry.get("kind") == "Gateway" and entry.get("namespace") == namespace_of(gateway)
            for _, entry in maps(spec.get("from"))
        )
        targets = any(
            entry.get("kind") == "Secret" and as_str(entry.get("name")) in (None, secret)
            for _, entry in maps(spec.get("to"))
        )
        if sources and targets:
            return True
    return False


def check_parameters(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """A GatewayClass ``parametersRef`` or Gateway ``infrastructure.parametersRef`` to a
    LoadBalancerConfiguration absent from the input: Accepted=False (InvalidParameters)."""
    owners = [(doc, "spec.parametersRef", "") for doc in index.of_kind(GATEWAY_GROUP, "GatewayClass")]
    owners += [
        (doc, "spec.infrastructure.parametersRef", namespace_of(doc))
        for doc in index.of_kind(GATEWAY_GROUP, "Gateway")
    ]
    for doc, path, own_namespace in owners:
        ref = as_map(dig(doc.obj, *path.split(".")))
        name = as_str(ref.get("name"))
        if (
            ref.get("group") != LBC_GATEWAY_GROUP
            or ref.get("kind") != "LoadBalancerConfiguration"
            or not name
        ):
            continue
        namespace = as_str(ref.get("namespace")) or own_namespace
        if index.get(LBC_GATEWAY_GROUP, "LoadBalancerConfiguration", namespace, name) is None:
            # controllers/gateway/gateway_class_controller.go (LBC v3.5.0): the class waits for its
            # parameters.
            message = (
                f"Accepted=False (InvalidParameters): LoadBalancerConfiguration {namespace}/{name} is not "
                "in the "
                f"input, so LBC does not accept the {doc.kind}"
            )
            yield object_finding(doc, CLASS_PARAMETERS, missing_severity(opts), message, path)


def check_backend_kinds(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """On routes of LBC Gateways, backendRefs other than Service, TargetGroupName and Gateway:
    ResolvedRefs=False (InvalidKind)."""
    for route in index.of_kind(GATEWAY_GROUP, *ROUTE_KINDS):
        on_lbc = any(
            found.gateway is not None and gateway_controller(index, found.gateway) in GATES
            for found in attachments(index, route)
        )
        if not on_lbc:
            continue
        for rule_position, rule in maps(dig(route.obj, "spec", "rules")):
            for ref_position, ref in maps(rule.get("backendRefs")):
                kind = as_str(ref.get("kind")) or "Service"
                if kind not in LBC_BACKEND_KINDS:
                    message = (
                        "ResolvedRefs=False (InvalidKind): LBC routes to Service, TargetGroupName or "
                        "Gateway "
                        f"backends, not {kind}; the rule is not programmed"
                    )
                    path = f"spec.rules[{rule_position}].backendRefs[{ref_position}]"
                    yield object_finding(route, BACKEND_KIND, Severity.ERROR, message, path)


MatchKey = tuple[Any, ...]


def check_shadowed_matches(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """Two HTTPRoute/GRPCRoute rules with the same match for the same hostname on one listener: precedence
    (oldest route, then ``{namespace}/{name}`` alphabetically, then rule order) sends all of it to one."""
    for gateway in index.of_kind(GATEWAY_GROUP, "Gateway"):
        listeners = {listener.position: listener for listener in listeners_of(gateway)}
        for position, routes in routes_by_listener(index, gateway).items():
            seen: dict[tuple[str, MatchKey], tuple[Document, int]] = {}
            ordered = sorted(
                (route for route in routes if route.kind in ("HTTPRoute", "GRPCRoute")),
                key=lambda route: (namespace_of(route), route.name or ""),
            )
            for route in ordered:
                for host in _effective_hostnames(route, listeners[position]):
                    for rule_position, key in _match_keys(route):
                        first = seen.setdefault((host, key), (route, rule_position))
                        if first != (route, rule_position):
                            yield _shadowed(route, rule_position, first, host, listeners[position])


def _shadowed(
    route: Document, rule_position: int, first: tuple[Document, int], host: str, listener: Listener
) -> Finding:
    other, other_rule = first
    if other is route:
        message = (
            f"rule {rule_position} repeats a match of rule {other_rule} for {host!r} on listener "
            f"{listener.label}: "
            "the earlier rule takes all of its traffic; merge or change the matches"
        )
        return object_finding(
            route, MATCH_SHADOWED, Severity.WARNING, message, f"spec.rules[{rule_position}]"
        )
    message = (
        f"rule {rule_position} has the same match for {host!r} on listener {listener.label} as "
        f"{object_ref(other)} "
        f"rule {other_rule}: Gateway API gives it to the older route (then by namespace/name), so one of "
        "them gets "
        "no traffic for it; make the matches or hostnames differ"
    )
    return object_finding(route, MATCH_SHADOWED, Severity.ERROR, message, f"spec.rules[{rule_position}]")


def _effective_hostnames(route: Document, listener: Listener) -> list[str]:
    names = [host.lower() for _, host in strings(dig(route.obj, "spec", "hostnames"))]
    if not names:
        return [(listener.hostname or "*").lower()]
    if listener.hostname is None:
        return names
    return [host for host in names if hostnames_intersect(host, listener.hostname)]


def _match_keys(route: Document) -> Iterator[tuple[int, MatchKey]]:
    for rule_position, rule in maps(dig(route.obj, "spec", "rules")):
        matches = [match for _, match in maps(rule.get("matches"))] or [{}]
        for match in matches:
            yield rule_position, _match_key(route.kind, match)


def _match_key(kind: str, match: Mapping[str, Any]) -> MatchKey:
    headers = tuple(
        sorted((str(h.get("name", "")).lower(), str(h.get("value"))) for _, h in maps(match.get("headers")))
    )
    if kind == "GRPCRoute":
        method = as_map(match.get("method"))
        return (method.get("service"), method.get("method"), headers)
    path = as_map(match.get("path"))
    query = tuple(
        sorted((str(q.get("name")), str(q.get("value"))) for _, q in maps(match.get("queryParams")))
    )
    return (path.get("type", "PathPrefix"), path.get("value", "/"), match.get("method"), headers, query)


GATEWAY_LISTENER_STATUS = Lint(
    "gateway-listener-status",
    (LISTENER_CONFLICTED, LISTENER_ROUTE_KINDS, LISTENER_CERTIFICATE),
    check_listeners,
)
GATEWAY_PARAMETERS = Lint("gateway-parameters", (CLASS_PARAMETERS,), check_parameters)
ROUTE_BACKEND_KINDS = Lint("route-backend-kinds", (BACKEND_KIND,), check_backend_kinds)
ROUTE_MATCHES = Lint("route-matches", (MATCH_SHADOWED,), check_shadowed_matches)
