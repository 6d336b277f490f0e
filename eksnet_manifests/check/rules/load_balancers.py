"""What each load balancer type accepts: health-check protocols, ports, paths, matchers; listener protocols.

ALB target groups (Ingress, ALB Gateway) check health over HTTP or HTTPS only; NLB target groups (Service,
NLB Gateway) over TCP, HTTP or HTTPS, and a path or success codes only with HTTP/HTTPS. Matcher ranges are
those of the ELBv2 API (``Matcher``: ALB HTTP codes 200-499, NLB 200-599, gRPC 0-99).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.fields import annotation_path, annotations, as_map, as_str, dig, maps
from eksnet_manifests.check.lint.gatewayapi import ROUTE_KINDS, attachments
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
)
from eksnet_manifests.check.lint.lbc import ALB_CONTROLLER, NLB_CONTROLLER, lbc_gateways
from eksnet_manifests.check.rules.annotations import ALB, NLB, listen_ports, string_list
from eksnet_manifests.versions import elb
from eksnet_manifests.versions.elb import MATCHER_RANGES, success_codes_problem
from eksnet_manifests.versions.lbc_annotations import ALB_DEFAULT_INTERVAL, ALB_DEFAULT_TIMEOUT

HEALTH_CHECK = "lb-health-check"
HEALTH_CHECK_IGNORED = "lb-health-check-ignored"
LISTENER = "lb-listener-protocol"

ALB_PROTOCOLS = ("HTTP", "HTTPS")
NLB_HEALTH_PROTOCOLS = ("TCP", "HTTP", "HTTPS")
NLB_TARGET_PROTOCOLS = ("TCP", "UDP", "TCP_UDP", "TLS", "QUIC", "TCP_QUIC")
TRAFFIC_PORT = "traffic-port"
# Health check interval, timeout and thresholds: annotation -> the range ELB accepts (versions.elb).
ALB_TIMING = {
    ALB + "healthcheck-interval-seconds": elb.HEALTH_CHECK_INTERVAL,
    ALB + "healthcheck-timeout-seconds": elb.HEALTH_CHECK_TIMEOUT,
    ALB + "healthy-threshold-count": elb.HEALTHY_THRESHOLD,
    ALB + "unhealthy-threshold-count": elb.UNHEALTHY_THRESHOLD,
}
NLB_TIMING = {
    NLB + "healthcheck-interval": elb.HEALTH_CHECK_INTERVAL,
    NLB + "healthcheck-timeout": elb.HEALTH_CHECK_TIMEOUT,
    NLB + "healthcheck-healthy-threshold": elb.HEALTHY_THRESHOLD,
    NLB + "healthcheck-unhealthy-threshold": elb.UNHEALTHY_THRESHOLD,
}
LB_TYPES = {ALB_CONTROLLER: "alb", NLB_CONTROLLER: "nlb"}


def check_ingress_health_checks(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """ALB health checks from ``alb.ingress.kubernetes.io/*`` on Ingresses (and their backend Services)."""
    for doc in (*index.of_kind(NETWORKING_GROUP, "Ingress"), *index.of_kind(CORE, "Service")):
        notes = annotations(doc.obj)
        protocol = as_str(notes.get(ALB + "healthcheck-protocol"))
        # pkg/ingress/model_build_target_group.go buildTargetGroupHealthCheckProtocol (LBC v3.5.0): exact
        # match.
        if protocol is not None and protocol not in ALB_PROTOCOLS:
            message = (
                f"ALB health checks use HTTP or HTTPS (exactly so spelt), not {protocol!r}: LBC fails to "
                "build "
                "the target group (healthCheckProtocol must be within [HTTP, HTTPS]); use HTTP or HTTPS"
            )
            yield _at(doc, HEALTH_CHECK, message, ALB + "healthcheck-protocol")
        yield from _port(doc, notes, ALB + "healthcheck-port")
        yield from _path(doc, notes, ALB + "healthcheck-path")
        grpc = as_str(notes.get(ALB + "backend-protocol-version")) == "GRPC"
        yield from _matcher(doc, notes, ALB + "success-codes", "grpc" if grpc else "alb")
        yield from _timing(doc, notes, ALB_TIMING, alb=True)


def check_service_health_checks(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """NLB health checks from ``service.beta.kubernetes.io/aws-load-balancer-healthcheck-*`` on Services."""
    for service in index.of_kind(CORE, "Service"):
        if dig(service.obj, "spec", "type") != "LoadBalancer":
            continue
        notes = annotations(service.obj)
        raw = as_str(notes.get(NLB + "healthcheck-protocol"))
        protocol = (raw or "TCP").upper()
        # pkg/service/model_build_target_group.go buildTargetGroupHealthCheckProtocol (LBC v3.5.0).
        if protocol not in NLB_HEALTH_PROTOCOLS:
            message = (
                f"NLB health checks use tcp, http or https, not {raw!r}: LBC fails to reconcile the Service "
                "(unsupported health check protocol)"
            )
            yield _at(service, HEALTH_CHECK, message, NLB + "healthcheck-protocol")
            continue
        if protocol == "TCP":
            # buildTargetGroupHealthCheckPath / Matcher (LBC v3.5.0): a TCP health check has neither.
            for suffix in ("healthcheck-path", "healthcheck-success-codes"):
                if NLB + suffix in notes:
                    message = (
                        f"{suffix} is ignored: the health check protocol is "
                        f"TCP{' (the default)' if raw is None else ''}, "
                        f"which has no path or status code; set {NLB}healthcheck-protocol: http (or https)"
                    )
                    yield _at(service, HEALTH_CHECK_IGNORED, message, NLB + suffix, Severity.WARNING)
        else:
            yield from _path(service, notes, NLB + "healthcheck-path")
            yield from _matcher(service, notes, NLB + "healthcheck-success-codes", "nlb")
        yield from _port(service, notes, NLB + "healthcheck-port")
        yield from _timing(service, notes, NLB_TIMING, alb=False)
        yield from _named_health_port(service, notes)


def check_target_group_configurations(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """TargetGroupConfiguration protocols and health checks against the load balancer type the targeted
    Service sits behind (the classes of the Gateways its routes attach to)."""
    for tgc in index.of_kind(LBC_GATEWAY_GROUP, "TargetGroupConfiguration"):
        spec = as_map(tgc.obj.get("spec"))
        kinds = _load_balancer_types(index, tgc)
        props = [("spec.defaultConfiguration", as_map(spec.get("defaultConfiguration")))]
        props += [
            (f"spec.routeConfigurations[{i}].targetGroupProps", as_map(route.get("targetGroupProps")))
            for i, route in maps(spec.get("routeConfigurations"))
        ]
        for path, config in props:
            yield from _tgc_props(tgc, path, config, kinds)


def _tgc_props(tgc: Document, path: str, config: Mapping[str, Any], kinds: set[str]) -> Iterator[Finding]:
    protocol = as_str(config.get("protocol"))
    health = as_map(config.get("healthCheckConfig"))
    health_protocol = (as_str(health.get("healthCheckProtocol")) or "").upper() or None
    if "alb" in kinds:
        # pkg/gateway/model/model_build_target_group.go buildTargetGroupProtocol (LBC v3.5.0).
        if protocol and protocol not in ALB_PROTOCOLS:
            message = (
                f"an ALB Gateway forwards over HTTP or HTTPS, not {protocol}: LBC fails the target group"
            )
            yield object_finding(tgc, LISTENER, Severity.ERROR, message, f"{path}.protocol")
        # ELBv2 CreateTargetGroup: ALB target groups take HTTP/HTTPS health checks only.
        if health_protocol == "TCP":
            message = (
                "ALB target groups check health over HTTP or HTTPS, not TCP: the target group is rejected"
            )
            yield object_finding(
                tgc, HEALTH_CHECK, Severity.ERROR, message, f"{path}.healthCheckConfig.healthCheckProtocol"
            )
    if "nlb" in kinds and protocol and protocol not in NLB_TARGET_PROTOCOLS:
        forwards = "/".join(NLB_TARGET_PROTOCOLS)
        message = f"an NLB Gateway forwards over {forwards}, not {protocol}: LBC fails the target group"
        yield object_finding(tgc, LISTENER, Severity.ERROR, message, f"{path}.protocol")
    if health_protocol == "TCP" and health.get("healthCheckPath") is not None:
        # model_build_target_group.go buildTargetGroupHealthCheckPath (LBC v3.5.0): none for TCP.
        message = "healthCheckPath is ignored with a TCP health check; use HTTP or HTTPS to check a path"
        yield object_finding(
            tgc, HEALTH_CHECK_IGNORED, Severity.WARNING, message, f"{path}.healthCheckConfig.healthCheckPath"
        )
    codes = as_str(as_map(health.get("matcher")).get("httpCode"))
    if codes is not None:
        problem = success_codes_problem(codes, MATCHER_RANGES["alb" if "alb" in kinds else "nlb"])
        if problem:
            yield object_finding(
                tgc, HEALTH_CHECK, Severity.ERROR, problem, f"{path}.healthCheckConfig.matcher.httpCode"
            )


def _load_balancer_types(index: ObjectIndex, tgc: Document) -> set[str]:
    """``alb``/``nlb`` for each LBC Gateway whose routes send traffic to the TGC's target Service."""
    target = as_str(dig(tgc.obj, "spec", "targetReference", "name"))
    backends = index.memo("backend-load-balancers", backend_load_balancers)
    return backends.get((namespace_of(tgc), target), set())


def backend_load_balancers(index: ObjectIndex) -> dict[tuple[str, str | None], set[str]]:
    """(namespace, Service) -> the LBC load balancer types of the Gateways whose routes send to it."""
    gateways = {(namespace_of(gw), gw.name): controller for gw, controller in lbc_gateways(index)}
    kinds: dict[tuple[str, str | None], set[str]] = {}
    for route in index.of_kind(GATEWAY_GROUP, *ROUTE_KINDS):
        controllers = {
            gateways.get((namespace_of(found.gateway), found.gateway.name))
            for found in attachments(index, route)
            if found.gateway is not None
        }
        types = {LB_TYPES[controller] for controller in controllers if controller in LB_TYPES}
        for _, rule in maps(dig(route.obj, "spec", "rules")):
            for _, ref in maps(rule.get("backendRefs")):
                backend = (as_str(ref.get("namespace")) or namespace_of(route), as_str(ref.get("name")))
                kinds.setdefault(backend, set()).update(types)
    return kinds


def check_listen_ports(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """``listen-ports`` is a JSON list of ``{"HTTP"|"HTTPS": port}`` with ports 1-65535; ``ssl-ports`` of
    a Service names existing ports."""
    for ingress in index.of_kind(NETWORKING_GROUP, "Ingress"):
        notes = annotations(ingress.obj)
        ports = listen_ports(notes)
        # pkg/ingress/model_build_listener.go computeIngressListenPorts (LBC v3.5.0).
        if ports is None:
            message = (
                'listen-ports must be a JSON list like [{"HTTP": 80}, {"HTTPS": 443}]: LBC fails the Ingress'
            )
            yield _at(ingress, LISTENER, message, ALB + "listen-ports")
            continue
        for port, protocol in sorted(ports.items()):
            if protocol not in ALB_PROTOCOLS or not 1 <= port <= 65535:
                message = f"listen port {protocol}:{port}: an ALB listens on HTTP or HTTPS ports 1-65535"
                yield _at(ingress, LISTENER, message, ALB + "listen-ports")
    for service in index.of_kind(CORE, "Service"):
        notes = annotations(service.obj)
        if NLB + "ssl-ports" not in notes:
            continue
        declared = {
            str(port.get(key))
            for _, port in maps(dig(service.obj, "spec", "ports"))
            for key in ("name", "port")
        }
        unused = [port for port in string_list(notes[NLB + "ssl-ports"]) if port not in declared | {"*"}]
        # pkg/service/model_build_listener.go validateTLSPortsSet (LBC v3.5.0).
        if unused:
            message = (
                f"ssl-ports names {', '.join(unused)}, which the Service does not have: LBC fails the Service"
            )
            yield _at(service, LISTENER, message, NLB + "ssl-ports")


def _timing(
    doc: Document, notes: Mapping[str, Any], ranges: Mapping[str, elb.Range], alb: bool
) -> Iterator[Finding]:
    """Interval, timeout and thresholds within what ELB accepts (CreateTargetGroup); for an ALB the
    timeout below the interval ("Health check interval must be greater than the timeout")."""
    given: dict[str, int] = {}
    for key, (low, high) in ranges.items():
        value = as_str(notes.get(key))
        if value is None or not value.isdigit():
            continue  # absent, or not a number (lbc-annotation-value says so)
        given[key] = int(value)
        if not low <= int(value) <= high:
            message = f"{value} is outside {low}-{high}, the range ELB accepts: the target group is rejected"
            yield _at(doc, HEALTH_CHECK, message, key)
    if alb:
        interval_key, timeout_key = list(ranges)[:2]
        interval = given.get(interval_key, ALB_DEFAULT_INTERVAL)
        timeout = given.get(timeout_key, ALB_DEFAULT_TIMEOUT)
        if (interval_key in given or timeout_key in given) and timeout >= interval:
            message = (
                f"the health check timeout ({timeout}s) must be shorter than its interval ({interval}s): ELB "
                "refuses the target group (LBC's defaults: timeout 5s, interval 15s)"
            )
            yield _at(doc, HEALTH_CHECK, message, timeout_key if timeout_key in given else interval_key)


def _port(doc: Document, notes: Mapping[str, Any], key: str) -> Iterator[Finding]:
    value = as_str(notes.get(key))
    if value is None or value == TRAFFIC_PORT or not value.isdigit():
        return
    if not 1 <= int(value) <= 65535:
        yield _at(
            doc, HEALTH_CHECK, f"health check port {value} is outside 1-65535 (or use traffic-port)", key
        )


def _named_health_port(service: Document, notes: Mapping[str, Any]) -> Iterator[Finding]:
    """A named health check port resolves to the Service port's targetPort for IP targets: a number."""
    value = as_str(notes.get(NLB + "healthcheck-port"))
    if value is None or value == TRAFFIC_PORT or value.isdigit():
        return
    target_type = (as_str(notes.get(NLB + "nlb-target-type")) or "instance").lower()
    for _, port in maps(dig(service.obj, "spec", "ports")):
        if port.get("name") == value and target_type == "ip" and not isinstance(port.get("targetPort"), int):
            # pkg/service/model_build_target_group.go buildTargetGroupHealthCheckPort (LBC v3.5.0).
            message = (
                f"health check port {value!r} names a Service port whose targetPort is a name: with IP "
                "targets "
                "LBC fails (cannot use named healthCheckPort); give the health check port as a number"
            )
            yield _at(service, HEALTH_CHECK, message, NLB + "healthcheck-port")


def _path(doc: Document, notes: Mapping[str, Any], key: str) -> Iterator[Finding]:
    value = as_str(notes.get(key))
    if value is not None and not value.startswith("/"):
        yield _at(
            doc,
            HEALTH_CHECK,
            f"health check path {value!r} must start with '/': the target group is rejected",
            key,
        )


def _matcher(doc: Document, notes: Mapping[str, Any], key: str, kind: str) -> Iterator[Finding]:
    value = as_str(notes.get(key))
    problem = success_codes_problem(value, MATCHER_RANGES[kind]) if value is not None else None
    if problem:
        yield _at(doc, HEALTH_CHECK, problem, key)


def _at(doc: Document, rule: str, message: str, key: str, severity: Severity = Severity.ERROR) -> Finding:
    return object_finding(doc, rule, severity, message, annotation_path(key))


INGRESS_HEALTH_CHECKS = Lint("alb-health-checks", (HEALTH_CHECK,), check_ingress_health_checks)
SERVICE_HEALTH_CHECKS = Lint(
    "nlb-health-checks", (HEALTH_CHECK, HEALTH_CHECK_IGNORED), check_service_health_checks
)
TGC_SETTINGS = Lint(
    "tgc-settings", (HEALTH_CHECK, HEALTH_CHECK_IGNORED, LISTENER), check_target_group_configurations
)
LISTEN_PORTS = Lint("listen-ports", (LISTENER,), check_listen_ports)
