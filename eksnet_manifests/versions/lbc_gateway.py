"""What the AWS Load Balancer Controller's Gateway API controllers accept and program, per release.

Source: kubernetes-sigs/aws-load-balancer-controller at the tags in ``versions.lbc.RELEASES``:

- ``config/crd/gateway/gateway.k8s.aws_{loadbalancer,targetgroup,listenerrule}configurations.yaml``
  (storage version): the release each field and enum value first appears in (``CRD_FIELDS``);
- ``pkg/gateway/routeutils/route_rule_action.go`` (``buildHttpRuleRedirectActionsBasedOnFilter``,
  ``BuildRuleRoutingAction``) and ``route_rule_condition.go``: the route filters and match types the
  ALB controller programs;
- ``pkg/gateway/model/model_build_listener.go`` (``mapGatewayListenerConfigsByPort``,
  ``mergeProtocols``, ``buildL4TargetGroupTuples``, ``buildListenerRules``): how the NLB controller
  merges listeners and picks routes, and which listeners get authentication;
- ``docs/guide/gateway/l7gateway.md`` (v3.5.0), "Feature Comparison": what ALB Gateways do not implement.
"""

from __future__ import annotations

from eksnet_manifests.versions.release import History, in_force, parse_release

# (kind, field path under spec; "[]" marks list items) -> the release whose CRD first accepts it. Fields
# not listed are in the CRD from its first release (versions.lbc: LoadBalancerConfiguration and
# TargetGroupConfiguration v2.13.0, ListenerRuleConfiguration v2.14.0).
CRD_FIELDS: dict[tuple[str, str], str] = {
    ("LoadBalancerConfiguration", "shieldConfiguration"): "v2.14.0",
    ("LoadBalancerConfiguration", "wafV2"): "v2.14.0",
    ("LoadBalancerConfiguration", "disableSecurityGroup"): "v2.15.0",
    ("LoadBalancerConfiguration", "listenerConfigurations[].targetGroupStickiness"): "v2.17.0",
    ("LoadBalancerConfiguration", "listenerConfigurations[].quicEnabled"): "v2.17.1",
    ("LoadBalancerConfiguration", "defaultTargetGroupConfiguration"): "v3.2.0",
    ("TargetGroupConfiguration", "defaultConfiguration.targetControlPort"): "v2.16.0",
    ("ListenerRuleConfiguration", "actions[].jwtValidationConfig"): "v2.17.1",
}
# listenerConfigurations[].protocolPort accepts TCP_UDP from v2.17.0 (the pattern's protocol list).
PROTOCOL_PORT_TCP_UDP_SINCE = "v2.17.0"
# TargetGroupConfiguration spec.targetReference is required until v3.1.x (TGCs without one are defaults).
OPTIONAL_TARGET_REFERENCE_SINCE = "v3.2.0"

# HTTPRoute filter types the ALB controller programs (others fail the route's listener rules).
_HTTP_FILTERS: History[frozenset[str]] = (
    ("v2.14.0", frozenset({"RequestRedirect", "ExtensionRef"})),
    ("v2.15.0", frozenset({"RequestRedirect", "ExtensionRef", "URLRewrite"})),
)
# GRPCRoute: only ExtensionRef (a ListenerRuleConfiguration), from the first L7 release.
GRPC_FILTERS = frozenset({"ExtensionRef"})
# HTTPRoute header matches of type RegularExpression become ALB regex conditions from v3.2.0; before,
# the value is matched as an exact value.
HEADER_REGEX_SINCE = "v3.2.0"

# ListenerSets: watched from v3.2.0 (under the GatewayListenerSet gate from v3.2.2), at their v1.
LISTENER_SETS_SINCE = "v3.2.0"

# NLB Gateways: a TCP and a UDP listener on one port merge into one TCP_UDP listener from v2.17.0;
# before, listeners sharing a port with different protocols fail the Gateway.
TCP_UDP_MERGE_SINCE = "v2.17.0"
# How the NLB controller treats several routes or backends on one listener port:
# "single": one route with one backend, else the listener fails; "weighted": every backend of every
# route is one weighted target group; "oldest-route": only the oldest route (then namespace/name) is
# used, its backends weighted.
_L4_ROUTES_PER_PORT: History[str] = (
    ("v2.13.0", "single"),
    ("v2.17.0", "weighted"),
    ("v3.4.0", "oldest-route"),
)

# l7gateway.md (v3.5.0) Feature Comparison: Gateway API features ALB Gateways do not implement, with what
# LBC does instead and where the setting lives on AWS.
UNSUPPORTED_HTTP_FILTERS: dict[str, str] = {
    "RequestHeaderModifier": "ALB modifies only a few headers, through listener attributes "
    "(LoadBalancerConfiguration listenerConfigurations[].listenerAttributes routing.http.*)",
    "ResponseHeaderModifier": "ALB sets response headers only through listener attributes "
    "(LoadBalancerConfiguration listenerConfigurations[].listenerAttributes "
    "routing.http.response.*.header_value)",
    "RequestMirror": "ALB cannot mirror requests",
    "CORS": "ALB answers CORS through listener attributes "
    "(routing.http.response.access_control_allow_*.header_value)",
    "ExternalAuth": "use a ListenerRuleConfiguration with authenticate-oidc or authenticate-cognito",
}
UNSUPPORTED_RULE_FIELDS: dict[str, str] = {
    "timeouts": "ALB has no per-rule timeout; set the load balancer's idle_timeout.timeout_seconds attribute",
    "retry": "ALB does not retry requests",
    "sessionPersistence": "use a ListenerRuleConfiguration forward action with targetGroupStickinessConfig",
}


def crd_field_since(kind: str, path: str) -> str | None:
    """The release whose ``kind`` CRD first accepts ``spec.<path>``; None when it always has."""
    return CRD_FIELDS.get((kind, path))


def accepts_crd_field(version: str, kind: str, path: str) -> bool:
    since = crd_field_since(kind, path)
    return since is None or parse_release(version) >= parse_release(since)


def at_least(version: str, since: str) -> bool:
    """True when the (table) release ``version`` is ``since`` or newer."""
    return parse_release(version) >= parse_release(since)


def http_filters(version: str) -> frozenset[str]:
    """HTTPRoute filter types the ALB controller of ``version`` programs (empty before L7 support)."""
    return in_force(_HTTP_FILTERS, version) or frozenset()


def l4_routes_per_port(version: str) -> str:
    """``single``, ``weighted`` or ``oldest-route``: see ``_L4_ROUTES_PER_PORT``."""
    return in_force(_L4_ROUTES_PER_PORT, version) or "single"
