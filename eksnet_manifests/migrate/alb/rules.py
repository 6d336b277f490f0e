"""Routing: ``spec.rules`` (hosts, paths, backends), ``spec.defaultBackend`` and the IngressClass.

Path types keep their meaning on both targets: LBC turns ``Prefix /a`` into the ALB path patterns ``/a``
and ``/a/*``, as its Gateway controller does for ``PathPrefix /a``; an ``ImplementationSpecific`` path is
an ALB path pattern (``*`` any characters, ``?`` one: a RegularExpression match on Gateway API, or Exact
without wildcards), or a regular expression with ``use-regex-path-match`` (LBC docs
``guide/ingress/annotations.md``, v3.5.0). A default backend has no Gateway API form: lbc-migrate writes
a catch-all route (``lbc_migrate_reference.md`` "Default Backend Handling").
"""

from __future__ import annotations

from typing import Any

from eksnet_manifests.migrate.alb.actions import USE_ANNOTATION
from eksnet_manifests.migrate.draft import Draft, PathDraft, RuleDraft, ServiceRef
from eksnet_manifests.migrate.inputs import LEGACY_CLASS_ANNOTATION, Resource, _list, _map
from eksnet_manifests.migrate.report import Report, annotation_field, approximated, dropped, translated

KEYS: tuple[str, ...] = ()
DEFAULT_BACKEND = approximated(
    "HTTPRoute (catch-all)",
    "a route without hostnames or matches instead of the listener's default action: one more listener rule, "
    "and a target group of its own",
)
RESOURCE_BACKEND = "LBC routes to Services only, not to resource backends"
WILDCARDS = ("*", "?")


def backend_of(backend: Any, at: str) -> ServiceRef | None:
    service = _map(_map(backend).get("service"))
    if not service:
        return None
    port = _map(service.get("port"))
    name = str(service.get("name", ""))
    if port.get("name") == USE_ANNOTATION:
        return ServiceRef(action=name, at=at)
    return ServiceRef(service=name, port=port.get("number") or port.get("name"), at=at)


def gateway_path(path: PathDraft, use_regex: bool) -> tuple[str, str]:
    """The HTTPRoute path match type and value of an Ingress path."""
    if path.path_type == "Exact":
        return "Exact", path.path
    if path.path_type == "ImplementationSpecific":
        if use_regex:
            return "RegularExpression", path.path.removeprefix("/") if len(path.path) > 1 else path.path
        if not any(char in path.path for char in WILDCARDS):
            return "Exact", path.path
        return "RegularExpression", glob_to_regex(path.path)
    return "PathPrefix", path.path


def glob_to_regex(pattern: str) -> str:
    """An ALB path pattern as the anchored regular expression matching the same paths."""
    escaped = "".join(
        ".*" if char == "*" else "." if char == "?" else ("\\" + char if char in r".^$+()[]{}|\\" else char)
        for char in pattern
    )
    return f"^{escaped}$"


def translate(ingress: Resource, draft: Draft, report: Report) -> None:
    spec = ingress.spec
    source = ingress.source
    if "ingressClassName" not in spec and LEGACY_CLASS_ANNOTATION not in ingress.annotations:
        assumed = approximated(
            "loadBalancerController.ingressClass",
            "no class: LBC takes the Ingress only when its IngressClass is the cluster's default; eksnet "
            "writes spec.ingressClassName",
        )
        report.add(source, "spec.ingressClassName", assumed, translated("Gateway spec.gatewayClassName"))
    if "ingressClassName" in spec:
        report.add(
            source,
            "spec.ingressClassName",
            translated("loadBalancerController.ingressClass"),
            translated("Gateway spec.gatewayClassName", "the GatewayClass of LBC's ALB controller"),
            ingress.line_of("spec.ingressClassName"),
        )
    if LEGACY_CLASS_ANNOTATION in ingress.annotations:
        path = annotation_field(LEGACY_CLASS_ANNOTATION)
        report.add(
            source,
            path,
            approximated(
                "loadBalancerController.ingressClass", "written as spec.ingressClassName, which replaces it"
            ),
            translated("Gateway spec.gatewayClassName", "the GatewayClass of LBC's ALB controller"),
            ingress.line_of(path),
        )
    draft.ingress_class = str(
        spec.get("ingressClassName") or ingress.annotations.get(LEGACY_CLASS_ANNOTATION) or ""
    )
    draft.ingress_class = draft.ingress_class or None
    for index, raw in enumerate(_list(spec.get("rules"))):
        rule = _map(raw)
        at = f"spec.rules[{index}]"
        host = str(rule["host"]) if rule.get("host") else None
        if host is not None:
            report.add(
                source,
                f"{at}.host",
                translated("expose.hosts"),
                translated("HTTPRoute spec.hostnames"),
                ingress.line_of(f"{at}.host"),
            )
        drafted = RuleDraft(host)
        for position, entry in enumerate(_list(_map(rule.get("http")).get("paths"))):
            path_at = f"{at}.http.paths[{position}]"
            _path(ingress, _map(entry), path_at, drafted, draft, report)
        draft.rules.append(drafted)
    if "defaultBackend" in spec:
        backend = backend_of(spec["defaultBackend"], "spec.defaultBackend")
        line = ingress.line_of("spec.defaultBackend")
        if backend is None:
            report.both(source, "spec.defaultBackend", dropped(RESOURCE_BACKEND), line)
        else:
            draft.default_backend = backend
            report.add(
                source, "spec.defaultBackend", translated("expose.defaultBackend"), DEFAULT_BACKEND, line
            )


def _path(
    ingress: Resource, entry: dict[str, Any], at: str, rule: RuleDraft, draft: Draft, report: Report
) -> None:
    line = ingress.line_of(at)
    backend = backend_of(entry.get("backend"), f"{at}.backend")
    if backend is None:
        report.both(ingress.source, at, dropped(RESOURCE_BACKEND), line)
        return
    path = PathDraft(
        str(entry.get("path") or "/"), str(entry.get("pathType") or "ImplementationSpecific"), backend
    )
    rule.paths.append(path)
    kind, value = gateway_path(path, _regex(ingress))
    gateway = translated("HTTPRoute spec.rules[].matches[].path", f"{kind} {value}")
    if path.path_type == "ImplementationSpecific" and kind == "RegularExpression" and not _regex(ingress):
        gateway = translated(
            "HTTPRoute spec.rules[].matches[].path", f"the ALB path pattern as RegularExpression {value}"
        )
    report.add(ingress.source, at, translated("expose.rules"), gateway, line)


def _regex(ingress: Resource) -> bool:
    return ingress.annotations.get("alb.ingress.kubernetes.io/use-regex-path-match", "").lower() == "true"
