"""Target groups behind Gateways: LBC's TargetGroupConfiguration, typed.

The fields map onto ``TargetGroupProps`` of the gateway.k8s.aws CRD (LBC docs
``guide/gateway/targetgroupconfig.md``); the attributes eksnet names (deregistration delay, slow start,
stickiness) become ``targetGroupAttributes`` entries.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict, model_validator

from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.names import Port, UrlPath, identifier
from eksnet_manifests.profile.selectors import LabelSelector

Seconds = Annotated[int, Strict(), Field(ge=0, le=3600)]
MatcherCodes = identifier(
    r"\d+(-\d+)?(,\d+(-\d+)?)*", "status codes like 200, 200-299 or 200,202", max_length=64
)
TargetGroupName = identifier(
    r"[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?", "a target group name (1-32 letters, digits, '-')"
)
AttributeKey = identifier(r"[a-z0-9_.]+", "an ELB attribute key like deregistration_delay.timeout_seconds")


class HealthCheckMatcher(StrictModel):
    http_code: MatcherCodes | None = None
    """HTTP status codes of a healthy target (ALB 200-499, NLB 200-599)."""
    grpc_code: MatcherCodes | None = None
    """gRPC status codes of a healthy target (0-99), for gRPC target groups."""

    @model_validator(mode="after")
    def _one_kind(self) -> HealthCheckMatcher:
        if (self.http_code is None) == (self.grpc_code is None):
            raise ValueError("set exactly one of httpCode and grpcCode")
        return self


class TargetGroupHealthCheck(StrictModel):
    """How the load balancer probes each target; unset fields keep the AWS defaults."""

    path: UrlPath | None = None
    """HTTP(S) path probed (not used by TCP checks)."""
    port: Port | None = None
    """Port probed; unset probes the port traffic goes to."""
    protocol: Literal["HTTP", "HTTPS", "TCP"] | None = None
    """Probe protocol; unset uses the target group's (TCP on NLBs)."""
    interval: Annotated[int, Strict(), Field(ge=5, le=300)] | None = None
    """Seconds between two probes of a target."""
    timeout: Annotated[int, Strict(), Field(ge=2, le=120)] | None = None
    """Seconds without a response that fail a probe."""
    healthy_threshold: Annotated[int, Strict(), Field(ge=2, le=10)] | None = None
    """Consecutive successes that make a target healthy."""
    unhealthy_threshold: Annotated[int, Strict(), Field(ge=2, le=10)] | None = None
    """Consecutive failures that make a target unhealthy."""
    matcher: HealthCheckMatcher | None = None
    """Status codes a healthy target answers with."""


class Stickiness(StrictModel):
    """Target group stickiness (``stickiness.*`` attributes)."""

    type: Literal["lb_cookie", "app_cookie", "source_ip"] = "lb_cookie"
    """``lb_cookie``/``app_cookie`` on ALBs, ``source_ip`` on NLBs."""
    duration: Annotated[int, Strict(), Field(ge=1, le=604800)] | None = None
    """Seconds a client stays on one target (cookie stickiness)."""
    cookie_name: str | None = None
    """The application's cookie (``app_cookie`` only)."""


class TargetGroupProps(StrictModel):
    """Target group settings besides protocol and health check."""

    name: TargetGroupName | None = None
    """Target group name (``targetGroupName``); unset lets LBC generate one."""
    target_type: Literal["ip", "instance"] | None = None
    """``ip`` registers pod IPs, ``instance`` node ports (apps: ip, as eksnet's Services expect)."""
    ip_address_type: Literal["ipv4", "ipv6"] | None = None
    """Target IP family; unset lets LBC infer it."""
    protocol_version: Literal["HTTP1", "HTTP2", "GRPC"] | None = None
    """ALB protocol version to the targets (HTTPS listeners only; gRPC routes default to GRPC)."""
    deregistration_delay: Seconds | None = None
    """Seconds a draining target keeps its connections (``deregistration_delay.timeout_seconds``)."""
    slow_start: Annotated[int, Strict(), Field(ge=30, le=900)] | None = None
    """ALB: seconds a new target ramps up its share of requests (``slow_start.duration_seconds``)."""
    stickiness: Stickiness | None = None
    """Keep a client on one target."""
    attributes: dict[AttributeKey, str] = Field(default_factory=dict)
    """Other target group attributes (``targetGroupAttributes``), by ELB key."""
    node_selector: LabelSelector | None = None
    """Instance targets: only nodes with these labels are registered."""
    tags: dict[str, str] = Field(default_factory=dict)
    """AWS tags on the target group."""
    enable_multi_cluster: bool | None = None
    """Let other clusters register targets in the same target group."""
    target_control_port: Port | None = None
    """ALB: port targets report their capacity on (target optimizer; LBC v2.16.0+)."""

    @model_validator(mode="after")
    def _named_attributes_once(self) -> TargetGroupProps:
        for key in self.attributes:
            if key.startswith(("stickiness.", "deregistration_delay.", "slow_start.")):
                raise ValueError(
                    f"set {key} with stickiness, deregistrationDelay or slowStart, not attributes"
                )
        return self


class TargetGroupSettings(TargetGroupProps):
    """A whole target group configuration, for Gateway and GatewayClass defaults."""

    protocol: Literal["HTTP", "HTTPS", "TCP", "UDP", "TCP_UDP", "TLS"] | None = None
    """Protocol from the load balancer to the targets; unset lets LBC infer it from the route kind."""
    health_check: TargetGroupHealthCheck | None = None
    """Health check of the targets."""
