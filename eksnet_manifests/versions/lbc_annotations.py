"""AWS Load Balancer Controller annotations: every documented key of Ingresses and Services.

Source: kubernetes-sigs/aws-load-balancer-controller ``docs/guide/ingress/annotations.md`` and
``docs/guide/service/annotations.md`` at v3.5.0 (checked against v2.14.1 and v3.1.0): the keys of the
tables and sections, their value types, where LBC reads them and the IngressGroup merge behaviour. Where
the docs' MergeBehavior column differs from what ``pkg/ingress`` does at v3.5.0 the code wins (attribute,
tag and capacity maps are merged key by key; inbound CIDRs, prefix lists, SSL policy and mutual TLS are
decided per listen port). ``since`` is the first tag whose ``pkg/annotations/constants.go`` defines the
key, else whose docs list it (tags v2.0.0 to v3.5.0 scanned). Left out: two misspellings of the docs
(``frontend-nlb-eip-allocation``, ``aws-load-balancer-actions.${Protocol}-${Port}``), which no release
reads. Two keys the code reads that no table or section lists are added: ``web-acl-id`` (replaced by
``waf-acl-id``) and the per-port ``aws-load-balancer-target-group-attributes.${port}`` (an example shows it).

``field`` names the eksnet profile field (relative to the app) that writes the key, None where only
``expose.annotations`` can set it; ``ATTRIBUTE_FIELDS`` does the same for the attributes inside the
key=value annotations.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from eksnet_manifests.versions.release import UnknownRelease, parse_release

Family = Literal["ingress", "service"]
INGRESS_PREFIX = "alb.ingress.kubernetes.io/"
SERVICE_PREFIX = "service.beta.kubernetes.io/"
NLB_PREFIX = SERVICE_PREFIX + "aws-load-balancer-"
SOURCE_RANGES = SERVICE_PREFIX + "load-balancer-source-ranges"

# Value types as the docs name them (annotation values are strings: "true", "42", "a,b", "k=v,k2=v2").
STRING, BOOLEAN, INTEGER, LIST, MAP, JSON = "string", "boolean", "integer", "stringList", "stringMap", "json"
# Scope: "ingress" applies to the Ingress's own rules and target groups; "group" places it in an
# IngressGroup; "exclusive" is one value per IngressGroup (a conflict fails the group); "merged" is
# combined across the members (a key with two values fails the group); "per-port" is one value per
# listen port; "service" is one Service's NLB.
Scope = Literal["ingress", "group", "exclusive", "merged", "per-port", "service"]
INGRESS, SERVICE = ("Ingress",), ("Service",)
BOTH = ("Ingress", "Service")
# The docs' defaults LBC applies to an ALB target group's health check timing when unset.
ALB_DEFAULT_INTERVAL, ALB_DEFAULT_TIMEOUT = 15, 5


@dataclass(frozen=True)
class Annotation:
    key: str
    """The full key; ``${name}`` marks a part the user chooses (``actions.${action-name}``)."""
    value: str
    """Value type: string, boolean, integer, stringList, stringMap or json."""
    scope: Scope
    since: str
    """The first LBC release that reads the key."""
    read_from: tuple[str, ...] = INGRESS
    """The kinds LBC reads it from."""
    choices: tuple[str, ...] = ()
    """The values LBC accepts, when it names them (besides the integer of an integer key)."""
    field: str | None = None
    """The eksnet profile field that writes it, relative to the app (``expose.subnets``)."""
    replaced_by: str | None = None
    """The key the docs tell to use instead (deprecated keys)."""

    @property
    def family(self) -> Family:
        return "ingress" if self.key.startswith(INGRESS_PREFIX) else "service"

    @property
    def pattern(self) -> re.Pattern[str] | None:
        """For a key with a ``${...}`` part, the keys it stands for."""
        if "${" not in self.key:
            return None
        parts = re.split(r"\$\{[^}]+\}", self.key)
        return re.compile("[^/]+".join(re.escape(part) for part in parts) + r"\Z")


def _alb(
    suffix: str,
    value: str,
    scope: Scope,
    since: str,
    read_from: tuple[str, ...] = INGRESS,
    choices: tuple[str, ...] = (),
    *,
    field: str | None = None,
    replaced_by: str | None = None,
) -> Annotation:
    return Annotation(INGRESS_PREFIX + suffix, value, scope, since, read_from, choices, field, replaced_by)


def _nlb(
    suffix: str,
    value: str,
    since: str,
    choices: tuple[str, ...] = (),
    *,
    field: str | None = None,
    replaced_by: str | None = None,
    prefix: str = NLB_PREFIX,
) -> Annotation:
    return Annotation(prefix + suffix, value, "service", since, SERVICE, choices, field, replaced_by)


def _svc(suffix: str, value: str, since: str, *, field: str | None = None) -> Annotation:
    return _nlb(suffix, value, since, field=field, prefix=SERVICE_PREFIX)


_SCHEMES = ("internal", "internet-facing")
_HEALTH = "expose.healthCheck."
_TG = "expose.targetGroupAttributes"
_LB = "expose.loadBalancerAttributes"

ANNOTATIONS: tuple[Annotation, ...] = (
    # IngressGroup
    _alb("group.name", STRING, "group", "v2.0.0", field="expose.groupName"),
    _alb("group.order", INTEGER, "group", "v2.0.0", field="expose.groupOrder"),
    # Traffic listening
    _alb("listen-ports", JSON, "merged", "v2.0.0", field="expose.https"),
    _alb("ssl-redirect", INTEGER, "exclusive", "v2.2.0", field="expose.sslRedirect"),
    _alb("ip-address-type", STRING, "exclusive", "v2.0.0", INGRESS,
         ("ipv4", "dualstack", "dualstack-without-public-ipv4"), field="expose.ipAddressType"),
    _alb("customer-owned-ipv4-pool", STRING, "exclusive", "v2.1.0"),
    # Traffic routing
    _alb("load-balancer-name", STRING, "exclusive", "v2.2.0", field="expose.loadBalancerName"),
    _alb("target-type", STRING, "ingress", "v2.0.0", BOTH, ("instance", "ip"), field="expose.targetType"),
    _alb("target-node-labels", MAP, "ingress", "v2.2.0", BOTH),
    _alb("backend-protocol", STRING, "ingress", "v2.0.0", BOTH, ("HTTP", "HTTPS"),
         field="expose.backendProtocol"),
    _alb("backend-protocol-version", STRING, "ingress", "v2.1.0", BOTH, ("HTTP1", "HTTP2", "GRPC"),
         field="expose.backendProtocolVersion"),
    _alb("subnets", LIST, "exclusive", "v2.0.0", field="expose.subnets"),
    _alb("ipam-ipv4-pool-id", STRING, "exclusive", "v2.12.0"),
    _alb("actions.${action-name}", JSON, "ingress", "v2.0.0"),
    _alb("transforms.${transforms-name}", JSON, "ingress", "v2.14.1"),
    _alb("conditions.${conditions-name}", JSON, "ingress", "v2.0.0"),
    _alb("use-regex-path-match", BOOLEAN, "ingress", "v2.14.1"),
    # Access control
    _alb("scheme", STRING, "exclusive", "v2.0.0", INGRESS, _SCHEMES, field="expose.scheme"),
    _alb("inbound-cidrs", LIST, "per-port", "v2.0.0", field="expose.sourceRanges"),
    _alb("security-group-prefix-lists", LIST, "per-port", "v2.8.0", field="expose.securityGroupPrefixLists"),
    _alb("security-groups", LIST, "exclusive", "v2.0.0", field="expose.securityGroups"),
    _alb("manage-backend-security-group-rules", BOOLEAN, "exclusive", "v2.3.0",
         field="expose.manageBackendSecurityGroupRules"),
    # Authentication and token validation
    _alb("auth-type", STRING, "ingress", "v2.0.0", BOTH, ("none", "oidc", "cognito")),
    _alb("auth-idp-cognito", JSON, "ingress", "v2.0.0", BOTH),
    _alb("auth-idp-oidc", JSON, "ingress", "v2.0.0", BOTH),
    _alb("auth-on-unauthenticated-request", STRING, "ingress", "v2.0.0", BOTH,
         ("authenticate", "allow", "deny")),
    _alb("auth-scope", STRING, "ingress", "v2.0.0", BOTH),
    _alb("auth-session-cookie", STRING, "ingress", "v2.0.0", BOTH),
    _alb("auth-session-timeout", INTEGER, "ingress", "v2.0.0", BOTH),
    _alb("jwt-validation", JSON, "ingress", "v2.15.0"),
    # Health check
    _alb("healthcheck-port", INTEGER, "ingress", "v2.0.0", BOTH, ("traffic-port",), field=_HEALTH + "port"),
    _alb("healthcheck-protocol", STRING, "ingress", "v2.0.0", BOTH, ("HTTP", "HTTPS"),
         field=_HEALTH + "protocol"),
    _alb("healthcheck-path", STRING, "ingress", "v2.0.0", BOTH, field=_HEALTH + "path"),
    _alb("healthcheck-interval-seconds", INTEGER, "ingress", "v2.0.0", BOTH,
         field=_HEALTH + "intervalSeconds"),
    _alb("healthcheck-timeout-seconds", INTEGER, "ingress", "v2.0.0", BOTH, field=_HEALTH + "timeoutSeconds"),
    _alb("healthy-threshold-count", INTEGER, "ingress", "v2.0.0", BOTH, field=_HEALTH + "healthyThreshold"),
    _alb("unhealthy-threshold-count", INTEGER, "ingress", "v2.0.0", BOTH,
         field=_HEALTH + "unhealthyThreshold"),
    _alb("success-codes", STRING, "ingress", "v2.0.0", BOTH, field=_HEALTH + "successCodes"),
    # TLS and ACM certificates
    _alb("certificate-arn", LIST, "merged", "v2.0.0", field="expose.certificateArns"),
    _alb("ssl-policy", STRING, "per-port", "v2.0.0", field="expose.sslPolicy"),
    _alb("mutual-authentication", JSON, "per-port", "v2.7.0"),
    _alb("create-acm-cert", BOOLEAN, "ingress", "v3.3.0"),
    _alb("acm-pca-arn", STRING, "ingress", "v3.3.0"),
    # Custom attributes, tags, capacity
    _alb("load-balancer-attributes", MAP, "merged", "v2.0.0", field=_LB),
    _alb("target-group-attributes", MAP, "ingress", "v2.0.0", BOTH, field=_TG),
    _alb("multi-cluster-target-group", BOOLEAN, "ingress", "v2.10.0", BOTH),
    _alb("listener-attributes.${Protocol}-${Port}", MAP, "merged", "v2.9.0"),
    _alb("tags", MAP, "merged", "v2.0.0", BOTH, field="expose.tags"),
    _alb("minimum-load-balancer-capacity", MAP, "merged", "v2.11.0"),
    # Addons
    _alb("waf-acl-id", STRING, "exclusive", "v2.0.0"),
    _alb("web-acl-id", STRING, "exclusive", "v2.0.0", replaced_by=INGRESS_PREFIX + "waf-acl-id"),
    _alb("wafv2-acl-arn", STRING, "exclusive", "v2.0.0", field="expose.wafv2AclArn"),
    _alb("wafv2-acl-name", STRING, "exclusive", "v2.14.0", field="expose.wafv2AclName"),
    _alb("shield-advanced-protection", BOOLEAN, "exclusive", "v2.0.0",
         field="expose.shieldAdvancedProtection"),
    # Frontend NLB
    _alb("enable-frontend-nlb", BOOLEAN, "exclusive", "v2.13.0"),
    _alb("frontend-nlb-scheme", STRING, "exclusive", "v2.13.0", INGRESS, _SCHEMES),
    _alb("frontend-nlb-subnets", LIST, "exclusive", "v2.13.0"),
    _alb("frontend-nlb-security-groups", LIST, "exclusive", "v2.13.0"),
    _alb("frontend-nlb-listener-port-mapping", MAP, "merged", "v2.13.0"),
    _alb("frontend-nlb-healthcheck-port", INTEGER, "merged", "v2.13.0", INGRESS, ("traffic-port",)),
    _alb("frontend-nlb-healthcheck-protocol", STRING, "merged", "v2.13.0", INGRESS, ("HTTP", "HTTPS")),
    _alb("frontend-nlb-healthcheck-path", STRING, "merged", "v2.13.0"),
    _alb("frontend-nlb-healthcheck-interval-seconds", INTEGER, "merged", "v2.13.0"),
    _alb("frontend-nlb-healthcheck-timeout-seconds", INTEGER, "merged", "v2.13.0"),
    _alb("frontend-nlb-healthcheck-healthy-threshold-count", INTEGER, "merged", "v2.13.0"),
    _alb("frontend-nlb-healthcheck-unhealthy-threshold-count", INTEGER, "merged", "v2.13.0"),
    _alb("frontend-nlb-healthcheck-success-codes", STRING, "merged", "v2.13.0"),
    _alb("frontend-nlb-tags", MAP, "exclusive", "v2.14.0"),
    _alb("frontend-nlb-eip-allocations", LIST, "exclusive", "v2.14.0"),
    _alb("frontend-nlb-attributes", MAP, "exclusive", "v3.2.0"),
    _alb("target-control-port.${serviceName}.${servicePort}", INTEGER, "ingress", "v2.16.0"),
    # Services: traffic routing
    _svc("load-balancer-source-ranges", LIST, "v2.0.0", field="expose.sourceRanges"),
    _nlb("type", STRING, "v2.0.0", ("external", "nlb-ip")),
    _nlb("nlb-target-type", STRING, "v2.2.0", ("instance", "ip"), field="expose.targetType"),
    _nlb("name", STRING, "v2.2.0", field="expose.loadBalancerName"),
    _nlb("subnets", LIST, "v2.1.0", field="expose.subnets"),
    _nlb("alpn-policy", STRING, "v2.1.0",
         ("HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None"), field="expose.alpnPolicy"),
    _nlb("target-node-labels", MAP, "v2.2.0"),
    _nlb("eip-allocations", LIST, "v2.0.0"),
    _nlb("private-ipv4-addresses", LIST, "v2.2.0"),
    _nlb("ipv6-addresses", LIST, "v2.4.4"),
    _nlb("enable-icmp-for-path-mtu-discovery", STRING, "v2.12.0"),
    _svc("actions.${protocol}-${port}", JSON, "v2.16.0"),
    # Services: traffic listening
    _nlb("ip-address-type", STRING, "v2.1.0", ("ipv4", "dualstack"), field="expose.ipAddressType"),
    _nlb("enable-prefix-for-ipv6-source-nat", STRING, "v2.10.0", ("on", "off")),
    _nlb("source-nat-ipv6-prefixes", LIST, "v2.10.0"),
    # Services: resource attributes
    _nlb("proxy-protocol", STRING, "v2.0.0", ("*",), field=_TG + ".proxyProtocolV2"),
    _nlb("proxy-protocol-per-target-group", STRING, "v2.13.0"),
    _nlb("target-group-attributes", MAP, "v2.1.0", field=_TG),
    _nlb("target-group-attributes.${port}", MAP, "v2.14.0"),
    _nlb("attributes", MAP, "v2.3.0", field=_LB),
    _nlb("listener-attributes.${Protocol}-${Port}", MAP, "v2.9.0"),
    _nlb("enable-tcp-udp-listener", BOOLEAN, "v2.13.0"),
    _nlb("disable-nlb-sg", BOOLEAN, "v2.14.0"),
    _nlb("quic-enabled-ports", LIST, "v2.15.0"),
    _nlb("multi-cluster-target-group", BOOLEAN, "v2.10.0"),
    _nlb("access-log-enabled", BOOLEAN, "v2.0.0", field="expose.accessLogs.enabled",
         replaced_by=NLB_PREFIX + "attributes"),
    _nlb("access-log-s3-bucket-name", STRING, "v2.0.0", field="expose.accessLogs.bucket",
         replaced_by=NLB_PREFIX + "attributes"),
    _nlb("access-log-s3-bucket-prefix", STRING, "v2.0.0", field="expose.accessLogs.prefix",
         replaced_by=NLB_PREFIX + "attributes"),
    _nlb("cross-zone-load-balancing-enabled", BOOLEAN, "v2.0.0", field="expose.crossZone",
         replaced_by=NLB_PREFIX + "attributes"),
    # Services: tags
    _nlb("additional-resource-tags", MAP, "v2.0.0", field="expose.tags"),
    # Services: health check
    _nlb("healthcheck-protocol", STRING, "v2.0.0", ("tcp", "http", "https"), field=_HEALTH + "protocol"),
    _nlb("healthcheck-port", INTEGER, "v2.0.0", ("traffic-port",), field=_HEALTH + "port"),
    _nlb("healthcheck-path", STRING, "v2.0.0", field=_HEALTH + "path"),
    _nlb("healthcheck-healthy-threshold", INTEGER, "v2.0.0", field=_HEALTH + "healthyThreshold"),
    _nlb("healthcheck-unhealthy-threshold", INTEGER, "v2.0.0", field=_HEALTH + "unhealthyThreshold"),
    _nlb("healthcheck-timeout", INTEGER, "v2.0.0", field=_HEALTH + "timeoutSeconds"),
    _nlb("healthcheck-interval", INTEGER, "v2.0.0", field=_HEALTH + "intervalSeconds"),
    _nlb("healthcheck-success-codes", STRING, "v2.4.6", field=_HEALTH + "successCodes"),
    # Services: TLS
    _nlb("ssl-cert", LIST, "v2.0.0", field="expose.certificateArns"),
    _nlb("ssl-ports", LIST, "v2.0.0", field="expose.certificateArns"),
    _nlb("ssl-negotiation-policy", STRING, "v2.0.0", field="expose.sslPolicy"),
    _nlb("backend-protocol", STRING, "v2.0.0", ("ssl", "tcp")),
    # Services: access control
    _nlb("security-group-prefix-lists", LIST, "v2.8.0", field="expose.securityGroupPrefixLists"),
    _nlb("scheme", STRING, "v2.2.0", _SCHEMES, field="expose.scheme"),
    _nlb("internal", BOOLEAN, "v2.0.0", field="expose.scheme", replaced_by=NLB_PREFIX + "scheme"),
    _nlb("security-groups", LIST, "v2.6.0", field="expose.securityGroups"),
    _nlb("manage-backend-security-group-rules", BOOLEAN, "v2.4.0",
         field="expose.manageBackendSecurityGroupRules"),
    _nlb("inbound-sg-rules-on-private-link-traffic", STRING, "v2.8.0", ("on", "off")),
    _nlb("minimum-load-balancer-capacity", MAP, "v2.11.0"),
)  # fmt: skip

# (annotation key, ELB attribute) -> the eksnet profile field that writes the attribute.
ATTRIBUTE_FIELDS: dict[tuple[str, str], str] = {
    **{
        (INGRESS_PREFIX + "load-balancer-attributes", attribute): field
        for attribute, field in (
            ("access_logs.s3.enabled", "expose.accessLogs.enabled"),
            ("access_logs.s3.bucket", "expose.accessLogs.bucket"),
            ("access_logs.s3.prefix", "expose.accessLogs.prefix"),
            ("deletion_protection.enabled", _LB + ".deletionProtection"),
            ("idle_timeout.timeout_seconds", _LB + ".idleTimeoutSeconds"),
            ("client_keep_alive.seconds", _LB + ".clientKeepAliveSeconds"),
            ("routing.http2.enabled", _LB + ".http2"),
            ("routing.http.drop_invalid_header_fields.enabled", _LB + ".dropInvalidHeaderFields"),
        )
    },
    **{
        (INGRESS_PREFIX + "target-group-attributes", attribute): field
        for attribute, field in (
            ("deregistration_delay.timeout_seconds", _TG + ".deregistrationDelaySeconds"),
            ("slow_start.duration_seconds", _TG + ".slowStartSeconds"),
            ("load_balancing.algorithm.type", _TG + ".loadBalancingAlgorithm"),
            ("load_balancing.algorithm.anomaly_mitigation", _TG + ".anomalyMitigation"),
            ("stickiness.enabled", _TG + ".stickiness.enabled"),
            ("stickiness.type", _TG + ".stickiness.type"),
            ("stickiness.lb_cookie.duration_seconds", _TG + ".stickiness.lbCookieDurationSeconds"),
            ("stickiness.app_cookie.cookie_name", _TG + ".stickiness.appCookieName"),
            ("stickiness.app_cookie.duration_seconds", _TG + ".stickiness.appCookieDurationSeconds"),
        )
    },
    **{
        (NLB_PREFIX + "attributes", attribute): field
        for attribute, field in (
            ("access_logs.s3.enabled", "expose.accessLogs.enabled"),
            ("access_logs.s3.bucket", "expose.accessLogs.bucket"),
            ("access_logs.s3.prefix", "expose.accessLogs.prefix"),
            ("deletion_protection.enabled", _LB + ".deletionProtection"),
            ("load_balancing.cross_zone.enabled", "expose.crossZone"),
            ("dns_record.client_routing_policy", _LB + ".dnsClientRoutingPolicy"),
        )
    },
    **{
        (NLB_PREFIX + "target-group-attributes", attribute): field
        for attribute, field in (
            ("deregistration_delay.timeout_seconds", _TG + ".deregistrationDelaySeconds"),
            ("deregistration_delay.connection_termination.enabled", _TG + ".connectionTermination"),
            ("preserve_client_ip.enabled", _TG + ".preserveClientIp"),
            ("proxy_protocol_v2.enabled", _TG + ".proxyProtocolV2"),
            ("stickiness.enabled", _TG + ".stickiness.enabled"),
            ("stickiness.type", _TG + ".stickiness.type"),
            (
                "target_health_state.unhealthy.connection_termination.enabled",
                _TG + ".unhealthyConnectionTermination",
            ),
            (
                "target_health_state.unhealthy.draining_interval_seconds",
                _TG + ".unhealthyDrainingIntervalSeconds",
            ),
        )
    },
}  # fmt: skip

_EXACT: dict[str, Annotation] = {a.key: a for a in ANNOTATIONS if a.pattern is None}
_PATTERNS: tuple[Annotation, ...] = tuple(a for a in ANNOTATIONS if a.pattern is not None)


def family_of(key: str) -> Family | None:
    """The LBC annotation family ``key`` belongs to by its prefix, or None for a key LBC does not own."""
    if key.startswith(INGRESS_PREFIX):
        return "ingress"
    if key.startswith((NLB_PREFIX, SERVICE_PREFIX + "actions.")) or key == SOURCE_RANGES:
        return "service"
    return None


def lookup(key: str) -> Annotation | None:
    """The catalogue entry of ``key`` (a key of a ``${...}`` entry matches it), or None."""
    found = _EXACT.get(key)
    if found is not None:
        return found
    return next((a for a in _PATTERNS if a.pattern is not None and a.pattern.match(key)), None)


def nearest(key: str) -> str | None:
    """The documented key of the same family most like ``key``, for "did you mean"."""
    family = family_of(key)
    candidates = [a.key for a in ANNOTATIONS if a.family == family and a.replaced_by is None]
    prefix = INGRESS_PREFIX if family == "ingress" else SERVICE_PREFIX
    suffixes = {c.removeprefix(prefix): c for c in candidates}
    close = difflib.get_close_matches(key.removeprefix(prefix), list(suffixes), n=1, cutoff=0.6)
    return suffixes[close[0]] if close else None


def of_family(family: Family) -> tuple[Annotation, ...]:
    return _BY_FAMILY[family]


def attribute_fields(key: str) -> Mapping[str, str]:
    """ELB attribute -> eksnet profile field, for the attributes of the key=value annotation ``key``."""
    return _ATTRIBUTES_OF.get(key, _NONE)


_BY_FAMILY: dict[str, tuple[Annotation, ...]] = {
    family: tuple(a for a in ANNOTATIONS if a.family == family) for family in ("ingress", "service")
}
_ATTRIBUTES_OF: dict[str, dict[str, str]] = {
    annotation: {name: field for (key, name), field in ATTRIBUTE_FIELDS.items() if key == annotation}
    for annotation, _ in ATTRIBUTE_FIELDS
}
_NONE: Mapping[str, str] = MappingProxyType({})


def reads(annotation: Annotation, release: str) -> bool:
    """Whether LBC ``release`` reads ``annotation`` (True for a release that is not a version)."""
    try:
        return parse_release(annotation.since) <= parse_release(release)
    except UnknownRelease:
        return True
