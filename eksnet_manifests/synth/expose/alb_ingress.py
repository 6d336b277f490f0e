"""ALB with IP targets: a Service plus an Ingress of the controller's IngressClass."""

from __future__ import annotations

import json

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.exposure import AlbExposure
from eksnet_manifests.synth.context import BuildContext, app_labels
from eksnet_manifests.synth.dns import dns_annotations, dns_fields
from eksnet_manifests.synth.expose.lb_annotations import typed_annotation_fields, typed_annotations
from eksnet_manifests.synth.provenance import FieldPath
from eksnet_manifests.synth.workload import SERVICE_FIELDS, Manifest, build_service
from eksnet_manifests.versions.lbc_annotations import INGRESS_PREFIX

PREFIX = INGRESS_PREFIX
LISTEN_PORTS = PREFIX + "listen-ports"
SSL_REDIRECT = PREFIX + "ssl-redirect"


def build_alb_ingress(app: App, ctx: BuildContext) -> list[Manifest]:
    expose = app.expose
    assert isinstance(expose, AlbExposure)
    return [build_service(app, service_type=expose.service_type), _ingress(app, expose, ctx)]


def _ingress(app: App, expose: AlbExposure, ctx: BuildContext) -> Manifest:
    annotations = typed_annotations(expose, "ingress", (LISTEN_PORTS, SSL_REDIRECT))
    listen_ports = [{"HTTP": 80}]
    if expose.tls_enabled:
        listen_ports.append({"HTTPS": 443})
        if expose.ssl_redirect:
            annotations[SSL_REDIRECT] = "443"
    annotations[LISTEN_PORTS] = json.dumps(listen_ports, separators=(",", ":"))
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
    return {
        "Service": {**SERVICE_FIELDS, "spec.type": ("expose", "serviceType")},
        "Ingress": {
            "metadata.namespace": ("namespace",),
            "metadata.labels": ("labels",),
            "metadata.annotations": ("expose", "annotations"),
            **typed_annotation_fields("ingress"),
            **dns_fields(ctx.dns_prefix),
            "spec.ingressClassName": ("/", "loadBalancerController", "ingressClass"),
            "spec.rules": ("expose", "hosts"),
            "spec.rules[0].http.paths[0].path": ("expose", "pathPrefix"),
            "spec.rules[0].http.paths[0].backend": ("servicePort",),
            "spec.tls": ("expose", "hosts"),
        },
    }
