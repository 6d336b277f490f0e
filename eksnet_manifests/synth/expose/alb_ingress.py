"""ALB with IP targets: a Service plus an Ingress of the controller's IngressClass."""

from __future__ import annotations

import json

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.exposure import AlbExposure
from eksnet_manifests.synth.context import BuildContext, app_labels
from eksnet_manifests.synth.dns import dns_annotations, dns_fields
from eksnet_manifests.synth.provenance import FieldPath, annotation
from eksnet_manifests.synth.workload import SERVICE_FIELDS, Manifest, build_service

PREFIX = "alb.ingress.kubernetes.io/"


def build_alb_ingress(app: App, ctx: BuildContext) -> list[Manifest]:
    expose = app.expose
    assert isinstance(expose, AlbExposure)
    return [build_service(app, service_type=expose.service_type), _ingress(app, expose, ctx)]


def _ingress(app: App, expose: AlbExposure, ctx: BuildContext) -> Manifest:
    listen_ports = [{"HTTP": 80}]
    annotations = {PREFIX + "scheme": expose.scheme, PREFIX + "target-type": "ip"}
    if expose.tls_enabled:
        listen_ports.append({"HTTPS": 443})
        if expose.certificate_arns:
            annotations[PREFIX + "certificate-arn"] = ",".join(expose.certificate_arns)
        if expose.ssl_redirect:
            annotations[PREFIX + "ssl-redirect"] = "443"
    annotations[PREFIX + "listen-ports"] = json.dumps(listen_ports, separators=(",", ":"))
    check = expose.health_check
    if check is not None:
        if check.path:
            annotations[PREFIX + "healthcheck-path"] = check.path
        if check.port:
            annotations[PREFIX + "healthcheck-port"] = str(check.port)
        if check.protocol:
            annotations[PREFIX + "healthcheck-protocol"] = check.protocol
    if expose.group_name:
        annotations[PREFIX + "group.name"] = expose.group_name
    annotations |= dns_annotations(expose, ctx.dns_prefix, hostname_annotation=False)
    annotations |= expose.annotations
    backend = {"service": {"name": app.name, "port": {"number": app.service_port}}}
    http = {"paths": [{"path": expose.path_prefix, "pathType": "Prefix", "backend": backend}]}
    rules = [{"host": host, "http": http} for host in expose.hosts] or [{"http": http}]
    spec: dict[str, object] = {
        "ingressClassName": ctx.profile.load_balancer_controller.ingress_class,
        "rules": rules,
    }
    if expose.tls_enabled and expose.hosts:
        # Hosts under tls let LBC discover matching ACM certificates when no ARN is given.
        spec["tls"] = [{"hosts": list(expose.hosts)}]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {
            "name": app.name,
            "namespace": app.namespace,
            "labels": app_labels(app.name, app.labels),
            "annotations": dict(sorted(annotations.items())),
        },
        "spec": spec,
    }


def alb_fields(ctx: BuildContext) -> dict[str, dict[str, FieldPath]]:
    """Per kind, generated field -> app field (``/`` marks an absolute profile path; see synth.provenance)."""
    health = {
        annotation(PREFIX + f"healthcheck-{suffix}"): ("expose", "healthCheck", field)
        for suffix, field in (("protocol", "protocol"), ("port", "port"), ("path", "path"))
    }
    return {
        "Service": {**SERVICE_FIELDS, "spec.type": ("expose", "serviceType")},
        "Ingress": {
            "metadata.namespace": ("namespace",),
            "metadata.labels": ("labels",),
            "metadata.annotations": ("expose", "annotations"),
            **health,
            **dns_fields(ctx.dns_prefix),
            annotation(PREFIX + "scheme"): ("expose", "scheme"),
            annotation(PREFIX + "target-type"): ("expose", "type"),
            annotation(PREFIX + "listen-ports"): ("expose", "https"),
            annotation(PREFIX + "certificate-arn"): ("expose", "certificateArns"),
            annotation(PREFIX + "ssl-redirect"): ("expose", "sslRedirect"),
            annotation(PREFIX + "group.name"): ("expose", "groupName"),
            "spec.ingressClassName": ("/", "loadBalancerController", "ingressClass"),
            "spec.rules": ("expose", "hosts"),
            "spec.rules[0].http.paths[0].path": ("expose", "pathPrefix"),
            "spec.rules[0].http.paths[0].backend": ("servicePort",),
            "spec.tls": ("expose", "hosts"),
        },
    }
