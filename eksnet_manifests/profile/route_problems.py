"""Cross-field rules of a gateway app's ``expose``: the Gateway, ListenerSet and listener it names,
the route kind the listener takes, and rules that fit the kind and the pinned LBC's CRDs.

What the generated route can tell (admission, backends, the filters the pinned LBC programs) is checked
on the objects by ``check/`` and shown at the profile line.
"""

from __future__ import annotations

from collections.abc import Sequence

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.attachment import all_listeners, attachment
from eksnet_manifests.profile.controllers import GatewayApi
from eksnet_manifests.profile.exposure import GatewayExposure
from eksnet_manifests.profile.gateway import ROUTE_KINDS_BY_PROTOCOL
from eksnet_manifests.profile.gateway_problems import Found, Path, given_fields, needs_release, table_release
from eksnet_manifests.profile.routes import L7_ROUTE_KINDS, GrpcMethod, RouteRule


def app_gateway_problems(gateway_api: GatewayApi, apps: Sequence[App], index: int, lbc_version: str) -> Found:
    """Rules of one gateway app's ``expose`` (paths under ``apps[index]``)."""
    app = apps[index]
    yield from _app_release_problems(app.expose, lbc_version)
    expose = app.expose
    assert isinstance(expose, GatewayExposure)
    at: Path = ("expose",)
    if expose.gateway is not None and gateway_api.gateway(expose.gateway) is None:
        known = ", ".join(gateway.name for gateway in gateway_api.gateways) or "none declared"
        yield (*at, "gateway"), f"no Gateway {expose.gateway!r} in gatewayApi.gateways ({known})"
        return
    gateway = gateway_api.gateway(expose.gateway)
    assert gateway is not None
    if expose.listener_set is not None and gateway.listener_set(expose.listener_set) is None:
        yield (*at, "listenerSet"), f"Gateway {gateway.name!r} has no ListenerSet {expose.listener_set!r}"
        return
    found = attachment(gateway_api, expose)
    if found is None:
        if expose.gateway is None and expose.section_name == "https":
            yield (*at, "sectionName"), "the Gateway has no https listener: set gatewayApi.tls"
        else:
            owner = (
                f"ListenerSet {expose.listener_set!r}" if expose.listener_set else f"Gateway {gateway.name!r}"
            )
            names = ", ".join(listener.name for listener in all_listeners(gateway))
            yield (
                (*at, "sectionName"),
                f"{owner} has no listener {expose.section_name!r} (listeners: {names})",
            )
        return
    listener = found.listener
    admitted = listener.kinds or ROUTE_KINDS_BY_PROTOCOL[listener.protocol]
    if found.kind not in admitted:
        yield (
            (*at, "kind"),
            (
                f"listener {listener.name!r} ({listener.protocol}) takes {', '.join(admitted)}, "
                f"not {found.kind}: the route would never attach (NotAllowedByListeners)"
            ),
        )
    if gateway.redirect_http_to_https and listener.protocol == "HTTP":
        yield (
            (*at, "sectionName"),
            (
                f"Gateway {gateway.name!r} redirects every request on listener {listener.name!r} to HTTPS "
                "(redirectHttpToHttps): attach the app to an HTTPS listener"
            ),
        )
    yield from _rules_problems(expose, found.kind, apps)


def _app_release_problems(expose: object, lbc_version: str) -> Found:
    """Target group and listener rule fields the pinned LBC's CRDs do not have yet."""
    assert isinstance(expose, GatewayExposure)
    release = table_release(lbc_version)
    if expose.target_group is not None and expose.target_group.target_control_port is not None:
        message = needs_release(release, "TargetGroupConfiguration", "defaultConfiguration.targetControlPort",
                         "targetControlPort", lbc_version)  # fmt: skip
        if message:
            yield ("expose", "targetGroup", "targetControlPort"), message
    for position, rule in enumerate(expose.rules):
        if rule.listener_rule is not None and rule.listener_rule.jwt_validation is not None:
            message = needs_release(release, "ListenerRuleConfiguration", "actions[].jwtValidationConfig",
                             "jwtValidation", lbc_version)  # fmt: skip
            if message:
                yield ("expose", "rules", position, "listenerRule", "jwtValidation"), message


def _rules_problems(expose: GatewayExposure, kind: str, apps: Sequence[App]) -> Found:
    if not expose.rules:
        return
    names = {app.name: app for app in apps}
    l7 = kind in L7_ROUTE_KINDS
    if not l7 and len(expose.rules) > 1:
        yield ("expose", "rules", 1), f"a {kind} takes one rule (its backends): merge the rules"
    for position, rule in enumerate(expose.rules):
        at: Path = ("expose", "rules", position)
        if not l7:
            extra = [key for key in given_fields(rule) if key != "backends"]
            if extra:
                yield (*at, extra[0]), f"{kind} rules take backends only, not {extra[0]}"
        if kind != "HTTPRoute":
            for key in ("requestRedirect", "urlRewrite"):
                if key in given_fields(rule):
                    yield (*at, key), f"{key} is an HTTPRoute filter; a {kind} has no {key}"
        yield from _matches_problems(rule, kind, at)
        for backend_position, backend in enumerate(rule.backends):
            target = names.get(backend.app)
            path: Path = (*at, "backends", backend_position)
            if target is None:
                yield (*path, "app"), f"no app {backend.app!r} in the profile: backends name apps"
            elif backend.port is not None and backend.port != (target.service_port or backend.port):
                yield (
                    (*path, "port"),
                    f"app {backend.app!r} serves port {target.service_port}, not {backend.port}",
                )


def _matches_problems(rule: RouteRule, kind: str, at: Path) -> Found:
    for position, match in enumerate(rule.matches):
        path: Path = (*at, "matches", position)
        if kind == "GRPCRoute":
            for key in ("path", "queryParams"):
                if key in given_fields(match):
                    yield (*path, key), f"{key} matches HTTP requests; a GRPCRoute matches method and headers"
            if match.method is not None and not isinstance(match.method, GrpcMethod):
                yield (*path, "method"), "a GRPCRoute method is {service, method}, not an HTTP method"
        elif kind == "HTTPRoute" and isinstance(match.method, GrpcMethod):
            yield (
                (*path, "method"),
                "an HTTPRoute method is an HTTP method such as GET; {service, method} is for GRPCRoute",
            )
        elif kind not in L7_ROUTE_KINDS:
            yield path, f"{kind} rules have no matches"
