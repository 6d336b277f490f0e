"""Route rules of a gateway app: matches, weighted backends and filters as Gateway API spells them.

One ``RouteRule`` is one rule of the app's HTTPRoute or GRPCRoute (L4 routes take ``backends`` only).
Which of these the ALB controller programs, and from which release, is checked against the pinned LBC
(``check/rules/lbc_routes.py``), so a feature LBC lacks is an error at its profile line.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict, field_validator, model_validator

from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.listener_rule import ListenerRule
from eksnet_manifests.profile.names import DnsLabel, Hostname, Port, identifier
from eksnet_manifests.profile.target_group import TargetGroupSettings

RouteKind = Literal["HTTPRoute", "GRPCRoute", "TCPRoute", "UDPRoute", "TLSRoute"]
L7_ROUTE_KINDS = ("HTTPRoute", "GRPCRoute")
HeaderName = identifier(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+", "an HTTP header name", max_length=256)
HttpMethod = Literal["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]
GatewayDuration = identifier(r"([0-9]{1,5}(h|m|s|ms)){1,4}", "a Gateway API duration like 10s or 1m30s")
Weight = Annotated[int, Strict(), Field(ge=0, le=1000000)]
MatchValue = Annotated[str, Field(min_length=1, max_length=4096)]
GrpcName = identifier(r"[A-Za-z_][A-Za-z0-9_.*?]*", "a gRPC service or method name", max_length=1024)


class PathMatch(StrictModel):
    type: Literal["Exact", "PathPrefix", "RegularExpression"] = "PathPrefix"
    """How the request path is compared."""
    value: Annotated[str, Field(min_length=1, max_length=1024)] = "/"
    """The path (starting with ``/``) or, for RegularExpression, the expression."""

    @model_validator(mode="after")
    def _absolute(self) -> PathMatch:
        if self.type != "RegularExpression" and not self.value.startswith("/"):
            raise ValueError(f"a {self.type} path starts with '/'")
        return self


class ValueMatch(StrictModel):
    name: HeaderName
    """Header or query parameter name."""
    value: MatchValue
    """Value compared."""
    type: Literal["Exact", "RegularExpression"] = "Exact"
    """Exact value or regular expression."""


class GrpcMethod(StrictModel):
    service: GrpcName | None = None
    """Fully qualified service, e.g. ``helloworld.Greeter``."""
    method: GrpcName | None = None
    """Method, e.g. ``SayHello``."""
    type: Literal["Exact", "RegularExpression"] = "Exact"
    """Exact names or expressions (ALB: ``*`` and ``?`` only)."""

    @model_validator(mode="after")
    def _something(self) -> GrpcMethod:
        if self.service is None and self.method is None:
            raise ValueError("set service, method or both")
        return self


class RouteMatch(StrictModel):
    """One way a request matches the rule; all conditions of a match must hold."""

    path: PathMatch | None = None
    """HTTPRoute: request path."""
    headers: tuple[ValueMatch, ...] = Field(default=(), max_length=16)
    """Request headers."""
    query_params: tuple[ValueMatch, ...] = Field(default=(), max_length=16)
    """HTTPRoute: query parameters."""
    method: HttpMethod | GrpcMethod | None = None
    """HTTPRoute: the HTTP method (``GET``…); GRPCRoute: ``{service, method}``."""


class Backend(StrictModel):
    """A Service traffic goes to: another app of the profile, by name."""

    app: DnsLabel
    """The app whose Service receives this share (in any namespace; eksnet writes the ReferenceGrant)."""
    weight: Weight = 1
    """Relative share of the rule's traffic (canary: 90 and 10)."""
    port: Port | None = None
    """Service port (default: that app's ``servicePort``)."""
    target_group: TargetGroupSettings | None = None
    """Target group settings for this route's traffic to that app (its TargetGroupConfiguration's
    ``routeConfigurations``); the app's own settings stay the default."""


class PathModifier(StrictModel):
    type: Literal["ReplaceFullPath", "ReplacePrefixMatch"]
    """Replace the whole path, or the part the PathPrefix match matched."""
    value: Annotated[str, Field(max_length=1024)]
    """The new path or prefix."""


class RequestRedirect(StrictModel):
    """Answer with a redirect instead of forwarding."""

    scheme: Literal["http", "https"] | None = None
    """New scheme (the port follows: 80 or 443, unless ``port`` is set)."""
    hostname: Hostname | None = None
    """New host."""
    port: Port | None = None
    """New port."""
    path: PathModifier | None = None
    """New path."""
    status_code: Literal[301, 302] = 302
    """301 (permanent) or 302 (found); ALB redirects with no other code."""


class UrlRewrite(StrictModel):
    """Rewrite the request before forwarding (LBC v2.15.0+)."""

    hostname: Hostname | None = None
    """New Host header."""
    path: PathModifier | None = None
    """New path."""


class HeaderModifier(StrictModel):
    set: dict[HeaderName, str] = Field(default_factory=dict)
    """Headers to set (replacing any value)."""
    add: dict[HeaderName, str] = Field(default_factory=dict)
    """Headers to add."""
    remove: tuple[HeaderName, ...] = ()
    """Headers to remove."""


class Timeouts(StrictModel):
    request: GatewayDuration | None = None
    """Time for the whole request."""
    backend_request: GatewayDuration | None = None
    """Time for one request to a backend."""


class RouteRule(StrictModel):
    """One rule: requests matching any of ``matches`` go to ``backends`` through its filters."""

    matches: tuple[RouteMatch, ...] = Field(default=(), max_length=64)
    """Matches; empty matches every request (``PathPrefix /`` on HTTPRoutes)."""
    backends: tuple[Backend, ...] = Field(default=(), max_length=16)
    """Where matching traffic goes; empty: the app itself (none with ``requestRedirect``)."""
    request_redirect: RequestRedirect | None = None
    """Redirect instead of forwarding (HTTPRoute)."""
    url_rewrite: UrlRewrite | None = None
    """Rewrite host and path before forwarding (HTTPRoute)."""
    request_header_modifier: HeaderModifier | None = None
    """Change request headers (Gateway API; ALB Gateways do not: see listener attributes)."""
    response_header_modifier: HeaderModifier | None = None
    """Change response headers (Gateway API; ALB Gateways do not: see listener attributes)."""
    timeouts: Timeouts | None = None
    """Request timeouts (Gateway API; ALB Gateways have none per rule)."""
    listener_rule: ListenerRule | None = None
    """ALB extras: authentication, fixed response, source IPs, stickiness (a ListenerRuleConfiguration)."""

    @field_validator("backends")
    @classmethod
    def _unique_backends(cls, backends: tuple[Backend, ...]) -> tuple[Backend, ...]:
        apps = [(backend.app, backend.port) for backend in backends]
        if len(set(apps)) < len(apps):
            raise ValueError("each backend app (and port) once per rule")
        return backends

    @model_validator(mode="after")
    def _redirect_or_forward(self) -> RouteRule:
        if self.request_redirect is not None and (self.backends or self.url_rewrite is not None):
            raise ValueError("requestRedirect answers the request itself: drop backends and urlRewrite")
        return self
