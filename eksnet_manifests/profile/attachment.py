"""Where a gateway app attaches: its Gateway, listener (or ListenerSet listener) and route kind.

The shared Gateway of ``gatewayApi`` is seen as a Gateway model too (``GatewayApi.shared_gateway``), so
routes on it and on the Gateways of ``gatewayApi.gateways`` are built and checked alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from eksnet_manifests.profile.controllers import GatewayApi
from eksnet_manifests.profile.exposure import GatewayExposure
from eksnet_manifests.profile.gateway import (
    DEFAULT_ROUTE_KIND,
    Gateway,
    Listener,
    ListenerSet,
    merged_protocol,
)
from eksnet_manifests.profile.routes import RouteKind

# The target group protocol LBC infers from the route kind on an NLB
# (pkg/gateway/model/model_build_target_group.go inferTargetGroupProtocolFromRoute, LBC v3.5.0).
NLB_ROUTE_PROTOCOL: dict[str, str] = {"TCPRoute": "TCP", "UDPRoute": "UDP", "TLSRoute": "TLS"}


@dataclass(frozen=True)
class Attachment:
    gateway: Gateway
    namespace: str
    """The Gateway's namespace."""
    listener: Listener
    listener_set: ListenerSet | None
    kind: RouteKind
    shared: bool
    """The shared Gateway of ``gatewayApi`` (not one of ``gatewayApi.gateways``)."""

    @property
    def parent_namespace(self) -> str:
        """Namespace of the route's parent: the ListenerSet's, else the Gateway's."""
        if self.listener_set is not None:
            return self.listener_set.namespace or self.namespace
        return self.namespace

    @property
    def port_protocol(self) -> str:
        """The load balancer listener protocol on this listener's port: TCP_UDP where a TCP and a UDP
        listener of the Gateway (and its ListenerSets) share it (LBC v2.17.0+ mergeProtocols)."""
        return merged_protocol(self.listener, all_listeners(self.gateway))

    def target_protocol(self, expose: GatewayExposure) -> str:
        """The target group protocol: the app's ``protocol``, else HTTP on ALBs and, on NLBs, the merged
        port's or the one LBC infers from the route kind."""
        if expose.protocol is not None:
            return expose.protocol
        if self.gateway.type == "alb":
            return "HTTP"
        if self.port_protocol == "TCP_UDP":
            return "TCP_UDP"
        return NLB_ROUTE_PROTOCOL.get(self.kind, "TCP")


def all_listeners(gateway: Gateway) -> list[Listener]:
    """The Gateway's listeners, then those of its ListenerSets."""
    return [
        *gateway.listeners,
        *(listener for entry in gateway.listener_sets for listener in entry.listeners),
    ]


def attachment(gateway_api: GatewayApi, expose: GatewayExposure) -> Attachment | None:
    """Where ``expose`` attaches; None when its Gateway, ListenerSet or listener does not exist."""
    gateway = gateway_api.gateway(expose.gateway)
    if gateway is None:
        return None
    listener_set = gateway.listener_set(expose.listener_set) if expose.listener_set else None
    if expose.listener_set and listener_set is None:
        return None
    listeners = listener_set.listeners if listener_set is not None else gateway.listeners
    listener = next((entry for entry in listeners if entry.name == expose.section_name), None)
    if listener is None:
        return None
    kind = expose.kind or DEFAULT_ROUTE_KIND[listener.protocol]
    namespace = gateway_api.gateway_namespace(gateway)
    return Attachment(gateway, namespace, listener, listener_set, kind, expose.gateway is None)
