"""Drafts -> an eksnet profile fragment: one app per Service, ``alb`` exposures for Ingresses and ``nlb``
exposures for NLB Services, rendering back to the same load balancer settings, hosts, paths and
backends.

An Ingress becomes the exposure of the app of the first Service it routes to that carries no other
exposure; its other Services become apps of their own (without exposure, or with theirs). eksnet names
the Ingress after that app. An Ingress whose routing one host list and one path prefix express keeps that
short form (``hosts``, ``pathPrefix``); others get ``rules`` and ``defaultBackend``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from eksnet_manifests.migrate.draft import Draft, PathDraft, ServiceDraft, ServicePort, ServiceRef
from eksnet_manifests.migrate.fields import nest
from eksnet_manifests.migrate.inputs import Inputs, Resource
from eksnet_manifests.migrate.report import Report, Source, Status, Target, approximated, failed, translated
from eksnet_manifests.migrate.workload import app_fields, resolve_port
from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.profile import Profile

DEFAULT_CLASS = "alb"
PROFILE_KEYS = ("loadBalancerController", "apps")


@dataclass
class ProfileFragment:
    """The ``loadBalancerController`` settings and ``apps`` the input implies."""

    data: dict[str, Any] = field(default_factory=dict)
    apps: dict[str, dict[str, Any]] = field(default_factory=dict)
    """App name -> its wire dict (``namespace/name`` keys while building)."""


Key = tuple[str, str]


def build_profile(
    inputs: Inputs, drafts: Sequence[Draft], services: Sequence[ServiceDraft], report: Report
) -> ProfileFragment:
    apps: dict[Key, dict[str, Any]] = {}
    owner_of: dict[Key, str] = {}
    for draft in services:
        _nlb_app(inputs, draft, apps, owner_of, report)
    for draft in sorted(drafts, key=_group_order):
        _alb_app(inputs, draft, apps, owner_of, report)
    fragment = ProfileFragment()
    classes = sorted(
        {draft.ingress_class for draft in drafts if draft.ingress_class not in (None, DEFAULT_CLASS)}
    )
    if classes:
        fragment.data["loadBalancerController"] = {"ingressClass": classes[0]}
        for draft in drafts:
            if draft.ingress_class not in (None, DEFAULT_CLASS, classes[0]):
                report.add(
                    draft.source,
                    "spec.ingressClassName",
                    approximated(
                        "loadBalancerController.ingressClass",
                        "a profile has one IngressClass: this Ingress moves from "
                        f"{draft.ingress_class} to {classes[0]}",
                    ),
                    translated("Gateway spec.gatewayClassName"),
                )
    names: dict[str, Key] = {}
    for key, app in sorted(apps.items()):
        if app["name"] in names:
            first = names[app["name"]]
            reason = f"apps are named after their Service, and {first[0]}/{first[1]} has the same name"
            report.both(_service_source(inputs, key), "metadata.name", failed(reason))
            continue
        names[app["name"]] = key
        _validated(inputs, key, app, report)
        fragment.apps[app["name"]] = app
    fragment.data["apps"] = [fragment.apps[name] for name in sorted(fragment.apps)]
    for ref, owner in owner_of.items():
        report.owners[(ref, Target.PROFILE)] = owner
    return fragment


def _group_order(draft: Draft) -> tuple[str, int, str, str]:
    return (draft.group_name or "", draft.group_order, draft.source.namespace, draft.source.name)


def _service_source(inputs: Inputs, key: Key) -> Source:
    service = inputs.service(*key)
    return service.source if service is not None else Source("Service", key[0], key[1])


def _validated(inputs: Inputs, key: Key, app: dict[str, Any], report: Report) -> None:
    try:
        App.model_validate(app)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            reason = f"the migrated app is not a valid profile app: {where}: {error['msg']}"
            report.both(_service_source(inputs, key), "metadata.name", failed(reason))


def _protocol(ports: Sequence[ServicePort]) -> str:
    protocols = {port.protocol for port in ports}
    return "TCP_UDP" if {"TCP", "UDP"} <= protocols else next(iter(protocols), "TCP")


def _nlb_app(
    inputs: Inputs,
    draft: ServiceDraft,
    apps: dict[Key, dict[str, Any]],
    owner_of: dict[str, str],
    report: Report,
) -> None:
    service = inputs.service(draft.source.namespace, draft.source.name)
    assert service is not None
    chosen = [port for port in draft.ports if draft.ports and port.port == draft.ports[0].port]
    app = app_fields(service, chosen, inputs, report)
    expose: dict[str, Any] = {"type": "nlb", **nest(draft.settings)}
    if _protocol(chosen) != "TCP":
        expose["protocol"] = _protocol(chosen)
    if draft.hostname_annotation:
        expose["hosts"] = list(draft.hostname_annotation)
    if draft.ttl is not None:
        expose["ttl"] = draft.ttl
    if draft.raw:
        expose["annotations"] = dict(sorted(draft.raw.items()))
    app["expose"] = expose
    apps[(service.namespace, service.name)] = app
    owner_of[service.source.ref] = service.name


def _alb_app(
    inputs: Inputs, draft: Draft, apps: dict[Key, dict[str, Any]], owner_of: dict[str, str], report: Report
) -> None:
    namespace = draft.source.namespace
    owner = next(
        (name for name in draft.services() if apps.get((namespace, name), {}).get("expose") is None), None
    )
    if owner is None:
        reason = (
            "every Service it routes to already carries a load balancer, and an eksnet app has one exposure: "
            "give it a Service of its own"
            if draft.services()
            else "it routes to no Service (only actions): eksnet attaches an Ingress to an app"
        )
        report.both(draft.source, "metadata.name", failed(reason))
        return
    for name in draft.services():
        if (namespace, name) not in apps:
            apps[(namespace, name)] = _backend_app(inputs, draft, namespace, name, report)
    app = apps[(namespace, owner)]
    expose = _alb_exposure(inputs, draft, owner, apps, report)
    app["expose"] = expose
    owner_of[draft.source.ref] = owner
    outcome = (
        translated("name")
        if owner == draft.source.name
        else approximated(
            "name",
            f"eksnet names the Ingress after its app, {owner}"
            + ("" if draft.group_name else ": LBC makes a new ALB for it (see the cut-over plan)"),
        )
    )
    report.add(draft.source, "metadata.name", outcome, translated("HTTPRoute metadata.name"))


def _backend_app(inputs: Inputs, draft: Draft, namespace: str, name: str, report: Report) -> dict[str, Any]:
    service = inputs.service(namespace, name)
    refs = [ref for ref in _refs(draft) if ref.service == name]
    if service is None:
        port = next((ref.port for ref in refs if isinstance(ref.port, int)), None)
        at = refs[0].at if refs else "metadata.name"
        report.both(
            draft.source,
            at,
            approximated(
                f"apps[{name}]",
                f"Service {namespace}/{name} is not in the input: eksnet writes one, port "
                f"{port or 'defaults.servicePort'} to defaults.port; give the Service and its "
                "Deployment as input",
            ),
        )
        return {"name": name, "namespace": namespace, **({"servicePort": port} if port else {})}
    chosen = [port for ref in refs if (port := resolve_port(service, ref.port)) is not None]
    numbers = {port.port for port in chosen[:1]}
    return app_fields(service, [port for port in chosen if port.port in numbers], inputs, report)


def _refs(draft: Draft) -> list[ServiceRef]:
    """The draft's Service backends: paths, default backend, and the target groups of forward actions."""
    refs = [path.backend for rule in draft.rules for path in rule.paths]
    refs += [draft.default_backend] if draft.default_backend is not None else []
    for action in draft.actions.values():
        for group in (action.get("forwardConfig") or {}).get("targetGroups") or ():
            if isinstance(group, dict) and "serviceName" in group:
                port = group.get("servicePort")
                port = int(port) if isinstance(port, str) and port.isdigit() else port
                refs.append(ServiceRef(str(group["serviceName"]), port, at="metadata.annotations"))
    return refs


def _alb_exposure(
    inputs: Inputs, draft: Draft, owner: str, apps: dict[Key, dict[str, Any]], report: Report
) -> dict[str, Any]:
    namespace = draft.source.namespace
    expose: dict[str, Any] = {"type": "alb", **nest(draft.settings)}
    hosts = list(dict.fromkeys(rule.host for rule in draft.rules if rule.host))
    if hosts:
        expose["hosts"] = hosts
    owner_service = inputs.service(namespace, owner)
    if owner_service is not None and owner_service.spec.get("type") == "NodePort":
        expose["serviceType"] = "NodePort"
    if draft.ttl is not None:
        expose["ttl"] = draft.ttl
    if draft.raw:
        expose["annotations"] = dict(sorted(draft.raw.items()))
    ports = {key[1]: app.get("servicePort") for key, app in apps.items() if key[0] == namespace}
    short = _path_prefix(draft, owner, ports)
    if short is not None:
        if short != "/":
            expose["pathPrefix"] = short
        _retarget(report, draft.source, "expose.rules", "expose.pathPrefix")
        return expose
    rules = []
    for rule in draft.rules:
        paths = [_path(path, owner, ports, inputs, namespace) for path in rule.paths]
        if paths:
            rules.append({**({"host": rule.host} if rule.host else {}), "paths": paths})
    expose["rules"] = rules
    if draft.default_backend is not None:
        expose["defaultBackend"] = _backend(draft.default_backend, owner, ports, inputs, namespace)
    return expose


def _path_prefix(draft: Draft, owner: str, ports: dict[str, Any]) -> str | None:
    """The one path prefix of an Ingress that routes every host's one Prefix path to ``owner``."""
    if draft.default_backend is not None or not draft.rules:
        return None
    paths = [rule.paths for rule in draft.rules]
    if any(len(found) != 1 for found in paths):
        return None
    if sum(rule.host is None for rule in draft.rules) > (0 if len(draft.rules) > 1 else 1):
        return None
    first: PathDraft = paths[0][0]
    for (path,) in paths:
        backend = path.backend
        if path.path_type != "Prefix" or path.path != first.path or backend.service != owner:
            return None
        if backend.port not in (None, ports.get(owner)) and not isinstance(backend.port, str):
            return None
    return first.path


def _backend(
    ref: ServiceRef, owner: str, ports: dict[str, Any], inputs: Inputs, namespace: str
) -> dict[str, Any]:
    if ref.action is not None:
        return {"action": ref.action}
    wire: dict[str, Any] = {}
    name = ref.service or owner
    if name != owner:
        wire["app"] = name
    number = _number(inputs.service(namespace, name), ref.port)
    if number is not None and number != ports.get(name):
        wire["port"] = number
    return wire


def _number(service: Resource | None, port: int | str | None) -> int | None:
    if isinstance(port, int):
        return port
    resolved = resolve_port(service, port) if service is not None else None
    return resolved.port if resolved is not None else None


def _path(
    path: PathDraft, owner: str, ports: dict[str, Any], inputs: Inputs, namespace: str
) -> dict[str, Any]:
    wire: dict[str, Any] = {"path": path.path}
    if path.path_type != "Prefix":
        wire["pathType"] = path.path_type
    return {**wire, **_backend(path.backend, owner, ports, inputs, namespace)}


def _retarget(report: Report, source: Source, old: str, new: str) -> None:
    for index, entry in enumerate(report.entries):
        if entry.source == source and entry.profile.to == old and entry.profile.status is not Status.ERROR:
            report.entries[index] = replace(entry, profile=replace(entry.profile, to=new))


PROFILE_FILE = "profile.yaml"
APP_ORDER = (
    "name", "namespace", "image", "port", "servicePort", "replicas", "env", "resources", "imagePullPolicy",
    "terminationGracePeriodSeconds", "labels", "expose",
)  # fmt: skip
EXPOSE_FIRST = ("type", "gateway", "sectionName", "kind", "hosts", "ttl")
EXPOSE_LAST = ("pathPrefix", "rules", "defaultBackend", "annotations")


def _ordered_app(app: dict[str, Any]) -> dict[str, Any]:
    ordered = {key: app[key] for key in APP_ORDER if key in app}
    expose = app.get("expose")
    if isinstance(expose, dict):
        middle = sorted(key for key in expose if key not in (*EXPOSE_FIRST, *EXPOSE_LAST))
        ordered["expose"] = {
            key: expose[key] for key in (*EXPOSE_FIRST, *middle, *EXPOSE_LAST) if key in expose
        }
    return ordered


def render_fragment(fragment: dict[str, Any]) -> str:
    """The profile fragment as YAML, apps in a fixed key order, with a header saying where it goes."""
    import yaml

    data = {key: value for key, value in fragment.items() if key != "apps"}
    data["apps"] = [_ordered_app(app) for app in fragment.get("apps", ())]
    header = (
        "# Written by eksnet migrate: merge these entries into your profile (eksnet.yaml); the report says\n"
        "# what each field came from and what could not be carried over.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, default_flow_style=False, width=100)


def with_fragment(base: Profile, fragment: dict[str, Any]) -> Profile:
    """``base`` with the fragment's apps (replacing apps of the same name) and controller settings."""
    from eksnet_manifests.profile.base import dump

    data = dump(base)
    migrated = {app["name"]: app for app in fragment.get("apps", ())}
    data["apps"] = [app for app in data.get("apps", ()) if app["name"] not in migrated] + list(
        migrated.values()
    )
    controller = fragment.get("loadBalancerController")
    if controller:
        data["loadBalancerController"] = {**data.get("loadBalancerController", {}), **controller}
    sources = fragment.get("externalDns", {}).get("sources")
    if sources:
        data.setdefault("externalDns", {})["sources"] = sources
    gateways = fragment.get("gatewayApi", {}).get("gateways")
    if gateways:
        gateway_api = data.setdefault("gatewayApi", {})
        names = {gateway["name"] for gateway in gateways}
        kept = [gateway for gateway in gateway_api.get("gateways", ()) if gateway["name"] not in names]
        gateway_api["gateways"] = kept + list(gateways)
    return Profile.model_validate(data)


def implied_sources(base: Profile, fragment: dict[str, Any]) -> dict[str, Any]:
    """``fragment`` with the ExternalDNS sources its apps need, when the profile lists its sources and
    lacks some (a profile without ``externalDns.sources`` derives them)."""
    from eksnet_manifests.profile.profile import SOURCE_FOR_EXPOSURE, SOURCE_FOR_ROUTE

    given = base.external_dns.sources
    if given is None:
        return fragment
    needed = set()
    for app in fragment.get("apps", ()):
        expose = app.get("expose") or {}
        kind = expose.get("type")
        if kind == "gateway":
            needed.add(SOURCE_FOR_ROUTE[expose.get("kind", "HTTPRoute")])
        elif kind in SOURCE_FOR_EXPOSURE:
            needed.add(SOURCE_FOR_EXPOSURE[kind])
    missing = needed - set(given)
    if not missing:
        return fragment
    return {**fragment, "externalDns": {"sources": sorted({*given, *missing})}}
