"""The Deployment and Service every app gets; exposure builders shape the Service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eksnet_manifests.profile.app import App, Resources
from eksnet_manifests.profile.base import dump
from eksnet_manifests.synth.context import app_labels, selector
from eksnet_manifests.synth.provenance import FieldPath

Manifest = dict[str, Any]
_CONTAINER = "spec.template.spec.containers[0]"
# Generated field -> the app field it comes from (see synth.provenance).
DEPLOYMENT_FIELDS: dict[str, FieldPath] = {
    "metadata.namespace": ("namespace",),
    "metadata.labels": ("labels",),
    "spec.replicas": ("replicas",),
    "spec.template.metadata.labels": ("labels",),
    f"{_CONTAINER}.image": ("image",),
    f"{_CONTAINER}.ports": ("port",),
    f"{_CONTAINER}.env": ("env",),
    f"{_CONTAINER}.resources": ("resources",),
    f"{_CONTAINER}.imagePullPolicy": ("imagePullPolicy",),
    "spec.template.spec.terminationGracePeriodSeconds": ("terminationGracePeriodSeconds",),
}
SERVICE_FIELDS: dict[str, FieldPath] = {
    "metadata.namespace": ("namespace",),
    "metadata.labels": ("labels",),
    "metadata.annotations": ("expose", "annotations"),
    "spec.ports": ("servicePort",),
    "spec.ports[0].targetPort": ("port",),
}


# The named port per L4 protocol an app serves; ``http`` for TCP, as every app's Service has used.
PORT_NAMES = {"TCP": "http", "UDP": "udp"}
# The Service and container ports per protocol of a load balancer port or target group.
TRANSPORTS: dict[str, tuple[str, ...]] = {"TCP": ("TCP",), "UDP": ("UDP",), "TCP_UDP": ("TCP", "UDP")}


def build_deployment(app: App, *, transports: tuple[str, ...] = ("TCP",)) -> Manifest:
    labels = app_labels(app.name, app.labels)
    container: dict[str, Any] = {
        "name": app.name,
        "image": app.image,
        "ports": [
            {"name": PORT_NAMES[protocol], "containerPort": app.port, "protocol": protocol}
            for protocol in transports
        ],
    }
    if app.image_pull_policy:
        container["imagePullPolicy"] = app.image_pull_policy
    if app.env:
        container["env"] = [{"name": key, "value": value} for key, value in sorted(app.env.items())]
    if app.resources:
        container["resources"] = _resources(app.resources)
    pod_spec: dict[str, Any] = {"containers": [container]}
    if app.termination_grace_period_seconds is not None:
        pod_spec["terminationGracePeriodSeconds"] = app.termination_grace_period_seconds
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": app.name, "namespace": app.namespace, "labels": labels},
        "spec": {
            "replicas": app.replicas,
            "selector": {"matchLabels": selector(app.name)},
            "template": {"metadata": {"labels": labels}, "spec": pod_spec},
        },
    }


def build_service(
    app: App,
    *,
    service_type: str = "ClusterIP",
    annotations: Mapping[str, str] | None = None,
    extra_spec: Mapping[str, Any] | None = None,
    transports: tuple[str, ...] = ("TCP",),
) -> Manifest:
    """The app's Service: ``servicePort`` -> the container's named port (``http`` for TCP, ``udp``)."""
    metadata: dict[str, Any] = {
        "name": app.name,
        "namespace": app.namespace,
        "labels": app_labels(app.name, app.labels),
    }
    if annotations:
        metadata["annotations"] = dict(sorted(annotations.items()))
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata,
        "spec": {
            "type": service_type,
            **(extra_spec or {}),
            "selector": selector(app.name),
            "ports": [
                {
                    "name": PORT_NAMES[protocol],
                    "port": app.service_port,
                    "targetPort": PORT_NAMES[protocol],
                    "protocol": protocol,
                }
                for protocol in transports
            ],
        },
    }


def _resources(resources: Resources) -> dict[str, Any]:
    return dump(resources)
