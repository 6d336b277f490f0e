"""HTTPRoutes and GRPCRoutes on LBC's ALB Gateways: what the ALB controller programs at the pinned release.

The facts are ``versions.lbc_gateway`` (LBC ``route_rule_action.go``, ``route_rule_condition.go``,
``model_build_listener.go`` and the l7gateway.md feature comparison). A route is checked when one of its
parentRefs is a Gateway of class ``gateway.k8s.aws/alb`` in the input; the release is the LBC values'
``image.tag`` (without values, only what no release supports is checked).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.fields import as_int, as_map, as_str, dig, items, maps
from eksnet_manifests.check.lint.gatewayapi import Listener, attachments, gateway_controller
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
)
from eksnet_manifests.check.lint.lbc import ALB_CONTROLLER
from eksnet_manifests.check.lint.values import image_tag
from eksnet_manifests.check.values_files import LBC
from eksnet_manifests.versions import lbc, lbc_gateway
from eksnet_manifests.versions.release import UnknownRelease

FILTER_UNSUPPORTED = "lbc-route-filter-unsupported"
FIELD_UNSUPPORTED = "lbc-route-field-unsupported"
MATCH_UNSUPPORTED = "lbc-route-match-unsupported"
REDIRECT_UNSUPPORTED = "lbc-route-redirect-unsupported"
RULE_CONFIG = "lbc-route-listener-rule-config"
GRPC_LISTENER = "lbc-route-grpc-listener"
TOO_MANY_TARGET_GROUPS = "lbc-route-target-groups"

# ELB API RedirectActionConfig.StatusCode: HTTP_301 or HTTP_302.
ALB_REDIRECT_CODES = (301, 302)
# Elastic Load Balancing quotas (Application Load Balancers): target groups per forward action.
ALB_TARGET_GROUPS_PER_ACTION = 5
# route_rule_action.go getPreRoutingAction callers (LBC v3.5.0): actions run before routing.
PRE_ROUTING_ACTIONS = ("authenticate-oidc", "authenticate-cognito", "jwt-validation")
_GLOB_ONLY = re.compile(r"^[A-Za-z0-9_./*?]*$")


def lbc_release(index: ObjectIndex) -> str | None:
    """The table release of the LBC values' ``image.tag``; None without values or for an unknown release."""
    values = index.values.get(LBC)
    tag = image_tag(values) if values is not None else None
    if tag is None:
        return None
    try:
        return lbc.table_release(tag)
    except UnknownRelease:
        return None


def alb_routes(index: ObjectIndex) -> Iterator[tuple[Document, list[Listener]]]:
    """HTTPRoutes and GRPCRoutes with a parent on an LBC ALB Gateway, and the listeners they attach to."""
    for route in index.of_kind(GATEWAY_GROUP, "HTTPRoute", "GRPCRoute"):
        on_alb = [
            found
            for found in attachments(index, route)
            if found.gateway is not None and gateway_controller(index, found.gateway) == ALB_CONTROLLER
        ]
        if on_alb:
            yield route, [listener for found in on_alb for listener in found.listeners]


def check_alb_routes(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """Filters, rule fields, matches and redirects the ALB controller does not program, and rules whose
    ListenerRuleConfiguration or listener cannot do what the rule says."""
    release = lbc_release(index)
    for route, listeners in alb_routes(index):
        for position, rule in maps(dig(route.obj, "spec", "rules")):
            at = f"spec.rules[{position}]"
            yield from _filters(route, rule, at, release)
            yield from _rule_fields(route, rule, at)
            yield from _matches(route, rule, at, release)
            yield from _rule_configuration(index, opts, route, rule, at, listeners)
            backends = [ref for _, ref in maps(rule.get("backendRefs")) if as_int(ref.get("weight")) != 0]
            if len(backends) > ALB_TARGET_GROUPS_PER_ACTION:
                message = (
                    f"{len(backends)} weighted backends: an ALB forward action takes at most "
                    f"{ALB_TARGET_GROUPS_PER_ACTION} target groups (ELB quota), so LBC fails the listener "
                    "rule; split the rule"
                )
                yield object_finding(
                    route, TOO_MANY_TARGET_GROUPS, Severity.ERROR, message, f"{at}.backendRefs"
                )
        if route.kind == "GRPCRoute":
            plain = [listener for listener in listeners if listener.protocol == "HTTP"]
            if plain:
                # model_build_target_group.go buildTargetGroupProtocolVersion (LBC v3.5.0): HTTP1 off HTTPS.
                message = (
                    f"attaches to HTTP listener {plain[0].label}: LBC gives target groups of HTTP listeners "
                    "protocol version HTTP1, and ALB serves gRPC only on HTTPS listeners; attach to an HTTPS "
                    "listener"
                )
                yield object_finding(route, GRPC_LISTENER, Severity.ERROR, message, "spec.parentRefs")


def _filters(route: Document, rule: Mapping[str, Any], at: str, release: str | None) -> Iterator[Finding]:
    if route.kind == "GRPCRoute":
        supported = lbc_gateway.GRPC_FILTERS
    elif release is not None:
        supported = lbc_gateway.http_filters(release)
    else:
        supported = lbc_gateway.http_filters(lbc.RELEASES[-1])
    for position, entry in maps(rule.get("filters")):
        kind = as_str(entry.get("type")) or ""
        if kind in supported:
            if kind == "RequestRedirect":
                yield from _redirect(route, as_map(entry.get("requestRedirect")), f"{at}.filters[{position}]")
            continue
        if kind in lbc_gateway.UNSUPPORTED_HTTP_FILTERS or route.kind == "GRPCRoute":
            reason = lbc_gateway.UNSUPPORTED_HTTP_FILTERS.get(
                kind, "a GRPCRoute takes ExtensionRef filters only"
            )
            since = ""
        else:
            reason = f"LBC {release} programs {', '.join(sorted(supported))}"
            since = f"; {kind} needs LBC v2.15.0 or newer" if kind == "URLRewrite" else ""
        # route_rule_action.go buildHttpRuleRedirectActionsBasedOnFilter (LBC v3.5.0): other filters fail.
        message = (
            f"{route.kind} filter {kind} is not supported by LBC's ALB Gateways ({reason}){since}: LBC fails "
            "the listener rule and the route's later rules"
        )
        yield object_finding(route, FILTER_UNSUPPORTED, Severity.ERROR, message, f"{at}.filters[{position}]")
    for ref_position, ref in maps(rule.get("backendRefs")):
        if items(ref.get("filters")):
            # routeutils/backend.go (LBC v3.5.0) reads backendRefs without their filters.
            message = "LBC ignores filters on backendRefs; put them on the rule"
            path = f"{at}.backendRefs[{ref_position}].filters"
            yield object_finding(route, FILTER_UNSUPPORTED, Severity.ERROR, message, path)


def _redirect(route: Document, redirect: Mapping[str, Any], at: str) -> Iterator[Finding]:
    code = as_int(redirect.get("statusCode"))
    if code is not None and code not in ALB_REDIRECT_CODES:
        message = f"ALB redirects with 301 or 302 only, not {code}: the ELB API rejects the listener rule"
        yield object_finding(
            route, REDIRECT_UNSUPPORTED, Severity.ERROR, message, f"{at}.requestRedirect.statusCode"
        )
    path = as_map(redirect.get("path"))
    value = as_str(path.get("replaceFullPath")) or as_str(path.get("replacePrefixMatch")) or ""
    if "*" in value or "?" in value:
        # route_rule_action.go buildHttpRedirectAction (LBC v3.5.0).
        message = f"redirect path {value!r} holds a wildcard: LBC fails the listener rule"
        yield object_finding(
            route, REDIRECT_UNSUPPORTED, Severity.ERROR, message, f"{at}.requestRedirect.path"
        )
    if path.get("type") == "ReplacePrefixMatch" and not any(
        redirect.get(key) for key in ("scheme", "hostname", "port")
    ):
        # l7gateway.md (LBC v3.5.0) "ReplacePrefixMatch Limitation".
        message = (
            "ReplacePrefixMatch without a scheme, hostname or port change redirects to itself: ALB rejects "
            "it (InvalidLoadBalancerAction: creates a loop) and LBC stops at this rule; use ReplaceFullPath"
        )
        yield object_finding(
            route, REDIRECT_UNSUPPORTED, Severity.ERROR, message, f"{at}.requestRedirect.path"
        )


def _rule_fields(route: Document, rule: Mapping[str, Any], at: str) -> Iterator[Finding]:
    for field, reason in lbc_gateway.UNSUPPORTED_RULE_FIELDS.items():
        if field in rule:
            message = (
                f"LBC's ALB Gateways do not implement {field} (l7gateway.md feature comparison): {reason}"
            )
            yield object_finding(route, FIELD_UNSUPPORTED, Severity.ERROR, message, f"{at}.{field}")


def _matches(route: Document, rule: Mapping[str, Any], at: str, release: str | None) -> Iterator[Finding]:
    header_regex = release is None or lbc_gateway.at_least(release, lbc_gateway.HEADER_REGEX_SINCE)
    for position, match in maps(rule.get("matches")):
        where = f"{at}.matches[{position}]"
        path = as_map(match.get("path"))
        value = as_str(path.get("value")) or ""
        if path.get("type", "PathPrefix") in ("PathPrefix", "Exact") and ("*" in value or "?" in value):
            # route_rule_condition.go buildHttpPathCondition (LBC v3.5.0).
            message = f"path {value!r} holds '*' or '?': LBC fails the listener rule; use RegularExpression"
            yield object_finding(route, MATCH_UNSUPPORTED, Severity.ERROR, message, f"{where}.path")
        regex_headers = route.kind == "HTTPRoute" and header_regex
        for header_position, header in maps(match.get("headers")):
            if header.get("type") == "RegularExpression" and not regex_headers:
                # route_rule_condition.go buildHttpHeaderCondition / buildGrpcHeaderCondition.
                since = (
                    "GRPCRoute headers"
                    if route.kind == "GRPCRoute"
                    else "HTTPRoute headers before LBC v3.2.0"
                )
                message = (
                    f"LBC matches {since} by exact value, not by regular expression: requests would not match"
                )
                path_at = f"{where}.headers[{header_position}]"
                yield object_finding(route, MATCH_UNSUPPORTED, Severity.ERROR, message, path_at)
        for query_position, query in maps(match.get("queryParams")):
            if query.get("type") == "RegularExpression":
                # route_rule_condition.go buildHttpQueryParamCondition (LBC v3.5.0): values only.
                message = (
                    "LBC matches query parameters by value (ALB: '*' and '?' wildcards), not by regular "
                    "expression"
                )
                path_at = f"{where}.queryParams[{query_position}]"
                yield object_finding(route, MATCH_UNSUPPORTED, Severity.ERROR, message, path_at)
        method = as_map(match.get("method"))
        if route.kind == "GRPCRoute" and method.get("type") == "RegularExpression":
            names = [as_str(method.get(key)) or "" for key in ("service", "method")]
            if not all(_GLOB_ONLY.match(name) for name in names):
                # route_rule_condition.go buildGrpcMethodCondition (LBC v3.5.0): a path pattern, * and ? only.
                message = (
                    "LBC turns gRPC method expressions into ALB path patterns where only '*' and '?' are "
                    "special: other regular expression syntax matches literally"
                )
                yield object_finding(route, MATCH_UNSUPPORTED, Severity.WARNING, message, f"{where}.method")


def _rule_configuration(
    index: ObjectIndex,
    opts: LintOptions,
    route: Document,
    rule: Mapping[str, Any],
    at: str,
    listeners: list[Listener],
) -> Iterator[Finding]:
    refs = [
        (position, ref)
        for position, entry in maps(rule.get("filters"))
        if entry.get("type") == "ExtensionRef"
        for ref in [as_map(entry.get("extensionRef"))]
        if ref.get("group") == LBC_GATEWAY_GROUP and ref.get("kind") == "ListenerRuleConfiguration"
    ]
    if len(refs) > 1:
        # routeutils/backend.go listenerRuleConfigLoader (LBC v3.5.0).
        message = "one ListenerRuleConfiguration per rule: LBC rejects the rule (IncompatibleFilters)"
        yield object_finding(route, RULE_CONFIG, Severity.ERROR, message, f"{at}.filters[{refs[1][0]}]")
    if not refs:
        return
    position, ref = refs[0]
    name = as_str(ref.get("name")) or ""
    path = f"{at}.filters[{position}]"
    config = index.get(LBC_GATEWAY_GROUP, "ListenerRuleConfiguration", namespace_of(route), name)
    if config is None:
        # routeutils/backend.go listenerRuleConfigLoader (LBC v3.5.0): looked up in the route's namespace.
        message = (
            f"ListenerRuleConfiguration {namespace_of(route)}/{name} is not in the input (LBC reads it from "
            "the route's namespace): the rule is not programmed (IncompatibleFilters)"
        )
        yield object_finding(route, RULE_CONFIG, missing_severity(opts), message, path)
        return
    types = [as_str(action.get("type")) for _, action in maps(dig(config.obj, "spec", "actions"))]
    auth = [kind for kind in types if kind in PRE_ROUTING_ACTIONS]
    insecure = [listener for listener in listeners if listener.protocol != "HTTPS"]
    if auth and insecure:
        # model_build_listener.go buildListenerRules (LBC v3.5.0): pre-routing actions on HTTPS only.
        message = (
            f"{auth[0]} of ListenerRuleConfiguration {name} runs on HTTPS listeners only: on listener "
            f"{insecure[0].label} ({insecure[0].protocol}) LBC skips it and serves the rule without "
            "authentication; attach the route to HTTPS listeners only"
        )
        yield object_finding(route, RULE_CONFIG, Severity.ERROR, message, "spec.parentRefs")
    has_redirect = any(entry.get("type") == "RequestRedirect" for _, entry in maps(rule.get("filters")))
    if "redirect" in types and not has_redirect:
        # route_rule_action.go buildHttpRuleRedirectActionsBasedOnFilter (LBC v3.5.0).
        message = (
            f"ListenerRuleConfiguration {name} sets a redirect action, which only adds to a RequestRedirect "
            "filter: LBC fails the rule without one"
        )
        yield object_finding(route, RULE_CONFIG, Severity.ERROR, message, path)
    for _, action in maps(dig(config.obj, "spec", "actions")):
        secret = as_str(dig(action, "authenticateOIDCConfig", "secret", "name"))
        if secret and index.get(CORE, "Secret", namespace_of(config), secret) is None:
            index.notes.append(
                f"ListenerRuleConfiguration {namespace_of(config)}/{name} signs users in with the client "
                f"credentials of Secret {secret} (keys clientID and clientSecret), which must exist in "
                f"{namespace_of(config)}: eksnet writes and checks no Secrets"
            )


ALB_ROUTES = Lint(
    "lbc-alb-routes",
    (
        FILTER_UNSUPPORTED,
        FIELD_UNSUPPORTED,
        MATCH_UNSUPPORTED,
        REDIRECT_UNSUPPORTED,
        RULE_CONFIG,
        GRPC_LISTENER,
        TOO_MANY_TARGET_GROUPS,
    ),
    check_alb_routes,
)
