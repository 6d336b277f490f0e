"""Drafts -> Gateway API and LBC objects, laid out as lbc-migrate lays them out (LBC v3.5.0
``pkg/ingress2gateway/translate/translate.go``): per IngressGroup (or Ingress alone) one ALB Gateway with a
listener per listen port and its LoadBalancerConfiguration, the members' HTTPRoutes, a redirect route for
``ssl-redirect``, a TargetGroupConfiguration per backend Service with target group settings, the
ListenerRuleConfigurations the rules need; per NLB Service one NLB Gateway with a TCP, UDP or TLS listener
per port and a TCPRoute, UDPRoute or TLSRoute each (lbc-migrate does not migrate Services).

The Gateways, their LoadBalancerConfigurations and GatewayClasses are written by eksnet's own builders
(``synth.expose.gateways``) from the profile's Gateway models, at the API versions of the pinned
releases; each Gateway is marked ``gateway.k8s.aws/dry-run: "true"`` unless asked otherwise, so LBC only
plans it (``lbc_migrate_reference.md`` "Dry-Run Mode").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from eksnet_manifests.migrate.alb.common import PREFIX
from eksnet_manifests.migrate.draft import Draft, ListenPort, ServiceDraft
from eksnet_manifests.migrate.gateway_settings import load_balancer, merged_settings, target_group
from eksnet_manifests.migrate.groups import Group
from eksnet_manifests.migrate.inputs import Inputs, is_lbc_service
from eksnet_manifests.migrate.report import Report, Source, Target, failed, translated
from eksnet_manifests.migrate.routes import Routes, dns_annotations, ingress_routes
from eksnet_manifests.migrate.to_gateway_apps import gateway_apps
from eksnet_manifests.migrate.workload import backend_annotations
from eksnet_manifests.profile.gateway import Gateway
from eksnet_manifests.profile.listener_rule import ListenerRule
from eksnet_manifests.profile.names import version_tuple
from eksnet_manifests.profile.profile import GATEWAY_L7_MIN_LBC, Profile
from eksnet_manifests.profile.target_group import TargetGroupSettings
from eksnet_manifests.synth.context import build_context
from eksnet_manifests.synth.expose.gateways import build_gateway_classes, build_gateways
from eksnet_manifests.synth.expose.listener_rules import listener_rule_spec
from eksnet_manifests.synth.expose.target_groups import target_group_settings
from eksnet_manifests.synth.helm.features import gateway_aws_api_version
from eksnet_manifests.versions import external_dns, gateway_api, lbc

DRY_RUN = "gateway.k8s.aws/dry-run"
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
# pkg/ingress2gateway/utils/constants.go (LBC v3.5.0): the tag of what lbc-migrate migrated.
MIGRATED_FROM = "gateway.k8s.aws/migrated-from"
GATEWAY_API_GROUP = "gateway.networking.k8s.io"
NLB_ROUTES = {"TCP": "TCPRoute", "UDP": "UDPRoute"}


@dataclass(frozen=True)
class GatewayOptions:
    base: Profile
    dry_run: bool = True
    as_apps: bool = False


PLATFORM_FILE, ROUTES_FILE = "gateways.yaml", "routes.yaml"


@dataclass
class GatewayOutput:
    files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Output file -> objects: the Gateways and what they need first, then the routes and their settings."""
    profile: dict[str, Any] = field(default_factory=dict)
    gateways: list[Gateway] = field(default_factory=list)
    wires: list[dict[str, Any]] = field(default_factory=list)
    """The Gateways as profile entries (``gatewayApi.gateways``), with only the fields migrated."""

    @property
    def objects(self) -> list[dict[str, Any]]:
        return [obj for objects in self.files.values() for obj in objects]


def gateway_name(name: str) -> str:
    """A Gateway (profile) name from an IngressGroup or Ingress name: a DNS label."""
    label = re.sub(r"[^a-z0-9-]", "-", name.lower()).strip("-")[:63].strip("-")
    return label or "gateway"


def _validated(
    model: type[BaseModel], wire: dict[str, Any], source: Source, what: str, report: Report
) -> Any:
    try:
        return model.model_validate(wire)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            report.both(source, "metadata.name", failed(f"the {what} is not valid: {where}: {error['msg']}"))
        return None


def _listener(
    port: ListenPort, settings: dict[str, Any], gateway: dict[str, Any], members: Sequence[Draft]
) -> dict[str, Any]:
    wire: dict[str, Any] = {"name": port.section, "protocol": port.protocol, "port": port.port}
    if port.protocol == "HTTPS":
        if settings.get("expose.certificateArns"):
            wire["certificateArns"] = list(settings["expose.certificateArns"])
        if settings.get("expose.sslPolicy"):
            wire["sslPolicy"] = settings["expose.sslPolicy"]
        mutual = next(
            (entry for member in members for entry in member.mutual_tls if entry.get("port") == port.port),
            None,
        )
        if mutual is not None:
            wire["mutualTls"] = {
                key: mutual[key]
                for key in (
                    "mode",
                    "trustStore",
                    "ignoreClientCertificateExpiry",
                    "advertiseTrustStoreCaNames",
                )
                if key in mutual
            }
    attributes = gateway.get(f"listener.{port.protocol}-{port.port}.attributes")
    if attributes:
        wire["attributes"] = attributes
    return wire


def _origin(group: Group) -> str:
    """lbc-migrate's migrated-from tag value: the IngressGroup, or the Ingress."""
    if group.explicit:
        return f"ingress-group/{group.name}"
    return f"ingress/{group.namespace}/{group.members[0].source.name}"


def _tagged(settings: dict[str, Any], origin: str) -> dict[str, Any]:
    """``settings`` with the ``gateway.k8s.aws/migrated-from`` tag lbc-migrate puts on what it migrates."""
    return {**settings, "tags": {**settings.get("tags", {}), MIGRATED_FROM: origin}}


def _parents(gateway: Gateway, namespace: str, member: Draft, group: Group) -> list[dict[str, Any]]:
    """A member's parentRefs: its own listen ports, or the HTTPS listener alone where it redirects HTTP
    (any member's ssl-redirect applies to the whole group) or authenticates."""
    redirect = next((m.ssl_redirect for m in group.members if m.ssl_redirect), None)
    ports = member.listen_ports
    if redirect is not None:
        ports = [port for port in ports if port.protocol == "HTTPS" and port.port == redirect] or ports
    elif member.authentication:
        ports = [port for port in ports if port.protocol == "HTTPS"] or ports
    parents = []
    for port in ports:
        parent = {
            "group": GATEWAY_API_GROUP,
            "kind": "Gateway",
            "name": gateway.name,
            "sectionName": port.section,
        }
        if namespace != member.source.namespace:
            parent["namespace"] = namespace
        parents.append(parent)
    return parents


def _alb_gateway(group: Group, name: str, report: Report) -> tuple[Gateway | None, dict[str, Any]]:
    """The ALB Gateway of an IngressGroup: the members' listen ports, merged settings and TLS."""
    members = list(group.members)
    settings, extras = merged_settings(members)
    ports = sorted(
        {port for member in members for port in member.listen_ports}, key=lambda p: (p.port, p.protocol)
    )
    listeners = [_listener(port, settings, extras, members) for port in ports]
    wire: dict[str, Any] = {
        "name": name,
        "type": "alb",
        "namespace": group.namespace,
        "listeners": listeners,
        "loadBalancer": _tagged(load_balancer(settings, extras), _origin(group)),
    }
    if settings.get("expose.scheme"):
        wire["scheme"] = settings["expose.scheme"]
    if any(member.ssl_redirect for member in members):
        wire["redirectHttpToHttps"] = True
    if group.cross_namespace:
        # lbc-migrate admits routes from All namespaces; the members' namespaces are enough (every
        # namespace carries kubernetes.io/metadata.name, set by the API server).
        namespaces = sorted({member.source.namespace for member in members})
        requirement = {"key": NAMESPACE_NAME_LABEL, "operator": "In", "values": namespaces}
        wire["allowedRoutes"] = "Selector"
        wire["namespaceSelector"] = {"matchExpressions": [requirement]}
    gateway: Gateway | None = _validated(Gateway, wire, members[0].source, "Gateway", report)
    return gateway, wire


def _nlb_gateway(
    draft: ServiceDraft, name: str, report: Report
) -> tuple[Gateway | None, dict[str, Any], list[tuple[str, str, int]]]:
    """The NLB Gateway of a Service and (listener name, route kind, port) per port."""
    settings, extras = draft.settings, draft.gateway
    listeners, routes = [], []
    quic = {int(port) for port in extras.get("listeners.quic") or () if str(port).isdigit()}
    tls_backend = extras.get("targetGroup.protocol") == "TLS"
    hosts = list(draft.hostname_annotation)
    for port in draft.ports:
        protocol = "TLS" if port.port in draft.tls_ports else port.protocol
        listener: dict[str, Any] = {
            "name": f"{protocol.lower()}-{port.port}",
            "protocol": protocol,
            "port": port.port,
        }
        kind = NLB_ROUTES.get(port.protocol, "TCPRoute")
        if protocol == "TLS":
            kind = "TLSRoute" if tls_backend and hosts else "TCPRoute"
            listener["kinds"] = [kind]
            for key, wire_key in (
                ("expose.certificateArns", "certificateArns"),
                ("expose.sslPolicy", "sslPolicy"),
                ("expose.alpnPolicy", "alpnPolicy"),
            ):
                if settings.get(key):
                    listener[wire_key] = settings[key]
        if port.port in quic and protocol == "UDP":
            listener["quic"] = True
        attributes = extras.get(f"listener.{port.protocol}-{port.port}.attributes")
        if attributes:
            listener["attributes"] = attributes
        listeners.append(listener)
        routes.append((listener["name"], kind, port.port))
    wire: dict[str, Any] = {
        "name": name,
        "type": "nlb",
        "namespace": draft.source.namespace,
        "listeners": listeners,
        "loadBalancer": _tagged(
            load_balancer(settings, extras), f"service/{draft.source.namespace}/{draft.source.name}"
        ),
    }
    if settings.get("expose.scheme"):
        wire["scheme"] = settings["expose.scheme"]
    return _validated(Gateway, wire, draft.source, "Gateway", report), wire, routes


def _served(base: Profile, groups: Sequence[Group], services: Sequence[ServiceDraft], report: Report) -> bool:
    """Whether the pinned LBC has the Gateway controllers the output needs; an error per source if not."""
    version = base.load_balancer_controller.version
    # LBC programs ALB Gateways from v2.14.0 and NLB Gateways from v2.13.0 (versions.lbc feature gates).
    alb = version_tuple(version) >= GATEWAY_L7_MIN_LBC
    nlb = "NLBGatewayAPI" in lbc.feature_gates(version)
    needs = [(group.members[0].source, "ALB", "v2.14.0") for group in groups if not alb]
    needs += [(draft.source, "NLB", "v2.13.0") for draft in services if not nlb]
    for source, kind, since in needs:
        reason = (
            f"AWS Load Balancer Controller {version} has no {kind} Gateway controller ({since} or newer): "
            "pin a newer loadBalancerController.version in the profile"
        )
        report.both(source, "kind", failed(reason))
    return not needs


def _api_versions(base: Profile, kinds: set[str], source: Source, report: Report) -> dict[str, str]:
    versions: dict[str, str] = {}
    gateway = base.gateway_api
    lbc = base.load_balancer_controller.version
    for kind in sorted(kinds):
        if kind.endswith("Configuration"):
            versions[kind] = gateway_aws_api_version(lbc, kind)
            continue
        found = gateway_api.api_version(gateway.version, gateway.channel, kind)
        if found is None:
            reason = (
                f"Gateway API {gateway.version} ({gateway.channel}) does not serve {kind}: pin a "
                "release that does (gatewayApi.version, channel) in the profile"
            )
            report.both(source, "kind", failed(reason))
            continue
        versions[kind] = found
    return versions


def build_gateway(
    inputs: Inputs,
    groups: Sequence[Group],
    services: Sequence[ServiceDraft],
    report: Report,
    options: GatewayOptions,
) -> GatewayOutput:
    out = GatewayOutput()
    if not _served(options.base, groups, services, report):
        return out
    routes: list[dict[str, Any]] = []
    sources: list[Source] = []
    listener_rules: list[tuple[str, str, dict[str, Any]]] = []
    backends: dict[tuple[str, str], list[tuple[tuple[str, str], dict[str, Any]]]] = {}
    names: set[tuple[str, str]] = set()
    prefix = external_dns.annotation_prefix(options.base.external_dns.release)

    def unique(name: str, namespace: str) -> str:
        chosen = gateway_name(name)
        if (namespace, chosen) in names or any(n == chosen for _, n in names):
            chosen = gateway_name(f"{namespace}-{name}")
        names.add((namespace, chosen))
        return chosen

    for group in groups:
        name = unique(group.name, group.namespace)
        gateway, wire = _alb_gateway(group, name, report)
        if gateway is None:
            continue
        out.gateways.append(gateway)
        out.wires.append(wire)
        for member in group.members:
            report.owners[(member.source.ref, Target.GATEWAY)] = f"Gateway {group.namespace}/{name}"
            parents = _parents(gateway, group.namespace, member, group)
            found: Routes = ingress_routes(member, inputs, parents, report, prefix)
            route_names = ", ".join(route["metadata"]["name"] for route in found.routes)
            gateway_names = translated("HTTPRoute metadata.name", route_names)
            report.add(member.source, "metadata.name", translated("name"), gateway_names)
            routes += found.routes
            sources += [member.source] * len(found.routes)
            listener_rules += found.listener_rules
            member_tg = {k: v for k, v in member.settings.items() if _target_group_field(k)}
            for namespace, service, port, route in found.backends:
                known = inputs.service(namespace, service)
                if (namespace, service) not in backends and known and not is_lbc_service(known):
                    backend_annotations(known, report)
                tg = target_group(member_tg, _service_extras(member, service, port))
                service_tg = _service_target_group(inputs, namespace, service)
                backends.setdefault((namespace, service), []).append(
                    ((route, "HTTPRoute"), {**tg, **service_tg})
                )
    for draft in services:
        name = unique(draft.source.name, draft.source.namespace)
        gateway, wire, ports = _nlb_gateway(draft, name, report)
        if gateway is None:
            continue
        out.gateways.append(gateway)
        out.wires.append(wire)
        report.owners[(draft.source.ref, Target.GATEWAY)] = f"Gateway {draft.source.namespace}/{name}"
        for at in (port.at for port in draft.ports):
            listener = translated("Gateway spec.listeners, a route each", "one listener and route per port")
            report.add(draft.source, at, listener, listener, draft.source.line)
        for section, kind, port in ports:
            route_name = f"{draft.source.name}-{section}"
            spec: dict[str, Any] = {
                "parentRefs": [
                    {"group": GATEWAY_API_GROUP, "kind": "Gateway", "name": name, "sectionName": section}
                ]
            }
            if kind == "TLSRoute":
                spec["hostnames"] = list(draft.hostname_annotation)
            spec["rules"] = [{"backendRefs": [{"name": draft.source.name, "port": port}]}]
            annotations = dns_annotations(draft, prefix, hostnames=kind != "TLSRoute")
            metadata: dict[str, Any] = {"name": route_name, "namespace": draft.source.namespace}
            if annotations:
                metadata["annotations"] = annotations
            routes.append({"kind": kind, "metadata": metadata, "spec": spec})
            sources.append(draft.source)
            tg = target_group(
                {k: v for k, v in draft.settings.items() if _target_group_field(k)}, draft.gateway
            )
            backends.setdefault((draft.source.namespace, draft.source.name), []).append(
                ((route_name, kind), tg)
            )
    kinds = {"GatewayClass", "Gateway", "LoadBalancerConfiguration"} | {route["kind"] for route in routes}
    if listener_rules:
        kinds.add("ListenerRuleConfiguration")
    if any(settings for entries in backends.values() for _, settings in entries):
        kinds.add("TargetGroupConfiguration")
    first = next((g.members[0].source for g in groups), None) or (services[0].source if services else None)
    if first is None:
        return out
    versions = _api_versions(options.base, kinds, first, report)
    if len(versions) < len(kinds):
        return out
    platform = _platform(options, out.gateways)
    routed = [{"apiVersion": versions[route["kind"]], **route} for route in routes]
    for namespace, name, rule in listener_rules:
        model = _validated(ListenerRule, rule, first, "ListenerRuleConfiguration", report)
        if model is not None:
            spec = listener_rule_spec(model)
            routed.append(_object(versions, "ListenerRuleConfiguration", name, namespace, spec))
    lbc = options.base.load_balancer_controller.version
    for (namespace, service), entries in sorted(backends.items()):
        config = _target_group_spec(namespace, service, entries, first, report, lbc)
        if config is not None:
            routed.append(_object(versions, "TargetGroupConfiguration", service, namespace, config))
    for obj in platform:
        if obj["kind"] == "Gateway" and options.dry_run:
            obj["metadata"].setdefault("annotations", {})[DRY_RUN] = "true"
    out.files = {PLATFORM_FILE: platform, ROUTES_FILE: routed}
    if options.as_apps:
        rules = {(namespace, name): rule for namespace, name, rule in listener_rules}
        settings = {key: entries[0][1] for key, entries in backends.items() if entries[0][1]}
        out.profile = gateway_apps(
            inputs, out.wires, list(zip(sources, routes, strict=True)), rules, settings, report
        )
    return out


def _object(
    versions: dict[str, str], kind: str, name: str, namespace: str, spec: dict[str, Any]
) -> dict[str, Any]:
    return {
        "apiVersion": versions[kind],
        "kind": kind,
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    }


def _platform(options: GatewayOptions, gateways: list[Gateway]) -> list[dict[str, Any]]:
    """GatewayClasses, Gateways, their LoadBalancerConfigurations and redirect routes, by eksnet's "
    "builders."""
    base = options.base
    gateway_api = base.gateway_api.model_copy(update={"gateways": tuple(gateways)})
    profile = base.model_copy(update={"gateway_api": gateway_api, "apps": ()})
    ctx = build_context(profile)
    objects: list[dict[str, Any]] = []
    classes = build_gateway_classes(ctx)
    for platform in [*([classes] if classes else []), *build_gateways(ctx)]:
        objects += [obj for obj, _, _ in platform.objects]
    return objects


TARGET_GROUP_FIELDS = (
    "expose.targetType",
    "expose.backendProtocol",
    "expose.healthCheck.",
    "expose.targetGroupAttributes",
)


def _target_group_field(field_name: str) -> bool:
    return field_name.startswith(TARGET_GROUP_FIELDS)


def _service_extras(member: Draft, service: str, port: int) -> dict[str, Any]:
    extras = {
        key: value for key, value in member.gateway.items() if key.startswith(("targetGroup.", "attributes:"))
    }
    control = member.gateway.get(f"targetControlPort.{service}.{port}")
    if control is not None:
        extras["targetGroup.targetControlPort"] = control
    return extras


def _service_target_group(inputs: Inputs, namespace: str, name: str) -> dict[str, Any]:
    """Target group settings the backend Service's own ``alb.ingress.kubernetes.io/*`` keys give (LBC reads
    them over the Ingress's, per backend)."""
    from eksnet_manifests.migrate.alb import health_check
    from eksnet_manifests.migrate.alb import target_group as target_group_keys

    service = inputs.service(namespace, name)
    if service is None or not any(key.startswith(PREFIX) for key in service.annotations):
        return {}
    scratch = Report()
    draft = Draft(service.source)
    health_check.translate(service, draft, scratch)
    target_group_keys.translate(service, draft, scratch)
    return target_group(draft.settings, draft.gateway)


def _target_group_spec(
    namespace: str,
    service: str,
    entries: list[tuple[tuple[str, str], dict[str, Any]]],
    source: Source,
    report: Report,
    lbc: str,
) -> dict[str, Any] | None:
    """One TargetGroupConfiguration per Service: its settings as defaults when every route agrees, else per
    route (``routeConfigurations``, as lbc-migrate writes them for a Service several Ingresses share)."""
    distinct = {repr(sorted(settings.items())) for _, settings in entries}
    if not any(settings for _, settings in entries):
        return None
    spec: dict[str, Any] = {"targetReference": {"name": service}}
    if len(distinct) == 1:
        model = _validated(TargetGroupSettings, entries[0][1], source, "TargetGroupConfiguration", report)
        if model is None:
            return None
        spec["defaultConfiguration"] = target_group_settings(model, lbc)
        return spec
    configurations = []
    for (route, kind), settings in sorted(entries):
        model = _validated(TargetGroupSettings, settings, source, "TargetGroupConfiguration", report)
        if model is not None:
            identifier = {"kind": kind, "namespace": namespace, "name": route}
            configurations.append(
                {"routeIdentifier": identifier, "targetGroupProps": target_group_settings(model, lbc)}
            )
    spec["routeConfigurations"] = configurations
    return spec
