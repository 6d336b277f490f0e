"""TLS the load balancers can serve: a certificate for every HTTPS/TLS listener, in the right region.

ALB (Ingress, Gateway) listeners take certificates from annotations or LoadBalancerConfiguration, else
LBC discovers ACM certificates by hostname; NLB Services take only ``ssl-cert`` ARNs (no discovery).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.fields import (
    annotation_path,
    annotations,
    as_map,
    as_str,
    dig,
    maps,
    strings,
)
from eksnet_manifests.check.lint.gatewayapi import listeners_of, routes_by_listener
from eksnet_manifests.check.lint.index import (
    CORE,
    GATEWAY_GROUP,
    LBC_GATEWAY_GROUP,
    NETWORKING_GROUP,
    Lint,
    LintOptions,
    ObjectIndex,
    namespace_of,
    object_finding,
    object_ref,
)
from eksnet_manifests.check.lint.lbc import lbc_gateways
from eksnet_manifests.check.rules.annotations import ALB, NLB, listen_ports, string_list
from eksnet_manifests.check.values_files import LBC
from eksnet_manifests.versions.aws import aws_partition

NO_CERTIFICATE = "tls-no-certificate"
CERTIFICATE_REGION = "tls-certificate-region"
SSL_PORTS_WITHOUT_CERT = "nlb-tls-without-certificate"
LISTENER_NOT_CREATED = "lbc-listener-not-created"

GROUP_NAME = ALB + "group.name"
SECURE = frozenset({"HTTPS", "TLS"})
_CERTIFICATE_ARN = re.compile(
    r"^arn:(?P<partition>[a-z-]+):(?P<service>acm|iam):(?P<region>[a-z0-9-]*):\d{12}:"
)


def check_ingress_certificates(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """Per IngressGroup (or single Ingress), every HTTPS port needs a certificate ARN on a member that
    listens there, or hosts on one for ACM discovery."""
    groups: dict[str, list[Document]] = {}
    for ingress in index.of_kind(NETWORKING_GROUP, "Ingress"):
        group = as_str(annotations(ingress.obj).get(GROUP_NAME)) or f"{namespace_of(ingress)}/{ingress.name}"
        groups.setdefault(group, []).append(ingress)
    discovered: list[tuple[str, list[str]]] = []
    for members in groups.values():
        https_ports: dict[int, list[Document]] = {}
        for ingress in members:
            for port, protocol in (listen_ports(annotations(ingress.obj)) or {}).items():
                if protocol == "HTTPS":
                    https_ports.setdefault(port, []).append(ingress)
        for port, listening in sorted(https_ports.items()):
            if any(_has_certificate(ingress) for ingress in listening):
                continue
            hosts = sorted({host for ingress in listening for host in _ingress_hosts(ingress)})
            if hosts:
                discovered.append((f"HTTPS:{port} of {object_ref(listening[0])}", hosts))
                continue
            # pkg/ingress/model_build_listener.go computeIngressListenPortConfigByPort (LBC v3.5.0).
            message = (
                f"HTTPS listener on port {port} has no certificate: no certificate-arn and no host to "
                "discover one by, so LBC cannot create the listener; set certificate-arn or give the rules "
                "hosts"
            )
            for ingress in listening:
                yield object_finding(
                    ingress, NO_CERTIFICATE, Severity.ERROR, message, annotation_path(ALB + "listen-ports")
                )
    if discovered:
        index.notes.append(discovery_note(discovered))


def discovery_note(discovered: list[tuple[str, list[str]]]) -> str:
    """One note for the listeners relying on ACM discovery, which needs the AWS API to judge."""
    shown = "; ".join(f"{where} for {', '.join(names)}" for where, names in discovered[:3])
    more = f" and {len(discovered) - 3} more" if len(discovered) > 3 else ""
    return (
        f"{len(discovered)} TLS listener(s) rely on ACM certificate discovery ({shown}{more}): whether ACM "
        "holds matching certificates cannot be checked offline"
    )


def _has_certificate(ingress: Document) -> bool:
    notes = annotations(ingress.obj)
    return bool(string_list(notes.get(ALB + "certificate-arn"))) or ALB + "create-acm-cert" in notes


def _ingress_hosts(ingress: Document) -> set[str]:
    spec = ingress.obj.get("spec")
    hosts = {host for _, rule in maps(dig(spec, "rules")) if (host := as_str(rule.get("host")))}
    hosts |= {host for _, tls in maps(dig(spec, "tls")) for _, host in strings(tls.get("hosts"))}
    return hosts


def check_certificate_regions(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """Certificate ARNs must be in the region (and partition) the controller creates load balancers in
    (the LBC values' ``region``); needs LBC values."""
    lbc = index.values.get(LBC)
    region = as_str(lbc.get("region")) if lbc is not None else None
    if region is None:
        return
    for doc, path, arn in _certificate_arns(index):
        match = _CERTIFICATE_ARN.match(arn)
        if match is None:
            continue
        problem = None
        if match["partition"] != aws_partition(region):
            problem = f"partition {match['partition']}, but region {region} is in {aws_partition(region)}"
        elif match["service"] == "acm" and match["region"] != region:
            problem = f"region {match['region']}, but LBC creates the load balancer in {region}"
        if problem:
            # AWS Certificate Manager: certificates are regional; ELB attaches only those of its own region.
            message = (
                f"certificate {arn} is in {problem}: ELB only uses certificates of its own region and "
                "partition; "
                f"import or request the certificate in {region}"
            )
            yield object_finding(doc, CERTIFICATE_REGION, Severity.ERROR, message, path)


def _certificate_arns(index: ObjectIndex) -> Iterator[tuple[Document, str, str]]:
    for ingress in index.of_kind(NETWORKING_GROUP, "Ingress"):
        for arn in string_list(annotations(ingress.obj).get(ALB + "certificate-arn")):
            yield ingress, annotation_path(ALB + "certificate-arn"), arn
    for service in index.of_kind(CORE, "Service"):
        for arn in string_list(annotations(service.obj).get(NLB + "ssl-cert")):
            yield service, annotation_path(NLB + "ssl-cert"), arn
    for config in index.of_kind(LBC_GATEWAY_GROUP, "LoadBalancerConfiguration"):
        for position, listener in maps(dig(config.obj, "spec", "listenerConfigurations")):
            path = f"spec.listenerConfigurations[{position}]"
            default = as_str(listener.get("defaultCertificate"))
            if default:
                yield config, f"{path}.defaultCertificate", default
            for i, other in strings(listener.get("certificates")):
                yield config, f"{path}.certificates[{i}]", other


def check_service_tls(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """``ssl-ports`` without ``ssl-cert`` leaves every NLB listener plain TCP."""
    for service in index.of_kind(CORE, "Service"):
        notes = annotations(service.obj)
        if NLB + "ssl-ports" in notes and not string_list(notes.get(NLB + "ssl-cert")):
            # pkg/service/model_build_listener.go buildListenerSpec (LBC v3.5.0): TLS only with certificates.
            message = (
                "ssl-ports without ssl-cert: LBC creates plain TCP listeners, since it discovers no "
                "certificates "
                "for Services; set ssl-cert to the ACM certificate ARNs"
            )
            yield object_finding(
                service, SSL_PORTS_WITHOUT_CERT, Severity.ERROR, message, annotation_path(NLB + "ssl-ports")
            )


def check_gateway_listeners(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """LBC Gateways: a listener no route attaches to is never created (whole input only), and an HTTPS/TLS
    listener needs a LoadBalancerConfiguration certificate or hostnames for ACM discovery."""
    discovered: list[tuple[str, list[str]]] = []
    for gateway, _ in lbc_gateways(index):
        attached = routes_by_listener(index, gateway)
        certified = _configured_ports(index, gateway)
        for listener in listeners_of(gateway):
            routes = attached.get(listener.position, [])
            if not routes:
                if opts.whole_set:
                    # pkg/gateway/model/model_build_listener.go buildListeners (LBC v3.5.0): only ports with
                    # routes.
                    message = (
                        f"listener {listener.label} ({listener.protocol}:{listener.port}): no route "
                        "attaches to it, so "
                        "LBC creates no load balancer listener for it; attach a route or remove the listener"
                    )
                    yield object_finding(
                        gateway, LISTENER_NOT_CREATED, Severity.WARNING, message, listener.path
                    )
                continue
            if listener.protocol not in SECURE or f"{listener.protocol}:{listener.port}" in certified:
                continue
            hostnames = {listener.hostname} if listener.hostname else _route_hostnames(routes)
            if hostnames:
                discovered.append((f"listener {listener.label} of {object_ref(gateway)}", sorted(hostnames)))
                continue
            # pkg/gateway/model/model_build_listener.go buildCertificates (LBC v3.5.0).
            message = (
                f"listener {listener.label} ({listener.protocol}:{listener.port}) has no certificate: no "
                "LoadBalancerConfiguration listenerConfigurations defaultCertificate and no hostname for "
                "ACM discovery "
                '(LBC: "No hostnames found for TLS cert discovery"); set one or the other'
            )
            yield object_finding(gateway, NO_CERTIFICATE, Severity.ERROR, message, listener.path)
    if discovered:
        index.notes.append(discovery_note(discovered))


def _configured_ports(index: ObjectIndex, gateway: Document) -> set[str]:
    """``PROTOCOL:port`` entries with a default certificate in the Gateway's or its class's
    LoadBalancerConfiguration."""
    refs = [(as_map(dig(gateway.obj, "spec", "infrastructure", "parametersRef")), namespace_of(gateway))]
    class_name = as_str(dig(gateway.obj, "spec", "gatewayClassName"))
    gateway_class = index.get(GATEWAY_GROUP, "GatewayClass", "", class_name) if class_name else None
    if gateway_class is not None:
        ref = as_map(dig(gateway_class.obj, "spec", "parametersRef"))
        refs.append((ref, as_str(ref.get("namespace")) or ""))
    ports: set[str] = set()
    for ref, namespace in refs:
        if ref.get("kind") != "LoadBalancerConfiguration" or not as_str(ref.get("name")):
            continue
        config = index.get(LBC_GATEWAY_GROUP, "LoadBalancerConfiguration", namespace, str(ref["name"]))
        for _, listener in maps(dig(config.obj, "spec", "listenerConfigurations") if config else None):
            if as_str(listener.get("defaultCertificate")):
                ports.add(str(listener.get("protocolPort")))
    return ports


def _route_hostnames(routes: list[Document]) -> set[str]:
    return {host for route in routes for _, host in strings(dig(route.obj, "spec", "hostnames"))}


INGRESS_CERTIFICATES = Lint("ingress-certificates", (NO_CERTIFICATE,), check_ingress_certificates)
CERTIFICATE_REGIONS = Lint("certificate-regions", (CERTIFICATE_REGION,), check_certificate_regions)
SERVICE_TLS = Lint("service-tls", (SSL_PORTS_WITHOUT_CERT,), check_service_tls)
GATEWAY_LISTENERS = Lint("gateway-listeners", (NO_CERTIFICATE, LISTENER_NOT_CREATED), check_gateway_listeners)
