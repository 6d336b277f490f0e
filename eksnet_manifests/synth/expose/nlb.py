"""NLB with IP targets: a Service of type LoadBalancer owned by the AWS Load Balancer Controller."""

from __future__ import annotations

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.exposure import NlbExposure
from eksnet_manifests.synth.context import BuildContext
from eksnet_manifests.synth.dns import dns_annotations, dns_fields
from eksnet_manifests.synth.provenance import FieldPath, annotation
from eksnet_manifests.synth.workload import SERVICE_FIELDS, Manifest, build_service

PREFIX = "service.beta.kubernetes.io/aws-load-balancer-"
LOAD_BALANCER_CLASS = "service.k8s.aws/nlb"


def build_nlb(app: App, ctx: BuildContext) -> list[Manifest]:
    expose = app.expose
    assert isinstance(expose, NlbExposure)
    annotations = {
        PREFIX + "nlb-target-type": "ip",
        PREFIX + "scheme": expose.scheme,
        PREFIX + "attributes": f"load_balancing.cross_zone.enabled={str(expose.cross_zone).lower()}",
    }
    check = expose.health_check
    if check is not None:
        if check.protocol:
            annotations[PREFIX + "healthcheck-protocol"] = check.protocol.lower()
        if check.port:
            annotations[PREFIX + "healthcheck-port"] = str(check.port)
        if check.path:
            annotations[PREFIX + "healthcheck-path"] = check.path
    if expose.certificate_arns:
        annotations[PREFIX + "ssl-cert"] = ",".join(expose.certificate_arns)
        annotations[PREFIX + "ssl-ports"] = str(app.service_port)
    annotations |= dns_annotations(expose, ctx.dns_prefix, hostname_annotation=True)
    annotations |= expose.annotations
    service = build_service(
        app,
        service_type="LoadBalancer",
        annotations=annotations,
        # LBC owns the Service through the class; IP targets need no node ports.
        extra_spec={"loadBalancerClass": LOAD_BALANCER_CLASS, "allocateLoadBalancerNodePorts": False},
    )
    return [service]


def nlb_fields(ctx: BuildContext) -> dict[str, dict[str, FieldPath]]:
    """Per kind, generated field -> app field (see synth.provenance)."""
    health = {
        annotation(PREFIX + f"healthcheck-{suffix}"): ("expose", "healthCheck", field)
        for suffix, field in (("protocol", "protocol"), ("port", "port"), ("path", "path"))
    }
    return {
        "Service": {
            **SERVICE_FIELDS,
            **health,
            **dns_fields(ctx.dns_prefix),
            annotation(PREFIX + "nlb-target-type"): ("expose", "type"),
            annotation(PREFIX + "scheme"): ("expose", "scheme"),
            annotation(PREFIX + "attributes"): ("expose", "crossZone"),
            annotation(PREFIX + "ssl-cert"): ("expose", "certificateArns"),
            annotation(PREFIX + "ssl-ports"): ("expose", "certificateArns"),
            "spec.loadBalancerClass": ("expose", "type"),
        }
    }
