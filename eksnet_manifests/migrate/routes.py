"""An Ingress's routing as HTTPRoutes: one route per set of hosts that share the same rules (lbc-migrate
puts every host of an Ingress on one route, which lets one host's paths answer on the others), each Ingress
path one rule, with its action, conditions, transform and authentication.

Facts from LBC v3.5.0 ``pkg/ingress2gateway/translate/`` (lbc-migrate): forward actions become weighted
backendRefs (external target groups ``kind: TargetGroupName``), redirects RequestRedirect filters (ALB's
``HTTP_301``/``HTTP_302``), fixed responses, forward stickiness, redirect queries and source-ip
conditions a ListenerRuleConfiguration the rule points at with an ExtensionRef; the values of one ALB
condition are OR'd, so each becomes a match of its own; host-header conditions move the rule to a route
with those hostnames; a default backend becomes a rule without matches (a route of its own when the
Ingress has hosts). Gateway API allows 16 rules per route and 64 matches per rule.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eksnet_manifests.migrate.alb.actions import KEEPS_REQUEST
from eksnet_manifests.migrate.alb.rules import gateway_path, glob_to_regex
from eksnet_manifests.migrate.draft import Draft, PathDraft, ServiceRef
from eksnet_manifests.migrate.inputs import Inputs, _list, _map
from eksnet_manifests.migrate.report import Report, failed
from eksnet_manifests.migrate.workload import resolve_port
from eksnet_manifests.versions.external_dns import ALPHA_PREFIX, GA_PREFIX

MAX_RULES, MAX_MATCHES = 16, 64
# The catch-all route of a default backend (lbc-migrate names it "default-route").
DEFAULT_SUFFIX = "-default"
LRC_GROUP = "gateway.k8s.aws"
TARGET_GROUP_NAME = "TargetGroupName"
TARGET_GROUP_ARN = ":targetgroup/"


@dataclass
class RuleDraft:
    """One HTTPRoute rule before its route is named, with its ListenerRule (profile wire) when it "
    "needs one."""

    rule: dict[str, Any]
    listener_rule: dict[str, Any] = field(default_factory=dict)
    hostnames: tuple[str, ...] = ()
    """Hostnames of a route of its own (a host-header condition)."""


@dataclass
class Routes:
    routes: list[dict[str, Any]] = field(default_factory=list)
    listener_rules: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    """(namespace, name, ListenerRule wire) of each ListenerRuleConfiguration."""
    backends: list[tuple[str, str, int, str]] = field(default_factory=list)
    """(namespace, Service, port, route name) of every Service backend."""


def ingress_routes(
    draft: Draft, inputs: Inputs, parents: list[dict[str, Any]], report: Report, dns_prefix: str
) -> Routes:
    namespace = draft.source.namespace
    by_host: dict[str | None, list[RuleDraft]] = {}
    scoped: list[RuleDraft] = []
    for rule in draft.rules:
        for path in rule.paths:
            built = _rule(draft, inputs, path, report)
            if built is None:
                continue
            (scoped if built.hostnames else by_host.setdefault(rule.host, [])).append(built)
    default: RuleDraft | None = None
    if draft.default_backend is not None and draft.default_backend.service is not None:
        default = RuleDraft({"backendRefs": [_service_ref(draft, inputs, draft.default_backend, report)]})
        if not any(host for host in by_host):
            by_host.setdefault(None, []).append(default)
            default = None
    groups: list[tuple[list[str], list[RuleDraft]]] = []
    for host, rules in by_host.items():
        same = next((group for group in groups if _same(group[1], rules)), None)
        if same is not None and host is not None and same[0]:
            same[0].append(host)
        else:
            groups.append(([host] if host else [], rules))
    for built in scoped:
        groups.append((list(built.hostnames), [built]))
    out = Routes()
    base = draft.source.name
    named = [(hostnames, rules, None) for hostnames, rules in groups]
    if default is not None:
        named.append(([], [default], f"{base}{DEFAULT_SUFFIX}"))
    for hostnames, rules, fixed_name in named:
        for start in range(0, len(rules), MAX_RULES):
            name = fixed_name or (base if not out.routes else f"{base}-{len(out.routes) + 1}")
            chunk = rules[start : start + MAX_RULES]
            route = _route(name, namespace, parents, hostnames, chunk, out)
            annotations = dns_annotations(draft, dns_prefix)
            if annotations:
                route["metadata"]["annotations"] = annotations
            out.routes.append(route)
    return out


def _same(first: Sequence[RuleDraft], second: Sequence[RuleDraft]) -> bool:
    return [(r.rule, r.listener_rule) for r in first] == [(r.rule, r.listener_rule) for r in second]


def _route(
    name: str,
    namespace: str,
    parents: list[dict[str, Any]],
    hostnames: list[str],
    rules: list[RuleDraft],
    out: Routes,
) -> dict[str, Any]:
    wire_rules = []
    for position, built in enumerate(rules):
        rule = copy.deepcopy(built.rule)
        if built.listener_rule:
            lrc = f"{name}-rule-{position}"
            out.listener_rules.append((namespace, lrc, built.listener_rule))
            reference = {"group": LRC_GROUP, "kind": "ListenerRuleConfiguration", "name": lrc}
            rule.setdefault("filters", []).append({"type": "ExtensionRef", "extensionRef": reference})
        for ref in rule.get("backendRefs", ()):
            if "kind" not in ref:
                out.backends.append((namespace, ref["name"], ref["port"], name))
        wire_rules.append(rule)
    spec: dict[str, Any] = {"parentRefs": parents}
    if hostnames:
        spec["hostnames"] = hostnames
    spec["rules"] = wire_rules
    return {"kind": "HTTPRoute", "metadata": {"name": name, "namespace": namespace}, "spec": spec}


def dns_annotations(draft: Draft, prefix: str, *, hostnames: bool = False) -> dict[str, str]:
    """The draft's ExternalDNS annotations for its routes: those it carries, its TTL under ``prefix`` (the
    one the pinned ExternalDNS reads), and with ``hostnames`` its hosts (TCPRoutes and UDPRoutes list
    none)."""
    found = {key: value for key, value in draft.raw.items() if key.startswith((ALPHA_PREFIX, GA_PREFIX))}
    if draft.ttl is not None and not any(key.endswith("/ttl") for key in found):
        found[prefix + "ttl"] = str(draft.ttl)
    if hostnames and draft.hostname_annotation and not any(key.endswith("/hostname") for key in found):
        found[prefix + "hostname"] = ",".join(draft.hostname_annotation)
    return dict(sorted(found.items()))


def _rule(draft: Draft, inputs: Inputs, path: PathDraft, report: Report) -> RuleDraft | None:
    kind, value = gateway_path(path, draft.use_regex)
    matches: list[dict[str, Any]] = [{"path": {"type": kind, "value": value}}]
    built = RuleDraft({})
    if draft.authentication:
        built.listener_rule.update(draft.authentication)
    backend = path.backend
    name = backend.action or backend.service or ""
    if backend.action is not None:
        action = draft.actions.get(backend.action)
        if action is None:
            reason = f"the path uses action {backend.action}, which no valid actions.{backend.action} defines"
            report.both(draft.source, backend.at, failed(reason + ": LBC fails the Ingress"))
            return None
        _action(draft, inputs, action, built, report, backend)
    else:
        built.rule["backendRefs"] = [_service_ref(draft, inputs, backend, report)]
    matches = _conditions(draft.conditions.get(name, ()), matches, built)
    if len(matches) > MAX_MATCHES:
        reason = f"its conditions make {len(matches)} matches, more than the {MAX_MATCHES} a rule takes"
        report.both(draft.source, backend.at, failed(reason))
        return None
    built.rule = {"matches": matches, **built.rule}
    rewrite = _rewrite(draft.transforms.get(name, ()))
    if rewrite:
        built.rule.setdefault("filters", []).append({"type": "URLRewrite", "urlRewrite": rewrite})
    return built


def _service_ref(draft: Draft, inputs: Inputs, backend: ServiceRef, report: Report) -> dict[str, Any]:
    port = backend.port
    if not isinstance(port, int):
        service = inputs.service(draft.source.namespace, backend.service or "")
        resolved = resolve_port(service, port) if service is not None else None
        if resolved is None:
            reason = f"port {port!r} of Service {backend.service} is not in the input: give the Service"
            report.both(draft.source, backend.at, failed(reason))
            return {"name": backend.service, "port": 0}
        port = resolved.port
    return {"name": backend.service, "port": port}


def _action(
    draft: Draft,
    inputs: Inputs,
    action: Mapping[str, Any],
    built: RuleDraft,
    report: Report,
    backend: ServiceRef,
) -> None:
    kind = action["type"]
    if kind == "fixed-response":
        config = _map(action.get("fixedResponseConfig"))
        response: dict[str, Any] = {"statusCode": int(str(config.get("statusCode", "200")))}
        for key in ("contentType", "messageBody"):
            if config.get(key):
                response[key] = config[key]
        built.listener_rule["fixedResponse"] = response
    elif kind == "redirect":
        built.rule["filters"] = [{"type": "RequestRedirect", "requestRedirect": _redirect(action, built)}]
    else:
        forward = _map(action.get("forwardConfig"))
        groups = _list(forward.get("targetGroups")) or [action]
        refs = []
        for group in map(_map, groups):
            weighted = {"weight": int(group["weight"])} if "weight" in group else {}
            if "serviceName" in group:
                ref = ServiceRef(str(group["serviceName"]), _port(group.get("servicePort")), at=backend.at)
                refs.append({**_service_ref(draft, inputs, ref, report), **weighted})
            else:
                target = str(group.get("targetGroupName") or group.get("targetGroupARN", ""))
                if TARGET_GROUP_ARN in target:
                    target = target.split(TARGET_GROUP_ARN, 1)[1].split("/", 1)[0]
                refs.append({"kind": TARGET_GROUP_NAME, "name": target, **weighted})
        built.rule["backendRefs"] = refs
        sticky = _map(forward.get("targetGroupStickinessConfig"))
        if sticky.get("enabled"):
            built.listener_rule["stickiness"] = {"duration": int(sticky.get("durationSeconds", 3600))}


def _port(value: Any) -> int | str | None:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _redirect(action: Mapping[str, Any], built: RuleDraft) -> dict[str, Any]:
    config = _map(action.get("redirectConfig"))
    redirect: dict[str, Any] = {}
    protocol = str(config.get("protocol", ""))
    if protocol and "#{" not in protocol:
        redirect["scheme"] = protocol.lower()
    host = str(config.get("host", ""))
    if host and "#{" not in host:
        redirect["hostname"] = host
    port = str(config.get("port", ""))
    if port.isdigit():
        redirect["port"] = int(port)
    path = str(config.get("path", ""))
    if path and "#{" not in path:
        redirect["path"] = {"type": "ReplaceFullPath", "replaceFullPath": path}
    code = str(config.get("statusCode", "HTTP_302")).removeprefix("HTTP_")
    redirect["statusCode"] = int(code) if code.isdigit() else 302
    query = config.get("query")
    if query is not None and query != KEEPS_REQUEST["query"]:
        built.listener_rule["redirectQuery"] = str(query)
    return redirect


def _values(config: Any) -> list[tuple[str, str]]:
    """(value, match type) of a condition config's ``values`` and ``regexValues``."""
    config = _map(config)
    return [(str(v), "Exact") for v in _list(config.get("values"))] + [
        (str(v), "RegularExpression") for v in _list(config.get("regexValues"))
    ]


def _conditions(
    conditions: Sequence[Any], matches: list[dict[str, Any]], built: RuleDraft
) -> list[dict[str, Any]]:
    for condition in map(_map, conditions):
        field_name = condition.get("field")
        if field_name == "host-header":
            built.hostnames = tuple(value for value, _ in _values(condition.get("hostHeaderConfig")))
        elif field_name == "path-pattern":
            extra = []
            for value, kind in _values(condition.get("pathPatternConfig")):
                path = {"type": "RegularExpression", "value": value} if kind != "Exact" else _pattern(value)
                extra += [{**match, "path": path} for match in matches]
            matches = matches + extra
        elif field_name == "http-header":
            config = _map(condition.get("httpHeaderConfig"))
            header = str(config.get("httpHeaderName", ""))
            matches = [
                {
                    **match,
                    "headers": [*match.get("headers", []), {"name": header, "type": kind, "value": value}],
                }
                for match in matches
                for value, kind in _values(config)
            ]
        elif field_name == "http-request-method":
            methods = [value for value, _ in _values(condition.get("httpRequestMethodConfig"))]
            matches = [{**match, "method": method} for match in matches for method in methods]
        elif field_name == "query-string":
            pairs = _list(_map(condition.get("queryStringConfig")).get("values"))
            matches = [
                {**match, "queryParams": [*match.get("queryParams", []), _query(pair)]}
                for match in matches
                for pair in map(_map, pairs)
            ]
        elif field_name == "source-ip":
            built.listener_rule["sourceIps"] = [
                value for value, _ in _values(condition.get("sourceIpConfig"))
            ]
    return matches


def _pattern(value: str) -> dict[str, str]:
    if "*" in value or "?" in value:
        return {"type": "RegularExpression", "value": glob_to_regex(value)}
    return {"type": "Exact", "value": value}


def _query(pair: Mapping[str, Any]) -> dict[str, str]:
    return {"name": str(pair.get("key", "")), "type": "Exact", "value": str(pair.get("value", ""))}


def _rewrite(transforms: Sequence[Any]) -> dict[str, Any]:
    rewrite: dict[str, Any] = {}
    for transform in map(_map, transforms):
        if transform.get("type") == "url-rewrite":
            rewrites = _list(_map(transform.get("urlRewriteConfig")).get("rewrites"))
            if rewrites:
                replace = str(_map(rewrites[0]).get("replace", "/"))
                rewrite["path"] = {"type": "ReplaceFullPath", "replaceFullPath": replace}
        elif transform.get("type") == "host-header-rewrite":
            rewrites = _list(_map(transform.get("hostHeaderRewriteConfig")).get("rewrites"))
            if rewrites:
                rewrite["hostname"] = str(_map(rewrites[0]).get("replace", ""))
    return rewrite
