"""Building migration inputs in tests: an Ingress or Service from a few fields, as documents."""

from __future__ import annotations

from typing import Any

from eksnet_manifests.check.documents import Document, parse_documents
from eksnet_manifests.migrate.inputs import Resource
from eksnet_manifests.migrate.report import Source
from eksnet_manifests.render.yaml_out import render_manifests


def ingress(
    name: str = "web",
    namespace: str = "shop",
    annotations: dict[str, str] | None = None,
    paths: list[tuple[str, str, str, int | str]] | None = None,
    host: str | None = "web.example.com",
    **spec: Any,
) -> dict[str, Any]:
    """An Ingress of class alb; ``paths`` are (path, pathType, service, port number or name)."""
    entries = paths or [("/", "Prefix", name, 80)]
    http = {
        "paths": [
            {
                "path": path,
                "pathType": kind,
                "backend": {
                    "service": {
                        "name": service,
                        "port": {"number": port} if isinstance(port, int) else {"name": port},
                    }
                },
            }
            for path, kind, service, port in entries
        ]
    }
    rule: dict[str, Any] = {"http": http}
    if host:
        rule["host"] = host
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": name, "namespace": namespace, "annotations": annotations or {}},
        "spec": {"ingressClassName": "alb", "rules": [rule], **spec},
    }


def service(name: str = "web", namespace: str = "shop", port: int = 80, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": name,
            "namespace": namespace,
            **({"annotations": spec.pop("annotations")} if "annotations" in spec else {}),
        },
        "spec": {
            "selector": {"app.kubernetes.io/name": name},
            "ports": [{"name": "http", "port": port, "targetPort": 8080}],
            **spec,
        },
    }


def documents(*objects: dict[str, Any]) -> list[Document]:
    """The objects as parsed from one file, so each field has a line."""
    return parse_documents(render_manifests(objects), "input.yaml")


def resource(obj: dict[str, Any]) -> Resource:
    doc = documents(obj)[0]
    return Resource(
        doc, Source(doc.kind, doc.namespace or "default", doc.name or "", doc.origin.file, doc.origin.line)
    )
