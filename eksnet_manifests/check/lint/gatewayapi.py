"""Gateway API semantics the route lints share, as documented in the Gateway API v1.3.0 CRDs.

- A parentRef defaults to group ``gateway.networking.k8s.io``, kind ``Gateway`` and the route's namespace.
  With ``sectionName`` and/or ``port`` it selects the listeners matching all given; without, every listener.
- ``allowedRoutes.namespaces.from``: ``Same`` (default), ``All``, or ``Selector`` (a label selector on the
  route's Namespace, which also carries the automatic ``kubernetes.io/metadata.name`` label).
- ``allowedRoutes.kinds`` empty: the listener protocol decides the route kinds.
- Hostnames: ``*.example.com`` matches names with one or more labels before ``.example.com`` (not
  ``example.com``); a route and a listener hostname match when either one covers the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.labels import selector_matches
from eksnet_manifests.check.lint.fields import as_int, as_map, as_str, dig, labels, maps
from eksnet_manifests.check.lint.index import CORE, GATEWAY_GROUP, ObjectIndex, namespace_of

ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")
HOSTNAME_ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute")

# Route kinds a listener admits when allowedRoutes.kinds is empty. TLS also admits TCPRoute: a listener that
# terminates TLS forwards plain TCP, and LBC's Gateway guide attaches a TCPRoute to an NLB TLS listener.
PROTOCOL_ROUTE_KINDS: Mapping[str, tuple[str, ...]] = {
    "HTTP": ("HTTPRoute", "GRPCRoute"),
    "HTTPS": ("HTTPRoute", "GRPCRoute"),
    "TLS": ("TLSRoute", "TCPRoute"),
    "TCP": ("TCPRoute",),
    "UDP": ("UDPRoute",),
}
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


@dataclass(frozen=True)
class Listener:
    position: int
    name: str | None
    port: int | None
    protocol: str | None
    hostname: str | None
    allowed_routes: Mapping[str, Any]
    tls: Mapping[str, Any]

    @property
    def path(self) -> str:
        return f"spec.listeners[{self.position}]"

    @property
    def label(self) -> str:
        return repr(self.name) if self.name else f"#{self.position}"


def listeners_of(gateway: Document) -> list[Listener]:
    return [
        Listener(
            position=position,
            name=as_str(spec.get("name")),
            port=as_int(spec.get("port")),
            protocol=as_str(spec.get("protocol")),
            hostname=as_str(spec.get("hostname")),
            allowed_routes=as_map(spec.get("allowedRoutes")),
            tls=as_map(spec.get("tls")),
        )
        for position, spec in maps(dig(gateway.obj, "spec", "listeners"))
    ]


@dataclass(frozen=True)
class ParentRef:
    path: str
    namespace: str
    name: str
    section_name: str | None
    port: int | None
    kind: str = "Gateway"
    """``Gateway``, or ``ListenerSet`` (Gateway API v1.5.0+: listeners attached to a Gateway)."""

    def describe(self) -> str:
        parts = [f"{self.kind} {self.namespace}/{self.name}"]
        if self.section_name:
            parts.append(f"sectionName {self.section_name!r}")
        if self.port is not None:
            parts.append(f"port {self.port}")
        return " ".join(parts)


PARENT_KINDS = ("Gateway", "ListenerSet")


def parent_refs(route: Document) -> list[ParentRef]:
    """The route's parentRefs to Gateways and ListenerSets; others (a mesh Service) are not followed."""
    refs = []
    for position, ref in maps(dig(route.obj, "spec", "parentRefs")):
        name = as_str(ref.get("name"))
        kind = ref.get("kind", "Gateway")
        if ref.get("group", GATEWAY_GROUP) != GATEWAY_GROUP or kind not in PARENT_KINDS or not name:
            continue
        refs.append(
            ParentRef(
                path=f"spec.parentRefs[{position}]",
                namespace=as_str(ref.get("namespace")) or namespace_of(route),
                name=name,
                section_name=as_str(ref.get("sectionName")),
                port=as_int(ref.get("port")),
                kind=kind,
            )
        )
    return refs


def gateway_parent_refs(route: Document) -> list[ParentRef]:
    """The route's parentRefs to Gateways themselves."""
    return [ref for ref in parent_refs(route) if ref.kind == "Gateway"]


@dataclass(frozen=True)
class Attachment:
    """One parentRef of a route: the object holding the listeners (the Gateway, or a ListenerSet), the
    Gateway they belong to, when in the input, and the listeners the ref selects."""

    ref: ParentRef
    gateway: Document | None
    listeners: tuple[Listener, ...]
    owner: Document | None = None
    """The Gateway or ListenerSet the ref names; route admission is judged in its namespace."""


def listener_set_gateway(index: ObjectIndex, listener_set: Document) -> Document | None:
    """The Gateway a ListenerSet's ``spec.parentRef`` names, when in the input."""
    parent = as_map(dig(listener_set.obj, "spec", "parentRef"))
    name = as_str(parent.get("name"))
    namespace = as_str(parent.get("namespace")) or namespace_of(listener_set)
    return index.get(GATEWAY_GROUP, "Gateway", namespace, name) if name else None


def attachments(index: ObjectIndex, route: Document) -> tuple[Attachment, ...]:
    """Where ``route`` attaches; worked out once per index and route, since many checks ask."""
    held, found = index.memo(f"attachments {id(route)}", lambda _: (route, tuple(_attachments(index, route))))
    return found if held is route else tuple(_attachments(index, route))


def _attachments(index: ObjectIndex, route: Document) -> list[Attachment]:
    found = []
    for ref in parent_refs(route):
        owner = index.get(GATEWAY_GROUP, ref.kind, ref.namespace, ref.name)
        gateway = owner if ref.kind == "Gateway" or owner is None else listener_set_gateway(index, owner)
        listeners = listeners_of(owner) if owner else []
        selected = tuple(
            listener
            for listener in listeners
            if (ref.section_name is None or listener.name == ref.section_name)
            and (ref.port is None or listener.port == ref.port)
        )
        found.append(Attachment(ref, gateway, selected, owner))
    return found


def admits_kind(listener: Listener, group: str, kind: str) -> bool:
    kinds = [entry for _, entry in maps(listener.allowed_routes.get("kinds"))]
    if kinds:
        return any(
            entry.get("kind") == kind and (entry.get("group", GATEWAY_GROUP) or CORE) == group
            for entry in kinds
        )
    defaults = PROTOCOL_ROUTE_KINDS.get(listener.protocol or "")
    # an implementation-specific protocol (``example.com/foo``) admits what its implementation says
    return defaults is None or kind in defaults


class Admission(Enum):
    ADMITTED = "admitted"
    REJECTED = "rejected"
    UNKNOWN = "unknown"  # a Selector, and the route's Namespace object is not in the input


def namespace_admission(index: ObjectIndex, listener: Listener, gateway_ns: str, route_ns: str) -> Admission:
    namespaces = as_map(listener.allowed_routes.get("namespaces"))
    source = namespaces.get("from") or "Same"
    if source == "All":
        return Admission.ADMITTED
    if source == "Selector":
        namespace = index.get(CORE, "Namespace", "", route_ns)
        if namespace is None:
            return Admission.UNKNOWN
        ns_labels = {**labels(namespace.obj), NAMESPACE_NAME_LABEL: route_ns}
        matched = selector_matches(as_map(namespaces.get("selector")), ns_labels)
        return Admission.ADMITTED if matched else Admission.REJECTED
    return Admission.ADMITTED if route_ns == gateway_ns else Admission.REJECTED


def hostnames_intersect(first: str, second: str) -> bool:
    first, second = first.lower(), second.lower()
    return first == second or _wildcard_covers(first, second) or _wildcard_covers(second, first)


def _wildcard_covers(pattern: str, hostname: str) -> bool:
    return pattern.startswith("*.") and hostname.endswith(pattern[1:])


def gateway_controller(index: ObjectIndex, gateway: Document) -> str | None:
    """The controllerName of the Gateway's GatewayClass, or None when that class is not in the input."""
    class_name = as_str(dig(gateway.obj, "spec", "gatewayClassName"))
    gateway_class = index.get(GATEWAY_GROUP, "GatewayClass", "", class_name) if class_name else None
    return as_str(dig(gateway_class.obj, "spec", "controllerName")) if gateway_class else None


def routes_by_listener(index: ObjectIndex, gateway: Document) -> dict[int, list[Document]]:
    """Listener position -> the routes attached to it: a parentRef selects it and it admits the route's
    kind and namespace (a Selector whose Namespace is not in the input counts as admitting)."""
    attached = index.memo("routes-by-listener", _routes_by_listener)
    found = attached.get((namespace_of(gateway), gateway.name), {})
    return {listener.position: found.get(listener.position, []) for listener in listeners_of(gateway)}


def _routes_by_listener(index: ObjectIndex) -> dict[tuple[str, str | None], dict[int, list[Document]]]:
    attached: dict[tuple[str, str | None], dict[int, list[Document]]] = {}
    for route in index.of_kind(GATEWAY_GROUP, *ROUTE_KINDS):
        for attachment in attachments(index, route):
            if attachment.gateway is None or attachment.ref.kind != "Gateway":
                continue
            by_position = attached.setdefault((attachment.ref.namespace, attachment.ref.name), {})
            for listener in attachment.listeners:
                admitted = namespace_admission(index, listener, attachment.ref.namespace, namespace_of(route))
                if admits_kind(listener, route.group, route.kind) and admitted is not Admission.REJECTED:
                    by_position.setdefault(listener.position, []).append(route)
    return attached
