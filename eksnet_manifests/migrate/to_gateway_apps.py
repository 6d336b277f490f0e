"""The Gateway API output as a profile fragment: the Gateways in ``gatewayApi.gateways`` and each route as
the ``gateway`` exposure of an app (``expose.gateway``, ``sectionName``, ``hosts``, ``rules``).

An eksnet app carries one route on one listener, so each route goes to the first Service it sends traffic
to that carries no other; a route attached to several listeners keeps the HTTPS one (else the first), and
what the profile cannot say (external target groups, a route left without an app) is reported. The
backend Services become apps of their own, as with ``--to profile``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eksnet_manifests.migrate.inputs import Inputs
from eksnet_manifests.migrate.report import Report, Source, approximated, dropped
from eksnet_manifests.migrate.workload import app_fields, resolve_port

ROUTE_KINDS = ("HTTPRoute", "TCPRoute", "UDPRoute", "TLSRoute")
AS_APPS = "as gateway apps"


def _match(match: dict[str, Any]) -> dict[str, Any]:
    wire: dict[str, Any] = {}
    if "path" in match:
        wire["path"] = dict(match["path"])
    for key in ("headers", "queryParams"):
        if match.get(key):
            wire[key] = [
                {"name": m["name"], "value": m["value"], "type": m.get("type", "Exact")} for m in match[key]
            ]
    if "method" in match:
        wire["method"] = match["method"]
    return wire


def _path(modifier: dict[str, Any]) -> dict[str, Any]:
    value = modifier.get("replaceFullPath", modifier.get("replacePrefixMatch"))
    return {"type": modifier["type"], "value": value}


def _rule(
    rule: dict[str, Any],
    listener_rules: dict[str, dict[str, Any]],
    ports: dict[str, int | None],
    target_groups: dict[str, dict[str, Any]],
    lost: list[str],
) -> dict[str, Any]:
    wire: dict[str, Any] = {}
    if rule.get("matches"):
        wire["matches"] = [_match(match) for match in rule["matches"]]
    backends = []
    for ref in rule.get("backendRefs", ()):
        if ref.get("kind"):
            lost.append(f"backend {ref['kind']} {ref['name']} (a profile backend is an app)")
            continue
        backend: dict[str, Any] = {"app": ref["name"]}
        if ref.get("port") != ports.get(ref["name"]):
            backend["port"] = ref["port"]
        if "weight" in ref:
            backend["weight"] = ref["weight"]
        settings = target_groups.pop(ref["name"], None)
        if settings:
            backend["targetGroup"] = settings
        backends.append(backend)
    if backends:
        wire["backends"] = backends
    for item in rule.get("filters", ()):
        if item["type"] == "RequestRedirect":
            redirect = dict(item["requestRedirect"])
            if "path" in redirect:
                redirect["path"] = _path(redirect["path"])
            wire["requestRedirect"] = redirect
        elif item["type"] == "URLRewrite":
            rewrite = dict(item["urlRewrite"])
            if "path" in rewrite:
                rewrite["path"] = _path(rewrite["path"])
            wire["urlRewrite"] = rewrite
        elif item["type"] == "ExtensionRef":
            wire["listenerRule"] = listener_rules[item["extensionRef"]["name"]]
    return wire


def _section(route: dict[str, Any]) -> tuple[str, str, bool]:
    """(Gateway, listener) the app attaches to, and whether the route had other listeners."""
    parents = route["spec"]["parentRefs"]
    chosen = next((parent for parent in parents if parent["sectionName"].startswith("https")), parents[0])
    return chosen["name"], chosen["sectionName"], len(parents) > 1


def _target_group(settings: dict[str, Any]) -> dict[str, Any]:
    """A TargetGroupSettings wire dict as the exposure's ``protocol``, ``healthCheck`` and ``targetGroup``."""
    wire: dict[str, Any] = {}
    rest = {key: value for key, value in settings.items() if key not in ("protocol", "healthCheck")}
    if "protocol" in settings:
        wire["protocol"] = settings["protocol"]
    if "healthCheck" in settings:
        wire["healthCheck"] = settings["healthCheck"]
    if rest:
        wire["targetGroup"] = rest
    return wire


def gateway_apps(
    inputs: Inputs,
    gateways: Sequence[dict[str, Any]],
    routes: Sequence[tuple[Source, dict[str, Any]]],
    listener_rules: dict[tuple[str, str], dict[str, Any]],
    target_groups: dict[tuple[str, str], dict[str, Any]],
    report: Report,
) -> dict[str, Any]:
    """The profile fragment of the Gateways and routes; ``routes`` pairs each route with its source."""
    apps: dict[tuple[str, str], dict[str, Any]] = {}
    scratch = Report()
    for source, route in routes:
        namespace = route["metadata"]["namespace"]
        services = [
            ref["name"]
            for rule in route["spec"]["rules"]
            for ref in rule.get("backendRefs", ())
            if not ref.get("kind")
        ]
        for name in services:
            if (namespace, name) not in apps:
                apps[(namespace, name)] = _app(inputs, namespace, name, route, scratch)
        owner = next((name for name in services if "expose" not in apps[(namespace, name)]), None)
        if owner is None:
            reason = f"{AS_APPS}: route {route['metadata']['name']} has no Service of its own to carry it"
            report.add(source, "metadata.name", dropped(reason), dropped(reason))
            continue
        gateway, section, more = _section(route)
        lost: list[str] = []
        ports = {name: app.get("servicePort") for (ns, name), app in apps.items() if ns == namespace}
        lrcs = {name: rule for (ns, name), rule in listener_rules.items() if ns == namespace}
        expose: dict[str, Any] = {"type": "gateway", "gateway": gateway, "sectionName": section}
        if route["kind"] != "HTTPRoute":
            expose["kind"] = route["kind"]
        hosts = route["spec"].get("hostnames") or _annotated_hosts(route)
        if hosts:
            expose["hosts"] = list(hosts)
        expose |= _target_group(target_groups.get((namespace, owner), {}))
        if route["kind"] == "HTTPRoute":
            # Other backends' target group settings go with their first backend of the route.
            others = {
                name: settings
                for (ns, name), settings in target_groups.items()
                if ns == namespace and name != owner and name in services
            }
            expose["rules"] = [_rule(rule, lrcs, ports, others, lost) for rule in route["spec"]["rules"]]
        apps[(namespace, owner)]["expose"] = expose
        if more:
            lost.append(f"the other listeners than {section} (an app attaches to one)")
        if lost:
            outcome = approximated(f"apps[{owner}].expose", f"{AS_APPS}: without {'; '.join(lost)}")
            report.add(source, "metadata.name", outcome, outcome)
    return {
        "gatewayApi": {"gateways": list(gateways)},
        "apps": [apps[key] for key in sorted(apps)],
    }


def _annotated_hosts(route: dict[str, Any]) -> list[str]:
    annotations = route["metadata"].get("annotations") or {}
    value = next((v for k, v in annotations.items() if k.endswith("/hostname")), "")
    return [host for host in value.split(",") if host]


def _app(inputs: Inputs, namespace: str, name: str, route: dict[str, Any], scratch: Report) -> dict[str, Any]:
    service = inputs.service(namespace, name)
    if service is None:
        return {"name": name, "namespace": namespace}
    used = {
        ref["port"]
        for rule in route["spec"]["rules"]
        for ref in rule.get("backendRefs", ())
        if ref.get("name") == name
    }
    chosen = [port for number in sorted(used) if (port := resolve_port(service, number)) is not None][:1]
    return app_fields(service, chosen, inputs, scratch)
