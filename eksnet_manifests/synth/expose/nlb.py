"""NLB with IP targets: a Service of type LoadBalancer owned by the AWS Load Balancer Controller."""

from __future__ import annotations

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.exposure import NlbExposure
from eksnet_manifests.synth.context import BuildContext
from eksnet_manifests.synth.dns import dns_annotations, dns_fields
from eksnet_manifests.synth.expose.lb_annotations import typed_annotation_fields, typed_annotations
from eksnet_manifests.synth.provenance import FieldPath, annotation
from eksnet_manifests.synth.workload import SERVICE_FIELDS, TRANSPORTS, Manifest, build_service
from eksnet_manifests.versions.lbc_annotations import NLB_PREFIX, SOURCE_RANGES

PREFIX = NLB_PREFIX
LOAD_BALANCER_CLASS = "service.k8s.aws/nlb"
HEALTH_CHECK_PROTOCOL = PREFIX + "healthcheck-protocol"
SSL_PORTS = PREFIX + "ssl-ports"
# Written here rather than from the field's value: the Service spec carries the source ranges (LBC reads
# spec.loadBalancerSourceRanges first), health check protocols are lower case, ssl-ports names the
# Service port, and proxy protocol v2 is a target group attribute.
BUILT_HERE = (SOURCE_RANGES, HEALTH_CHECK_PROTOCOL, SSL_PORTS, PREFIX + "proxy-protocol")


def build_nlb(app: App, ctx: BuildContext) -> list[Manifest]:
    expose = app.expose
    assert isinstance(expose, NlbExposure)
    annotations = typed_annotations(expose, "service", BUILT_HERE)
    check = expose.health_check
    if check is not None and check.protocol:
        annotations[HEALTH_CHECK_PROTOCOL] = check.protocol.lower()
    if expose.certificate_arns:
        annotations[SSL_PORTS] = str(app.service_port)
    annotations |= dns_annotations(expose, ctx.dns_prefix, hostname_annotation=True)
    annotations |= expose.annotations
    # LBC owns the Service through the class; IP targets need no node ports.
    spec: dict[str, object] = {"loadBalancerClass": LOAD_BALANCER_CLASS}
    if expose.target_type == "ip":
        spec["allocateLoadBalancerNodePorts"] = False
    if expose.source_ranges:
        spec["loadBalancerSourceRanges"] = list(expose.source_ranges)
    service = build_service(
        app,
        service_type="LoadBalancer",
        annotations=annotations,
        extra_spec=spec,
        transports=TRANSPORTS[expose.protocol],
    )
    return [service]


def nlb_fields(ctx: BuildContext) -> dict[str, dict[str, FieldPath]]:
    """Per kind, generated field -> app field (see synth.provenance)."""
    return {
        "Service": {
            **SERVICE_FIELDS,
            **typed_annotation_fields("service"),
            **dns_fields(ctx.dns_prefix),
            annotation(PREFIX + "attributes"): ("expose", "crossZone"),
            "spec.loadBalancerClass": ("expose", "type"),
            "spec.allocateLoadBalancerNodePorts": ("expose", "targetType"),
            "spec.loadBalancerSourceRanges": ("expose", "sourceRanges"),
        }
    }
