"""How an app is reached: NLB IP targets, ALB Ingress, a Gateway API route, or not at all."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict, field_validator, model_validator

from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.load_balancer import (
    AlbAttributes,
    AlbTargetGroupAttributes,
    HealthCheckTuning,
    LoadBalancerSettings,
    NlbAttributes,
    NlbTargetGroupAttributes,
)
from eksnet_manifests.profile.names import DnsLabel, Hostname, Port, UrlPath, WafName, Wafv2AclArn, identifier
from eksnet_manifests.profile.routes import RouteKind, RouteRule
from eksnet_manifests.profile.target_group import TargetGroupHealthCheck, TargetGroupProps
from eksnet_manifests.versions.lbc_annotations import INGRESS_PREFIX

Scheme = Literal["internet-facing", "internal"]
AcmCertificateArn = identifier(
    r"arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+",
    "an ACM certificate ARN",
    max_length=2048,
)


class HealthCheck(StrictModel):
    path: UrlPath | None = None
    """HTTP(S) health check path; unset means the load balancer's default."""
    port: Port | None = None
    """Health check port; unset means the traffic port."""
    protocol: Literal["HTTP", "HTTPS", "TCP"] | None = None
    """Health check protocol; unset means the load balancer's default."""


class LbHealthCheck(HealthCheck, HealthCheckTuning):
    """Target group health check of an NLB or ALB: what, how often, and what counts as healthy."""


class _Exposed(StrictModel):
    hosts: tuple[Hostname, ...] = ()
    """DNS names for the app. ExternalDNS creates the Route 53 records for them."""
    ttl: Annotated[int, Strict(), Field(ge=1, le=86400)] | None = None
    """Route 53 record TTL in seconds (ExternalDNS ``ttl`` annotation); unset uses ExternalDNS's default."""
    health_check: HealthCheck | None = None
    """Target group health check."""
    annotations: dict[str, str] = Field(default_factory=dict)
    """Extra annotations on the Service, Ingress or HTTPRoute, for settings eksnet does not model."""

    @field_validator("hosts")
    @classmethod
    def _unique_hosts(cls, hosts: tuple[str, ...]) -> tuple[str, ...]:
        duplicates = sorted({h for h in hosts if hosts.count(h) > 1})
        if duplicates:
            raise ValueError(f"duplicate host {duplicates[0]!r}")
        return hosts


class Tls(StrictModel):
    certificate_arns: tuple[AcmCertificateArn, ...] = ()
    """ACM certificate ARNs for HTTPS; empty with ``https: true`` lets LBC discover them by host."""
    https: bool = False
    """Add an HTTPS listener on 443 (implied by certificateArns)."""

    @property
    def tls_enabled(self) -> bool:
        return self.https or bool(self.certificate_arns)


class NlbExposure(LoadBalancerSettings, _Exposed, Tls):
    """A Service of type LoadBalancer owned by LBC: an NLB with IP targets (pod IPs from the VPC CNI)."""

    type: Literal["nlb"]
    protocol: Literal["TCP", "UDP", "TCP_UDP"] = "TCP"
    """Transport of the Service port; TCP_UDP gives it a TCP and a UDP port (LBC makes one TCP_UDP
    listener of them with ``aws-load-balancer-enable-tcp-udp-listener``)."""
    scheme: Scheme = "internal"
    """``internet-facing`` or ``internal`` (LBC's default)."""
    cross_zone: bool = False
    """Cross-zone load balancing across AZs (off by default for NLBs, as in LBC and ELB)."""
    health_check: LbHealthCheck | None = None
    """Target group health check."""
    ip_address_type: Literal["ipv4", "dualstack"] | None = None
    """``dualstack`` adds IPv6 addresses (LBC's default ipv4)."""
    alpn_policy: Literal["HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None"] | None = None
    """ALPN policy of the TLS listener."""
    load_balancer_attributes: NlbAttributes | None = None
    """NLB attributes besides ``crossZone`` and ``accessLogs``."""
    target_group_attributes: NlbTargetGroupAttributes | None = None
    """Target group attributes: deregistration, client IP, proxy protocol v2, stickiness."""


class AlbBackend(StrictModel):
    """Where an Ingress path or the default backend sends requests: an app's Service, or an LBC action."""

    app: DnsLabel | None = None
    """Another app of the profile, in this app's namespace; unset: this app."""
    port: Port | None = None
    """Its Service port (default: that app's ``servicePort``)."""
    action: DnsLabel | None = None
    """An LBC action instead of a Service: the ``alb.ingress.kubernetes.io/actions.<action>`` entry of
    ``annotations`` (forward, redirect or fixed-response; the backend port is ``use-annotation``)."""

    @model_validator(mode="after")
    def _service_or_action(self) -> AlbBackend:
        if self.action is not None and (self.app is not None or self.port is not None):
            raise ValueError("action replaces the Service: drop app and port")
        return self


class AlbPath(AlbBackend):
    path: UrlPath = "/"
    """The request path."""
    path_type: Literal["Prefix", "Exact", "ImplementationSpecific"] = "Prefix"
    """``Prefix``: the path and below; ``Exact``: the path only; ``ImplementationSpecific``: an ALB path
    pattern (``*`` any characters, ``?`` one)."""


class AlbRule(StrictModel):
    """One Ingress rule: a host (none: every host) and its paths."""

    host: Hostname | None = None
    """The host; ``*.example.com`` matches one label."""
    paths: tuple[AlbPath, ...] = Field(min_length=1, max_length=100)
    """Paths, in the order LBC gives them priority."""


class AlbExposure(LoadBalancerSettings, _Exposed, Tls):
    """A Service plus an Ingress of class ``alb``: an ALB with IP targets."""

    type: Literal["alb"]
    scheme: Scheme = "internal"
    """``internet-facing`` or ``internal`` (LBC's default)."""
    path_prefix: UrlPath = "/"
    """Path prefix routed to the app."""
    ssl_redirect: bool = False
    """Redirect HTTP to HTTPS (needs TLS)."""
    group_name: DnsLabel | None = None
    """IngressGroup name: Ingresses with the same group share one ALB."""
    service_type: Literal["ClusterIP", "NodePort"] = "ClusterIP"
    """Service type behind the ALB; IP targets need no node port."""
    health_check: LbHealthCheck | None = None
    """Target group health check."""
    group_order: Annotated[int, Strict(), Field(ge=-1000, le=1000)] | None = None
    """Order of this Ingress's rules in its IngressGroup (-1000 to 1000, lower first; LBC's default 0)."""
    ip_address_type: Literal["ipv4", "dualstack", "dualstack-without-public-ipv4"] | None = None
    """``dualstack`` adds IPv6 addresses (LBC's default ipv4)."""
    backend_protocol: Literal["HTTP", "HTTPS"] | None = None
    """Protocol from the ALB to the pods (LBC's default HTTP)."""
    backend_protocol_version: Literal["HTTP1", "HTTP2", "GRPC"] | None = None
    """Application protocol to the pods; GRPC makes health-check success codes gRPC codes."""
    wafv2_acl_arn: Wafv2AclArn | None = None
    """Regional WAFv2 web ACL to associate with the ALB; ``none`` removes the association."""
    wafv2_acl_name: WafName | None = None
    """Regional WAFv2 web ACL by name, ``none`` removes it (LBC v2.14.0 or newer)."""
    shield_advanced_protection: bool | None = None
    """Turn AWS Shield Advanced protection of the ALB on or off."""
    load_balancer_attributes: AlbAttributes | None = None
    """ALB attributes besides ``accessLogs``."""
    target_group_attributes: AlbTargetGroupAttributes | None = None
    """Target group attributes: deregistration, slow start, algorithm, stickiness."""
    rules: tuple[AlbRule, ...] = Field(default=(), max_length=100)
    """Ingress rules when one path to this app is not enough: per host, paths to this app, to other apps
    of its namespace or to LBC actions; empty: every host of ``hosts`` routes ``pathPrefix`` to the app."""
    default_backend: AlbBackend | None = None
    """Where requests no rule matches go (Ingress ``defaultBackend``: the ALB listener's default action)."""

    @model_validator(mode="after")
    def _redirect_needs_tls(self) -> AlbExposure:
        if self.ssl_redirect and not self.tls_enabled:
            raise ValueError("sslRedirect needs https: true or certificateArns")
        return self

    @model_validator(mode="after")
    def _rules_consistent(self) -> AlbExposure:
        if not self.rules:
            return self
        if "path_prefix" in self.model_fields_set:
            raise ValueError("pathPrefix is the one path written without rules: give it as a path in rules")
        named = {rule.host for rule in self.rules if rule.host is not None}
        unknown = sorted(named - set(self.hosts))
        if unknown:
            raise ValueError(f"rules name host {unknown[0]!r}, which hosts does not list")
        unused = [host for host in self.hosts if host not in named]
        if unused:
            raise ValueError(f"host {unused[0]!r} is in no rule: ExternalDNS and LBC would not see it")
        return self

    @model_validator(mode="after")
    def _actions_declared(self) -> AlbExposure:
        backends = [path for rule in self.rules for path in rule.paths]
        if self.default_backend is not None:
            backends.append(self.default_backend)
        for backend in backends:
            key = f"{INGRESS_PREFIX}actions.{backend.action}"
            if backend.action is not None and key not in self.annotations:
                raise ValueError(f"action {backend.action!r} needs its annotation {key} in annotations")
        return self

    def actions(self) -> list[str]:
        """The LBC actions the Ingress paths and default backend use, in order, once each."""
        backends = [path for rule in self.rules for path in rule.paths] + [self.default_backend]
        return list(dict.fromkeys(b.action for b in backends if b is not None and b.action is not None))


class GatewayExposure(_Exposed):
    """A route on a Gateway (the cluster's shared one, or one of ``gatewayApi.gateways``) plus a
    TargetGroupConfiguration with IP targets."""

    type: Literal["gateway"]
    gateway: DnsLabel | None = None
    """A Gateway of ``gatewayApi.gateways`` by name; unset: the shared one (``gatewayApi.gatewayName``)."""
    listener_set: DnsLabel | None = None
    """Attach to a listener of this ListenerSet of the Gateway instead of one of the Gateway's own."""
    section_name: DnsLabel = "http"
    """Listener the route attaches to (the shared Gateway has ``http`` and, with TLS, ``https``)."""
    kind: RouteKind | None = None
    """Route kind; default from the listener: HTTPRoute (HTTP/HTTPS), TCPRoute, UDPRoute, TLSRoute."""
    path_prefix: UrlPath = "/"
    """Path prefix routed to the app (the one rule written when ``rules`` is empty)."""
    rules: tuple[RouteRule, ...] = Field(default=(), max_length=16)
    """HTTPRoute/GRPCRoute rules: matches, weighted backends, filters, ALB listener rule settings."""
    protocol: Literal["HTTP", "HTTPS", "TCP", "UDP", "TCP_UDP", "TLS"] | None = None
    """Protocol from the load balancer to the pods; default HTTP on ALB Gateways, on NLB Gateways the
    route's (TCP, UDP, TLS; TCP_UDP where a TCP and a UDP listener share the port)."""
    health_check: TargetGroupHealthCheck | None = None  # type: ignore[assignment]
    """Target group health check."""
    target_group: TargetGroupProps | None = None
    """Other target group settings (TargetGroupConfiguration ``defaultConfiguration``)."""

    @model_validator(mode="after")
    def _rules_or_path(self) -> GatewayExposure:
        if self.rules and "path_prefix" in self.model_fields_set:
            raise ValueError("pathPrefix is the one rule written without rules: give it as a match in rules")
        if self.listener_set is not None and self.gateway is None:
            raise ValueError(
                "listenerSet needs gateway: ListenerSets belong to a Gateway of gatewayApi.gateways"
            )
        return self


class NoExposure(StrictModel):
    """A ClusterIP Service only, reachable inside the cluster."""

    type: Literal["none"] = "none"


Exposure = Annotated[NlbExposure | AlbExposure | GatewayExposure | NoExposure, Field(discriminator="type")]
ExposureKind = Literal["nlb", "alb", "gateway", "none"]
