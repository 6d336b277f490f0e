"""References to Services: route backendRefs, Ingress backends and TargetGroupConfiguration targets.

For routes the message names the ``ResolvedRefs`` condition (Gateway API v1.3.0 ``apis/v1/shared_types.go``:
BackendNotFound, RefNotPermitted).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.fields import as_int, as_map, as_str, dig, maps
from eksnet_manifests.check.lint.gatewayapi import ROUTE_KINDS
from eksnet_manifests.check.lint.index import (
    CORE,
    GATEWAY_GROUP,
    LBC_GATEWAY_GROUP,
    NETWORKING_GROUP,
    Lint,
    LintOptions,
    ObjectIndex,
    missing_severity,
    namespace_of,
    object_finding,
)

SERVICE_MISSING = "backend-service-missing"
PORT_MISSING = "backend-port-missing"
NOT_GRANTED = "backend-not-granted"
TGC_TARGET_MISSING = "tgc-target-missing"

# An Ingress backend with this port name is an LBC annotation action
# (alb.ingress.kubernetes.io/actions.<name>), not a Service port.
LBC_ACTION_PORT = "use-annotation"


def check_service_ref(
    index: ObjectIndex,
    opts: LintOptions,
    doc: Document,
    ref: tuple[str, str],
    port: int | str | None,
    path: str,
) -> Iterator[Finding]:
    """The Service ``ref`` (namespace, name) must exist (absent: see LintOptions) and have ``port``: a number
    matched against ``spec.ports[].port``, a name against ``spec.ports[].name``."""
    namespace, name = ref
    service = index.get(CORE, "Service", namespace, name)
    condition = "ResolvedRefs=False (BackendNotFound): " if doc.group == GATEWAY_GROUP else ""
    if service is None:
        message = f"{condition}Service {namespace}/{name} is not in the input"
        yield object_finding(doc, SERVICE_MISSING, missing_severity(opts), message, path)
        return
    if port is None:
        return
    field = "port" if isinstance(port, int) else "name"
    declared = [entry.get(field) for _, entry in maps(dig(service.obj, "spec", "ports"))]
    if port not in declared:
        known = ", ".join(str(value) for value in declared if value is not None) or "none"
        message = f"{condition}Service {namespace}/{name} has no port {field} {port!r} (declared: {known})"
        yield object_finding(doc, PORT_MISSING, Severity.ERROR, message, path)


def check_route_backends(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """Route ``rules[].backendRefs`` of kind Service (the default; other kinds such as LBC's TargetGroupName
    are not Services) must name an existing Service and one of its ports. A backend in another namespace needs
    a ReferenceGrant there; a missing grant may sit outside a partial input, so it follows LintOptions too."""
    for route in index.of_kind(GATEWAY_GROUP, *ROUTE_KINDS):
        route_ns = namespace_of(route)
        for rule_position, rule in maps(dig(route.obj, "spec", "rules")):
            for ref_position, ref in maps(rule.get("backendRefs")):
                name = as_str(ref.get("name"))
                if (
                    ref.get("kind", "Service") != "Service"
                    or ref.get("group", CORE) not in (CORE, "core")
                    or not name
                ):
                    continue
                namespace = as_str(ref.get("namespace")) or route_ns
                path = f"spec.rules[{rule_position}].backendRefs[{ref_position}]"
                if namespace != route_ns and not _granted(index, route, namespace, name):
                    message = (
                        f"ResolvedRefs=False (RefNotPermitted): Service {namespace}/{name} is in another "
                        "namespace "
                        f"and no ReferenceGrant in {namespace} lets {route.kind}s from {route_ns} "
                        "reference it"
                    )
                    yield object_finding(route, NOT_GRANTED, missing_severity(opts), message, path)
                yield from check_service_ref(
                    index, opts, route, (namespace, name), as_int(ref.get("port")), path
                )


def _granted(index: ObjectIndex, route: Document, namespace: str, service: str) -> bool:
    route_ns = namespace_of(route)
    for grant in index.in_namespace(GATEWAY_GROUP, "ReferenceGrant", namespace):
        spec = as_map(grant.obj.get("spec"))
        from_route = any(
            entry.get("group") == GATEWAY_GROUP
            and entry.get("kind") == route.kind
            and entry.get("namespace") == route_ns
            for _, entry in maps(spec.get("from"))
        )
        to_service = any(
            (entry.get("group") or CORE) == CORE
            and entry.get("kind") == "Service"
            and as_str(entry.get("name")) in (None, service)
            for _, entry in maps(spec.get("to"))
        )
        if from_route and to_service:
            return True
    return False


def check_ingress_backends(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """Ingress ``defaultBackend`` and ``rules[].http.paths[].backend`` Services must exist (absent: see
    LintOptions) with the given port number or name. Resource backends and LBC annotation actions
    (port name ``use-annotation``) are not Service references."""
    for ingress in index.of_kind(NETWORKING_GROUP, "Ingress"):
        for path, backend in _ingress_backends(ingress.obj):
            service = as_map(backend.get("service"))
            name = as_str(service.get("name"))
            port = as_map(service.get("port"))
            number, port_name = as_int(port.get("number")), as_str(port.get("name"))
            if not name or port_name == LBC_ACTION_PORT:
                continue
            port_ref = number if number is not None else port_name
            yield from check_service_ref(
                index, opts, ingress, (namespace_of(ingress), name), port_ref, f"{path}.service"
            )


def _ingress_backends(obj: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    spec = as_map(obj.get("spec"))
    if "defaultBackend" in spec:
        yield "spec.defaultBackend", as_map(spec["defaultBackend"])
    for rule_position, rule in maps(spec.get("rules")):
        for path_position, http_path in maps(dig(rule, "http", "paths")):
            yield (
                f"spec.rules[{rule_position}].http.paths[{path_position}].backend",
                as_map(http_path.get("backend")),
            )


# targetReference kinds LBC supports, with the group each lives in
_TGC_TARGET_GROUPS = {"Service": CORE, "Gateway": GATEWAY_GROUP}


def check_tgc_targets(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """A TargetGroupConfiguration's ``targetReference`` (kind Service by default, or Gateway) must name an
    object in the TGC's namespace (absent: see LintOptions). A TGC without targetReference is a default for a
    LoadBalancerConfiguration and references nothing."""
    for tgc in index.of_kind(LBC_GATEWAY_GROUP, "TargetGroupConfiguration"):
        target = as_map(dig(tgc.obj, "spec", "targetReference"))
        name = as_str(target.get("name"))
        kind = as_str(target.get("kind")) or "Service"
        if not name or kind not in _TGC_TARGET_GROUPS:
            continue
        namespace = namespace_of(tgc)
        if index.get(_TGC_TARGET_GROUPS[kind], kind, namespace, name) is None:
            message = f"targetReference {kind} {namespace}/{name} is not in the input"
            yield object_finding(
                tgc, TGC_TARGET_MISSING, missing_severity(opts), message, "spec.targetReference"
            )


ROUTE_BACKENDS = Lint("route-backends", (SERVICE_MISSING, PORT_MISSING, NOT_GRANTED), check_route_backends)
INGRESS_BACKENDS = Lint("ingress-backends", (SERVICE_MISSING, PORT_MISSING), check_ingress_backends)
TGC_TARGETS = Lint("tgc-targets", (TGC_TARGET_MISSING,), check_tgc_targets)
