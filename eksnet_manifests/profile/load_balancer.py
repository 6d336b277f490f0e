"""Typed load balancer settings that LBC takes as annotations on NLB Services and ALB Ingresses.

Each field writes one documented LBC annotation or one ELB attribute inside one (the catalogue
``versions.lbc_annotations`` names which). Ranges are those ELB accepts (``versions.elb``); an unset
field writes nothing, so the controller's and ELB's defaults apply.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, Strict, field_validator, model_validator

from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.names import (
    Cidr,
    LoadBalancerName,
    PrefixListId,
    S3BucketName,
    S3Prefix,
    SecurityGroupRef,
    SslPolicyName,
    SubnetRef,
    TagKey,
    TagValue,
    identifier,
)
from eksnet_manifests.versions import elb


def _within(bounds: tuple[int, int]) -> Any:
    """A YAML integer within ``bounds`` (inclusive)."""
    low, high = bounds
    return Annotated[int, Strict(), Field(ge=low, le=high)]


HealthCheckInterval = _within(elb.HEALTH_CHECK_INTERVAL)
HealthCheckTimeout = _within(elb.HEALTH_CHECK_TIMEOUT)
HealthyThreshold = _within(elb.HEALTHY_THRESHOLD)
UnhealthyThreshold = _within(elb.UNHEALTHY_THRESHOLD)
DeregistrationDelay = _within(elb.DEREGISTRATION_DELAY)
CookieDuration = _within(elb.COOKIE_DURATION)
DrainingInterval = _within(elb.UNHEALTHY_DRAINING_INTERVAL)
IdleTimeout = _within(elb.IDLE_TIMEOUT)
ClientKeepAlive = _within(elb.CLIENT_KEEP_ALIVE)

CookieName = identifier(
    r"(?!AWSALB)[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}",
    "a cookie name (token characters, not starting with AWSALB, which ELB reserves)",
)


class AccessLogs(StrictModel):
    """ELB access logs to S3 (load balancer attributes ``access_logs.s3.*``)."""

    enabled: bool = True
    """Write access logs; ``false`` turns them off again (leaving the block out changes nothing)."""
    bucket: S3BucketName | None = None
    """S3 bucket in the load balancer's region, whose policy lets ELB write to it."""
    prefix: S3Prefix | None = None
    """Key prefix inside the bucket."""

    @model_validator(mode="after")
    def _bucket_when_enabled(self) -> AccessLogs:
        if self.enabled and self.bucket is None:
            raise ValueError("access logs need a bucket")
        return self


class HealthCheckTuning(StrictModel):
    """Health check timing, thresholds and matcher of an NLB or ALB target group."""

    interval_seconds: HealthCheckInterval | None = None
    """Seconds between health checks (5-300)."""
    timeout_seconds: HealthCheckTimeout | None = None
    """Seconds without a response that fail a check (2-120)."""
    healthy_threshold: HealthyThreshold | None = None
    """Consecutive successes that make a target healthy (2-10)."""
    unhealthy_threshold: UnhealthyThreshold | None = None
    """Consecutive failures that make a target unhealthy (2-10)."""
    success_codes: str | None = None
    """HTTP codes (``200``, ``200,202``, ``200-299``), or gRPC codes with ``backendProtocolVersion: GRPC``."""


class AlbStickiness(StrictModel):
    """Sticky sessions of an ALB target group (``stickiness.*``; needs ``targetType: ip``)."""

    enabled: bool = True
    type: Literal["lb_cookie", "app_cookie"] = "lb_cookie"
    """Load-balancer-generated cookie, or the application's own cookie."""
    lb_cookie_duration_seconds: CookieDuration | None = None
    """How long the ALB cookie keeps a client on one target (1-604800)."""
    app_cookie_name: CookieName | None = None
    """The application cookie to follow (``type: app_cookie``)."""
    app_cookie_duration_seconds: CookieDuration | None = None
    """How long the application cookie keeps a client on one target (1-604800)."""

    @model_validator(mode="after")
    def _cookie_fields_match_type(self) -> AlbStickiness:
        if self.type == "app_cookie" and self.app_cookie_name is None:
            raise ValueError("type app_cookie needs appCookieName")
        if self.type == "lb_cookie" and (self.app_cookie_name or self.app_cookie_duration_seconds):
            raise ValueError("appCookieName and appCookieDurationSeconds need type: app_cookie")
        if self.type == "app_cookie" and self.lb_cookie_duration_seconds is not None:
            raise ValueError("lbCookieDurationSeconds needs type: lb_cookie")
        return self


class NlbStickiness(StrictModel):
    """Source-IP affinity of an NLB target group (``stickiness.*``)."""

    enabled: bool = True
    type: Literal["source_ip"] = "source_ip"
    """NLB target groups stick by client source IP."""


class _TargetGroupAttributes(StrictModel):
    deregistration_delay_seconds: DeregistrationDelay | None = None
    """Seconds a deregistering target keeps its connections (0-3600; ELB's default 300)."""


class AlbTargetGroupAttributes(_TargetGroupAttributes):
    """ALB target group attributes (``alb.ingress.kubernetes.io/target-group-attributes``)."""

    slow_start_seconds: Annotated[int, Strict(), Field(ge=0, le=elb.SLOW_START[1])] | None = None
    """Seconds a new target ramps up its share of requests (30-900; 0 turns slow start off)."""
    load_balancing_algorithm: (
        Literal["round_robin", "least_outstanding_requests", "weighted_random"] | None
    ) = None
    """How the ALB picks a target."""
    anomaly_mitigation: Literal["on", "off"] | None = None
    """Automatic target weights' anomaly mitigation (``weighted_random`` only)."""
    stickiness: AlbStickiness | None = None
    """Sticky sessions."""

    @field_validator("slow_start_seconds")
    @classmethod
    def _slow_start_range(cls, value: int | None) -> int | None:
        low, high = elb.SLOW_START
        if value is not None and value != 0 and not low <= value <= high:
            raise ValueError(f"must be 0 (off) or within {low}-{high}")
        return value

    @model_validator(mode="after")
    def _mitigation_needs_weighted_random(self) -> AlbTargetGroupAttributes:
        if self.anomaly_mitigation is not None and self.load_balancing_algorithm != "weighted_random":
            raise ValueError("anomalyMitigation needs loadBalancingAlgorithm: weighted_random")
        return self


class NlbTargetGroupAttributes(_TargetGroupAttributes):
    """NLB target group attributes (``aws-load-balancer-target-group-attributes`` on the Service)."""

    connection_termination: bool | None = None
    """Close connections of a target when its deregistration delay ends."""
    preserve_client_ip: bool | None = None
    """Pods see the client's IP address (off by default for IP targets)."""
    proxy_protocol_v2: bool | None = None
    """Send the PROXY protocol v2 header to the pods."""
    stickiness: NlbStickiness | None = None
    """Source-IP affinity."""
    unhealthy_connection_termination: bool | None = None
    """Close connections of a target when it becomes unhealthy."""
    unhealthy_draining_interval_seconds: DrainingInterval | None = None
    """Seconds an unhealthy target keeps its connections when termination is off (0-360000)."""

    @model_validator(mode="after")
    def _draining_needs_termination_off(self) -> NlbTargetGroupAttributes:
        # ELBv2 TargetGroupAttribute: the draining interval applies only with termination turned off.
        if (
            self.unhealthy_draining_interval_seconds is not None
            and self.unhealthy_connection_termination is not False
        ):
            raise ValueError("unhealthyDrainingIntervalSeconds needs unhealthyConnectionTermination: false")
        return self


class AlbAttributes(StrictModel):
    """ALB attributes (``alb.ingress.kubernetes.io/load-balancer-attributes``)."""

    deletion_protection: bool | None = None
    """Refuse deletion of the ALB (LBC cannot delete it either until this is false again)."""
    idle_timeout_seconds: IdleTimeout | None = None
    """Seconds a connection may stay idle (1-4000; ELB's default 60)."""
    client_keep_alive_seconds: ClientKeepAlive | None = None
    """Seconds a client connection may live (60-604800)."""
    http2: bool | None = None
    """Accept HTTP/2 from clients (ELB's default true)."""
    drop_invalid_header_fields: bool | None = None
    """Drop HTTP headers whose names are not valid."""


class NlbAttributes(StrictModel):
    """NLB attributes (``service.beta.kubernetes.io/aws-load-balancer-attributes``, with ``crossZone``)."""

    deletion_protection: bool | None = None
    """Refuse deletion of the NLB (LBC cannot delete it either until this is false again)."""
    dns_client_routing_policy: (
        Literal["any_availability_zone", "availability_zone_affinity", "partial_availability_zone_affinity"]
        | None
    ) = None
    """How the NLB's DNS name answers clients across zones."""


class LoadBalancerSettings(StrictModel):
    """Settings NLB and ALB exposures share: placement, access, TLS policy, target type, tags, logs."""

    subnets: tuple[SubnetRef, ...] = ()
    """Subnet IDs or Name tags, one per Availability Zone; unset lets LBC discover them by tags."""
    security_groups: tuple[SecurityGroupRef, ...] = ()
    """Security group IDs or Name tags for the load balancer instead of the one LBC manages."""
    manage_backend_security_group_rules: bool | None = None
    """With ``securityGroups``: LBC still adds the rules that let the load balancer reach the pods."""
    source_ranges: tuple[Cidr, ...] = ()
    """Client CIDR blocks allowed in (LBC's default 0.0.0.0/0, and ::/0 when dual-stack)."""
    security_group_prefix_lists: tuple[PrefixListId, ...] = ()
    """Managed prefix lists allowed in, besides ``sourceRanges``."""
    load_balancer_name: LoadBalancerName | None = None
    """Name of the load balancer (LBC uses it only when it creates the load balancer)."""
    ssl_policy: SslPolicyName | None = None
    """ELB security policy of the TLS listeners (LBC's default ELBSecurityPolicy-2016-08)."""
    target_type: Literal["ip", "instance"] = "ip"
    """``ip`` routes to pod IPs (VPC CNI); ``instance`` to node ports."""
    tags: dict[TagKey, TagValue] = Field(default_factory=dict)
    """AWS tags on the load balancer, target groups, listeners and security groups."""
    access_logs: AccessLogs | None = None
    """Access logs to S3."""

    @field_validator("subnets", "security_groups", "source_ranges", "security_group_prefix_lists")
    @classmethod
    def _unique_items(cls, items: tuple[str, ...]) -> tuple[str, ...]:
        repeated = sorted({item for item in items if items.count(item) > 1})
        if repeated:
            raise ValueError(f"{repeated[0]!r} is listed twice")
        return items
