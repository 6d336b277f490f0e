"""Gateways of the AWS Load Balancer Controller: feature gates, listener layers, certificates, annotations.

A Gateway is LBC's when its GatewayClass (which must be in the input) has controllerName
``gateway.k8s.aws/alb`` (an ALB: HTTP, HTTPS) or ``gateway.k8s.aws/nlb`` (an NLB: TCP, UDP, TLS).
Source: LBC v3.5.0 Gateway guide.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.fields import annotation_path, annotations, items
from eksnet_manifests.check.lint.gatewayapi import Listener, gateway_controller, listeners_of
from eksnet_manifests.check.lint.index import (
    GATEWAY_GROUP,
    Lint,
    LintOptions,
    ObjectIndex,
    object_finding,
    some_objects,
    values_finding,
)
from eksnet_manifests.check.lint.values import feature_gate
from eksnet_manifests.check.values_files import LBC

GATE_OFF = "lbc-gateway-api-gate"
MIXED_LAYERS = "lbc-gateway-mixed-layers"
LAYER_MISMATCH = "lbc-gateway-layer-mismatch"
CERTIFICATE_REFS = "lbc-gateway-certificate-refs"
IGNORED_ANNOTATION = "lbc-gateway-annotation-ignored"

ALB_CONTROLLER = "gateway.k8s.aws/alb"
NLB_CONTROLLER = "gateway.k8s.aws/nlb"
GATES: Mapping[str, str] = {ALB_CONTROLLER: "ALBGatewayAPI", NLB_CONTROLLER: "NLBGatewayAPI"}
PROTOCOLS: Mapping[str, frozenset[str]] = {
    ALB_CONTROLLER: frozenset({"HTTP", "HTTPS"}),
    NLB_CONTROLLER: frozenset({"TCP", "UDP", "TLS"}),
}
# Service and Ingress annotation families; LBC configures Gateways through LoadBalancerConfiguration instead.
IGNORED_ANNOTATION_PREFIXES = ("alb.ingress.kubernetes.io/", "service.beta.kubernetes.io/aws-load-balancer-")


def lbc_gateways(index: ObjectIndex) -> Iterator[tuple[Document, str]]:
    """(Gateway, controllerName) for Gateways whose GatewayClass in the input names an LBC controller."""
    for gateway in index.of_kind(GATEWAY_GROUP, "Gateway"):
        controller = gateway_controller(index, gateway)
        if controller in GATES:
            yield gateway, controller


def check_gateway_gates(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """LBC Gateways need ``controllerConfig.featureGates.ALBGatewayAPI`` / ``NLBGatewayAPI``. False: LBC
    ignores them (error). Unset: the default is false through LBC v3.1.0 and true from v3.2.0, and a values
    file names no version, so it should be set explicitly (warning). Needs LBC values; one finding per
    gate."""
    lbc = index.values.get(LBC)
    if lbc is None:
        return
    by_controller: dict[str, list[Document]] = {}
    for gateway, controller in lbc_gateways(index):
        by_controller.setdefault(controller, []).append(gateway)
    for controller, gateways in by_controller.items():
        gate = GATES[controller]
        enabled = feature_gate(lbc, gate)
        if enabled:
            continue
        if enabled is False:
            severity, problem = Severity.ERROR, f"{gate} is false, so LBC ignores"
        else:
            severity = Severity.WARNING
            problem = f"{gate} is unset (default false through LBC v3.1.0, true from v3.2.0); set it true for"
        message = f"{problem} the {controller} Gateways, {some_objects(gateways)}"
        yield values_finding(lbc, ("controllerConfig", "featureGates", gate), GATE_OFF, severity, message)


def check_gateway_layers(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """One LBC Gateway is one load balancer: an ALB serves HTTP/HTTPS listeners only, an NLB TCP/UDP/TLS only.
    Listeners of both layers on one Gateway, or listeners of the other layer than the class's, are errors."""
    for gateway, controller in lbc_gateways(index):
        listeners = [listener for listener in listeners_of(gateway) if listener.protocol]
        foreign = [listener for listener in listeners if listener.protocol not in PROTOCOLS[controller]]
        if not foreign:
            continue
        served = f"{controller} serves {'/'.join(sorted(PROTOCOLS[controller]))}"
        if len(foreign) < len(listeners):
            message = (
                f"mixes L4 and L7 listeners; {served}, not {_describe(foreign)}. Use one Gateway per layer"
            )
            yield object_finding(gateway, MIXED_LAYERS, Severity.ERROR, message, "spec.listeners")
        else:
            message = f"{served}, not {_describe(foreign)}; use a GatewayClass of the other controller"
            yield object_finding(gateway, LAYER_MISMATCH, Severity.ERROR, message, "spec.listeners")


def _describe(listeners: list[Listener]) -> str:
    return ", ".join(f"{listener.label} ({listener.protocol})" for listener in listeners)


def check_gateway_certificate_refs(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """LBC does not read listener ``tls.certificateRefs``: it discovers ACM certificates from listener and
    route hostnames, or takes them from a LoadBalancerConfiguration
    (``listenerConfigurations[].defaultCertificate``)."""
    for gateway, _ in lbc_gateways(index):
        for listener in listeners_of(gateway):
            if items(listener.tls.get("certificateRefs")):
                message = (
                    "LBC ignores certificateRefs; it discovers ACM certificates by hostname or uses "
                    "LoadBalancerConfiguration listenerConfigurations[].defaultCertificate"
                )
                path = f"{listener.path}.tls.certificateRefs"
                yield object_finding(gateway, CERTIFICATE_REFS, Severity.WARNING, message, path)


def check_gateway_annotations(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """``alb.ingress.kubernetes.io/*`` and ``service.beta.kubernetes.io/aws-load-balancer-*`` annotations on
    any Gateway are ignored: LBC takes Gateway settings from LoadBalancerConfiguration."""
    for gateway in index.of_kind(GATEWAY_GROUP, "Gateway"):
        for key in annotations(gateway.obj):
            if isinstance(key, str) and key.startswith(IGNORED_ANNOTATION_PREFIXES):
                message = (
                    f"{key} is an Ingress/Service annotation that LBC ignores on a Gateway; "
                    "use LoadBalancerConfiguration"
                )
                yield object_finding(
                    gateway, IGNORED_ANNOTATION, Severity.WARNING, message, annotation_path(key)
                )


LBC_GATEWAY_GATES = Lint("lbc-gateway-gates", (GATE_OFF,), check_gateway_gates)
LBC_GATEWAY_LAYERS = Lint("lbc-gateway-layers", (MIXED_LAYERS, LAYER_MISMATCH), check_gateway_layers)
LBC_GATEWAY_CERTIFICATES = Lint(
    "lbc-gateway-certificates", (CERTIFICATE_REFS,), check_gateway_certificate_refs
)
LBC_GATEWAY_ANNOTATIONS = Lint("lbc-gateway-annotations", (IGNORED_ANNOTATION,), check_gateway_annotations)
