"""ALB with IP targets: a Service plus an Ingress of the controller's IngressClass."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.exposure import AlbBackend, AlbExposure
from eksnet_manifests.synth.context import BuildContext, app_labels
from eksnet_manifests.synth.dns import dns_annotations, dns_fields
from eksnet_manifests.synth.expose.lb_annotations import typed_annotation_fields, typed_annotations
from eksnet_manifests.synth.provenance import FieldPath
from eksnet_manifests.synth.workload import SERVICE_FIELDS, Manifest, build_service
from eksnet_manifests.versions.lbc_annotations import INGRESS_PREFIX

PREFIX = INGRESS_PREFIX
LISTEN_PORTS = PREFIX + "listen-ports"
SSL_REDIRECT = PREFIX + "ssl-redirect"
# The backend port name that makes LBC take the path's action from actions.<service name>
# (docs/guide/ingress/annotations.md, LBC v3.5.0: "use-annotation").
ACTION_PORT = "use-annotation"


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
    spec: dict[str, object] = {
        "ingressClassName": ctx.profile.load_balancer_controller.ingress_class,
        "rules": _rules(app, expose, ctx.apps),
    }
    if expose.default_backend is not None:
        spec["defaultBackend"] = _backend(app, expose.default_backend, ctx.apps)
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


def _backend(app: App, backend: AlbBackend | None, apps: Mapping[str, App]) -> dict[str, Any]:
    """An Ingress backend: the action's use-annotation port, or a Service of the profile at its port."""
    if backend is not None and backend.action is not None:
        return {"service": {"name": backend.action, "port": {"name": ACTION_PORT}}}
    name = backend.app if backend is not None and backend.app else app.name
    target = apps.get(name, app)
    port = backend.port if backend is not None and backend.port else target.service_port
    return {"service": {"name": name, "port": {"number": port}}}


def _rules(app: App, expose: AlbExposure, apps: Mapping[str, App]) -> list[dict[str, Any]]:
    if not expose.rules:
        path = {"path": expose.path_prefix, "pathType": "Prefix", "backend": _backend(app, None, apps)}
        http = {"paths": [path]}
        return [{"host": host, "http": http} for host in expose.hosts] or [{"http": http}]
    rules = []
    for rule in expose.rules:
        paths = [
            {"path": path.path, "pathType": path.path_type, "backend": _backend(app, path, apps)}
            for path in rule.paths
        ]
        rules.append({**({"host": rule.host} if rule.host else {}), "http": {"paths": paths}})
    return rules


def alb_fields(ctx: BuildContext, app: App | None = None) -> dict[str, dict[str, FieldPath]]:
    """Per kind, generated field -> app field (``/`` marks an absolute profile path; see synth.provenance)."""
    ruled = app is not None and isinstance(app.expose, AlbExposure) and bool(app.expose.rules)
    rule_fields: dict[str, FieldPath] = (
        {
            "spec.rules": ("expose", "rules"),
            "spec.rules[*]": ("expose", "rules", "*"),
            "spec.rules[*].http.paths[*]": ("expose", "rules", "*", "paths", "*"),
        }
        if ruled
        else {
            "spec.rules": ("expose", "hosts"),
            "spec.rules[0].http.paths[0].path": ("expose", "pathPrefix"),
            "spec.rules[0].http.paths[0].backend": ("servicePort",),
        }
    )
    return {
        "Service": {**SERVICE_FIELDS, "spec.type": ("expose", "serviceType")},
        "Ingress": {
            "metadata.namespace": ("namespace",),
            "metadata.labels": ("labels",),
            "metadata.annotations": ("expose", "annotations"),
            **typed_annotation_fields("ingress"),
            **dns_fields(ctx.dns_prefix),
            "spec.ingressClassName": ("/", "loadBalancerController", "ingressClass"),
            **rule_fields,
            "spec.defaultBackend": ("expose", "defaultBackend"),
            "spec.tls": ("expose", "hosts"),
        },
    }
