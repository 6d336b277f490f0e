"""Gateways the platform team declares: ALB (L7) and NLB (L4) Gateways with their listeners, load
balancer settings, ListenerSets and GatewayClass defaults (``gatewayApi.gateways``, ``gatewayClasses``).

Apps choose one by name (``expose.gateway``) and a listener by ``sectionName``; without ``gateway`` they
attach to the shared Gateway of ``gatewayApi``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import Field, field_validator, model_validator

from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.exposure import AcmCertificateArn, Scheme
from eksnet_manifests.profile.gateway_load_balancer import AwsResourceName, LoadBalancerSettings, MutualTls
from eksnet_manifests.profile.names import DnsLabel, Hostname, Port
from eksnet_manifests.profile.routes import RouteKind
from eksnet_manifests.profile.selectors import LabelSelector
from eksnet_manifests.profile.target_group import AttributeKey, TargetGroupSettings

GatewayType = Literal["alb", "nlb"]
ListenerProtocol = Literal["HTTP", "HTTPS", "TCP", "UDP", "TLS"]
AllowedFrom = Literal["Same", "All", "Selector"]
# Listener protocols each LBC controller serves (LBC docs guide/gateway/l4gateway.md, l7gateway.md).
PROTOCOLS: dict[str, tuple[str, ...]] = {"alb": ("HTTP", "HTTPS"), "nlb": ("TCP", "UDP", "TLS")}
# The route kind an app gets on a listener of each protocol when it names none (Gateway API defaults).
DEFAULT_ROUTE_KIND: dict[str, RouteKind] = {
    "HTTP": "HTTPRoute",
    "HTTPS": "HTTPRoute",
    "TCP": "TCPRoute",
    "UDP": "UDPRoute",
    "TLS": "TLSRoute",
}
ROUTE_KINDS_BY_PROTOCOL: dict[str, tuple[RouteKind, ...]] = {
    "HTTP": ("HTTPRoute", "GRPCRoute"),
    "HTTPS": ("HTTPRoute", "GRPCRoute"),
    "TCP": ("TCPRoute",),
    "UDP": ("UDPRoute",),
    "TLS": ("TLSRoute", "TCPRoute"),
}
SECURE_PROTOCOLS = ("HTTPS", "TLS")


class RouteAdmission(StrictModel):
    """Which routes a listener (or every listener of a Gateway) admits."""

    allowed_routes: AllowedFrom | None = None
    """Namespaces routes may come from: ``Same`` (the Gateway's), ``All``, or ``Selector``."""
    namespace_selector: LabelSelector | None = None
    """With ``allowedRoutes: Selector``: the labels of the namespaces admitted (see ``namespaces``)."""

    @model_validator(mode="after")
    def _selector_with_selector(self) -> RouteAdmission:
        if (self.allowed_routes == "Selector") != (self.namespace_selector is not None):
            raise ValueError("namespaceSelector goes with allowedRoutes: Selector, and only with it")
        return self


class Listener(RouteAdmission):
    """A Gateway listener and the load balancer settings of its port."""

    name: DnsLabel
    """Listener name; apps attach with ``sectionName``."""
    protocol: ListenerProtocol
    """HTTP or HTTPS on ALB Gateways; TCP, UDP or TLS on NLB Gateways."""
    port: Port
    """Port of the load balancer listener."""
    hostname: Hostname | None = None
    """Only routes for this hostname (``*.example.com`` wildcards) attach."""
    kinds: tuple[RouteKind, ...] = ()
    """Route kinds admitted; empty admits those of the protocol."""
    tls_mode: Literal["Terminate", "Passthrough"] = "Terminate"
    """TLS listeners: the NLB terminates TLS, or passes it through (LBC then makes a TCP listener)."""
    certificate_arns: tuple[AcmCertificateArn, ...] = ()
    """HTTPS/TLS: ACM certificates, the first the default; empty lets LBC discover them by hostname."""
    ssl_policy: AwsResourceName | None = None
    """HTTPS/TLS: ELB security policy (LBC default ELBSecurityPolicy-2016-08)."""
    alpn_policy: Literal["HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None"] | None = None
    """NLB TLS: ALPN policy."""
    mutual_tls: MutualTls | None = None
    """ALB HTTPS: client certificates."""
    attributes: dict[AttributeKey, str] = Field(default_factory=dict)
    """Listener attributes (``listenerAttributes``), e.g. ``routing.http.response.server.enabled``."""
    quic: bool | None = None
    """NLB UDP: upgrade to QUIC (TCP_QUIC on a merged TCP_UDP port; IP targets, LBC v2.17.1+)."""
    target_group_stickiness: bool | None = None
    """Stickiness across the weighted target groups of the listener (LBC v2.17.0+)."""

    def has_settings(self) -> bool:
        """True when the listener needs a ``listenerConfigurations`` entry."""
        return bool(self.certificate_arns or self.attributes or self.mutual_tls) or any(
            v is not None
            for v in (self.ssl_policy, self.alpn_policy, self.quic, self.target_group_stickiness)
        )


def merged_protocol(listener: Listener, listeners: Sequence[Listener]) -> str:
    """The protocol of the load balancer listener on ``listener``'s port: TCP_UDP where a TCP and a UDP
    listener share it (LBC v2.17.0+, pkg/gateway/model/model_build_listener.go mergeProtocols)."""
    protocols = {other.protocol for other in listeners if other.port == listener.port}
    return "TCP_UDP" if {"TCP", "UDP"} <= protocols else listener.protocol


def _unique_listeners(listeners: tuple[Listener, ...]) -> tuple[Listener, ...]:
    names = [listener.name for listener in listeners]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"duplicate listener name {duplicates[0]!r}")
    return listeners


class ListenerSet(RouteAdmission):
    """Extra listeners attached to a Gateway from another resource (Gateway API v1.5.0+, LBC v3.2.0+)."""

    name: DnsLabel
    """ListenerSet name; apps attach with ``expose.listenerSet``."""
    namespace: DnsLabel | None = None
    """Its namespace (default: the Gateway's); the Gateway's ``allowedListeners`` must admit it."""
    listeners: tuple[Listener, ...] = Field(min_length=1)
    """Its listeners; ``allowedRoutes: Same`` means the ListenerSet's namespace."""

    _unique = field_validator("listeners")(_unique_listeners)


class Gateway(RouteAdmission):
    """A Gateway of its own: one ALB or NLB with its own LoadBalancerConfiguration."""

    name: DnsLabel
    """Gateway name; apps choose it with ``expose.gateway``."""
    type: GatewayType
    """``alb`` (L7: HTTP/HTTPS, HTTPRoute, GRPCRoute) or ``nlb`` (L4: TCP/UDP/TLS routes)."""
    namespace: DnsLabel | None = None
    """Namespace of the Gateway and its LoadBalancerConfiguration (default: ``gatewayApi.namespace``)."""
    gateway_class_name: DnsLabel | None = None
    """GatewayClass (default: ``gatewayApi.albGatewayClassName`` or ``nlbGatewayClassName``)."""
    scheme: Scheme = "internal"
    """``internet-facing`` or ``internal`` (LBC's default)."""
    listeners: tuple[Listener, ...] = Field(min_length=1)
    """Listeners; routes attach to them by name."""
    redirect_http_to_https: bool = False
    """ALB: answer every request on the HTTP listeners with a 301 to HTTPS (needs an HTTPS listener)."""
    load_balancer: LoadBalancerSettings = LoadBalancerSettings()
    """Settings of the load balancer (the Gateway's LoadBalancerConfiguration)."""
    target_group_defaults: TargetGroupSettings | None = None
    """Target group defaults for every backend of the Gateway (a TargetGroupConfiguration without
    targetReference; LBC v3.2.0+); an app's own settings win field by field."""
    allowed_listeners: Literal["None", "Same", "All", "Selector"] = "None"
    """Which namespaces may attach ListenerSets to the Gateway (Gateway API default: None)."""
    allowed_listeners_selector: LabelSelector | None = None
    """With ``allowedListeners: Selector``: the labels of the namespaces admitted."""
    listener_sets: tuple[ListenerSet, ...] = ()
    """ListenerSets eksnet writes for this Gateway."""

    _unique = field_validator("listeners")(_unique_listeners)

    @model_validator(mode="after")
    def _consistent(self) -> Gateway:
        if (self.allowed_listeners == "Selector") != (self.allowed_listeners_selector is not None):
            raise ValueError(
                "allowedListenersSelector goes with allowedListeners: Selector, and only with it"
            )
        names = [listener_set.name for listener_set in self.listener_sets]
        if len(set(names)) < len(names):
            raise ValueError("ListenerSet names must be unique")
        return self

    def listener(self, name: str) -> Listener | None:
        return next((listener for listener in self.listeners if listener.name == name), None)

    def listener_set(self, name: str) -> ListenerSet | None:
        return next((entry for entry in self.listener_sets if entry.name == name), None)


class GatewayClassSettings(StrictModel):
    """Defaults for every Gateway of one class (a LoadBalancerConfiguration on the GatewayClass)."""

    name: DnsLabel
    """The GatewayClass these settings belong to."""
    merging_mode: Literal["prefer-gateway-class", "prefer-gateway"] = "prefer-gateway-class"
    """Which side wins when a Gateway's own setting differs (LBC default: the class)."""
    load_balancer: LoadBalancerSettings = LoadBalancerSettings()
    """Load balancer defaults of the class's Gateways."""
    target_group_defaults: TargetGroupSettings | None = None
    """Target group defaults of the class's Gateways (LBC v3.2.0+)."""
