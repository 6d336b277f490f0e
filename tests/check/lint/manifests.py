"""Small in-memory manifests for the lint tests, and a runner that reports (rule, severity, path) triples."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from eksnet_manifests.check.documents import documents_from_objects
from eksnet_manifests.check.findings import Finding
from eksnet_manifests.check.lint import Lint, LintOptions, run_lints

Obj = dict[str, Any]
GATEWAY_API = "gateway.networking.k8s.io/v1"
APP_NS = "shop"


def metadata(name: str, namespace: str | None = APP_NS, **extra: Any) -> Obj:
    meta: Obj = {"name": name, **{k: v for k, v in extra.items() if v}}
    if namespace is not None:
        meta["namespace"] = namespace
    return meta


def namespace(name: str = APP_NS, labels: Mapping[str, str] | None = None) -> Obj:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": metadata(name, None, labels=labels)}


def gateway_class(name: str = "alb", controller: str = "gateway.k8s.aws/alb") -> Obj:
    return {
        "apiVersion": GATEWAY_API,
        "kind": "GatewayClass",
        "metadata": metadata(name, None),
        "spec": {"controllerName": controller},
    }


def listener(name: str = "http", protocol: str = "HTTP", port: int = 80, **fields: Any) -> Obj:
    return {"name": name, "protocol": protocol, "port": port, **fields}


def gateway(
    *listeners: Obj,
    name: str = "gw",
    ns: str = APP_NS,
    class_name: str = "alb",
    annotations: Mapping[str, str] | None = None,
) -> Obj:
    return {
        "apiVersion": GATEWAY_API,
        "kind": "Gateway",
        "metadata": metadata(name, ns, annotations=annotations),
        "spec": {"gatewayClassName": class_name, "listeners": list(listeners or [listener()])},
    }


def route(
    kind: str = "HTTPRoute",
    name: str = "web",
    ns: str = APP_NS,
    parents: Sequence[Obj] = ({"name": "gw"},),
    hostnames: Sequence[str] = (),
    backends: Sequence[Obj] = ({"name": "web", "port": 80},),
    annotations: Mapping[str, str] | None = None,
) -> Obj:
    spec: Obj = {"parentRefs": list(parents), "rules": [{"backendRefs": list(backends)}]}
    if hostnames:
        spec["hostnames"] = list(hostnames)
    return {
        "apiVersion": GATEWAY_API,
        "kind": kind,
        "metadata": metadata(name, ns, annotations=annotations),
        "spec": spec,
    }


def service(
    name: str = "web",
    ns: str = APP_NS,
    ports: Sequence[Obj] = ({"name": "http", "port": 80},),
    annotations: Mapping[str, str] | None = None,
    **spec: Any,
) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(name, ns, annotations=annotations),
        "spec": {"ports": list(ports), **spec},
    }


def ingress(
    service_port: Obj | None = None,
    name: str = "web",
    ns: str = APP_NS,
    host: str | None = None,
    class_name: str | None = None,
    annotations: Mapping[str, str] | None = None,
    **spec: Any,
) -> Obj:
    backend = {"service": {"name": "web", "port": service_port or {"number": 80}}}
    rule: Obj = {"http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": backend}]}}
    if host:
        rule["host"] = host
    body: Obj = {"rules": [rule], **spec}
    if class_name:
        body["ingressClassName"] = class_name
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": metadata(name, ns, annotations=annotations),
        "spec": body,
    }


def target_group_configuration(target: Obj | None, ns: str = APP_NS, **spec: Any) -> Obj:
    body: Obj = dict(spec)
    if target is not None:
        body["targetReference"] = target
    return {
        "apiVersion": "gateway.k8s.aws/v1",
        "kind": "TargetGroupConfiguration",
        "metadata": metadata("web-tgc", ns),
        "spec": body,
    }


def reference_grant(ns: str, from_kind: str, from_ns: str, to_name: str | None = None) -> Obj:
    to: Obj = {"group": "", "kind": "Service"}
    if to_name:
        to["name"] = to_name
    return {
        "apiVersion": "gateway.networking.k8s.io/v1beta1",
        "kind": "ReferenceGrant",
        "metadata": metadata("allow-routes", ns),
        "spec": {
            "from": [{"group": "gateway.networking.k8s.io", "kind": from_kind, "namespace": from_ns}],
            "to": [to],
        },
    }


def lint_findings(
    objects: Sequence[Obj],
    lint: Lint,
    values: Mapping[str, Mapping[str, Any]] | None = None,
    whole_set: bool = False,
) -> list[Finding]:
    docs = documents_from_objects(objects, "manifests.yaml")
    return run_lints(docs, LintOptions(whole_set=whole_set), values or {}, lints=(lint,))


def outcomes(
    objects: Sequence[Obj],
    lint: Lint,
    values: Mapping[str, Mapping[str, Any]] | None = None,
    whole_set: bool = False,
) -> list[tuple[str, str, str]]:
    """(rule, severity, path) of every finding, in report order."""
    return [(f.rule, f.severity.value, f.path) for f in lint_findings(objects, lint, values, whole_set)]


def case(
    case_id: str,
    lint: Lint,
    objects: Sequence[Obj],
    expected: Sequence[tuple[str, str, str]] = (),
    values: Mapping[str, Mapping[str, Any]] | None = None,
) -> Any:
    """One parametrized lint case: GIVEN ``objects`` (and chart ``values``), ``lint`` reports ``expected``."""
    return pytest.param(lint, list(objects), values or {}, list(expected), id=case_id)
