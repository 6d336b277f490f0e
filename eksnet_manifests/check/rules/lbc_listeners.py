"""LBC Gateways as load balancers: listeners sharing a port, L4 routes per NLB port, who may publish on an
internet-facing Gateway, and which LoadBalancerConfiguration wins a setting.

Sources: LBC ``pkg/gateway/model/model_build_listener.go`` (``mapGatewayListenerConfigsByPort``,
``mergeProtocols``, ``buildL4TargetGroupTuples``) and ``pkg/gateway/lb_config_merger.go``, facts per
release in ``versions.lbc_gateway``; the release is the LBC values' ``image.tag``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.fields import as_map, as_str, dig, maps
from eksnet_manifests.check.lint.gatewayapi import listeners_of, routes_by_listener
from eksnet_manifests.check.lint.index import (
    GATEWAY_GROUP,
    LBC_GATEWAY_GROUP,
    Lint,
    LintOptions,
    ObjectIndex,
    namespace_of,
    object_finding,
    object_ref,
)
from eksnet_manifests.check.lint.lbc import ALB_CONTROLLER, NLB_CONTROLLER, lbc_gateways
from eksnet_manifests.check.rules.lbc_routes import lbc_release
from eksnet_manifests.check.rules.load_balancers import backend_load_balancers
from eksnet_manifests.versions import lbc, lbc_gateway

TCP_UDP_PORT = "lbc-listener-tcp-udp"
L4_ROUTES = "lbc-nlb-routes-per-port"
OPEN_TO_ALL = "gateway-internet-facing-all-namespaces"
CONFIG_OVERRIDDEN = "lbc-load-balancer-configuration-overridden"
GATEWAY_FIELD_UNSUPPORTED = "lbc-gateway-field-unsupported"
BACKEND_TLS = "lbc-backend-tls-unsupported"

# l7gateway.md (LBC v3.5.0) Feature Comparison, Gateway: fields ALB Gateways do not implement.
ALB_UNSUPPORTED_GATEWAY_FIELDS = {
    "tls": "GatewayTLSConfig; client certificates are the LoadBalancerConfiguration's listener "
    "mutualAuthentication",
    "defaultScope": "GatewayDefaultScope",
}

# lb_config_merger.go performTakeOneMerges (LBC v3.5.0): settings one LoadBalancerConfiguration wins whole.
TAKE_ONE_FIELDS = (
    "loadBalancerName", "scheme", "ipAddressType", "enforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
    "customerOwnedIpv4Pool", "ipv4IPAMPoolId", "loadBalancerSubnets", "loadBalancerSubnetsSelector",
    "securityGroups", "securityGroupPrefixes", "sourceRanges", "enableICMP",
    "manageBackendSecurityGroupRules", "minimumLoadBalancerCapacity", "wafV2", "shieldConfiguration",
    "disableSecurityGroup",
    "defaultTargetGroupConfiguration",
)  # fmt: skip


def _configurations(index: ObjectIndex, gateway: Document) -> tuple[Document | None, Document | None]:
    """The Gateway's own LoadBalancerConfiguration and its GatewayClass's, when in the input."""
    own_ref = as_map(dig(gateway.obj, "spec", "infrastructure", "parametersRef"))
    own = None
    if own_ref.get("kind") == "LoadBalancerConfiguration" and as_str(own_ref.get("name")):
        own = index.get(
            LBC_GATEWAY_GROUP, "LoadBalancerConfiguration", namespace_of(gateway), str(own_ref["name"])
        )
    class_name = as_str(dig(gateway.obj, "spec", "gatewayClassName"))
    gateway_class = index.get(GATEWAY_GROUP, "GatewayClass", "", class_name) if class_name else None
    class_ref = as_map(dig(gateway_class.obj, "spec", "parametersRef")) if gateway_class else {}
    of_class = None
    if class_ref.get("kind") == "LoadBalancerConfiguration" and as_str(class_ref.get("name")):
        namespace = as_str(class_ref.get("namespace")) or ""
        of_class = index.get(
            LBC_GATEWAY_GROUP, "LoadBalancerConfiguration", namespace, str(class_ref["name"])
        )
    return own, of_class


def _spec(config: Document | None) -> Mapping[str, Any]:
    return as_map(config.obj.get("spec")) if config is not None else {}


def effective_setting(index: ObjectIndex, gateway: Document, field: str) -> Any:
    """A take-one setting as LBC merges the class's and the Gateway's LoadBalancerConfigurations."""
    own, of_class = _configurations(index, gateway)
    prefer_gateway = _spec(of_class).get("mergingMode") == "prefer-gateway"
    high, low = (_spec(own), _spec(of_class)) if prefer_gateway else (_spec(of_class), _spec(own))
    return high.get(field, low.get(field))


def check_listeners(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    release = lbc_release(index) or lbc.RELEASES[-1]
    for gateway, controller in lbc_gateways(index):
        listeners = listeners_of(gateway)
        by_port: dict[int | None, list[Any]] = {}
        for listener in listeners:
            by_port.setdefault(listener.port, []).append(listener)
        for port, sharing in by_port.items():
            protocols = {listener.protocol for listener in sharing}
            if protocols == {"TCP", "UDP"} and not lbc_gateway.at_least(
                release, lbc_gateway.TCP_UDP_MERGE_SINCE
            ):
                # model_build_listener.go mapGatewayListenerConfigsByPort: no mergeProtocols before v2.17.0.
                message = (
                    f"TCP and UDP listeners on port {port}: LBC {release} does not merge them into a "
                    f"TCP_UDP listener (from {lbc_gateway.TCP_UDP_MERGE_SINCE}) and fails the Gateway "
                    "(listeners with same ports cannot have different protocols); use two ports or a newer "
                    "LBC"
                )
                yield object_finding(gateway, TCP_UDP_PORT, Severity.ERROR, message, sharing[-1].path)
        if controller == NLB_CONTROLLER:
            yield from _l4_routes(index, gateway, release)
        if effective_setting(index, gateway, "scheme") == "internet-facing":
            for listener in listeners:
                if as_str(dig(listener.allowed_routes, "namespaces", "from")) == "All":
                    message = (
                        f"listener {listener.label} of an internet-facing Gateway admits routes from every "
                        "namespace: any team can publish a host on the internet; admit namespaces by Selector"
                    )
                    path = f"{listener.path}.allowedRoutes.namespaces.from"
                    yield object_finding(gateway, OPEN_TO_ALL, Severity.WARNING, message, path)
        yield from _overridden(index, gateway)
        if controller == ALB_CONTROLLER:
            for field, what in ALB_UNSUPPORTED_GATEWAY_FIELDS.items():
                if field in as_map(gateway.obj.get("spec")):
                    message = f"LBC's ALB Gateways do not implement {what} (l7gateway.md feature comparison)"
                    yield object_finding(
                        gateway, GATEWAY_FIELD_UNSUPPORTED, Severity.ERROR, message, f"spec.{field}"
                    )


def check_backend_tls(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """BackendTLSPolicies on Services behind ALB Gateways: LBC does not read them."""
    behind = index.memo("backend-load-balancers", backend_load_balancers)
    for policy in index.of_kind(GATEWAY_GROUP, "BackendTLSPolicy"):
        for position, ref in maps(dig(policy.obj, "spec", "targetRefs")):
            if (ref.get("group") or "") != "" or ref.get("kind") != "Service":
                continue
            if "alb" in behind.get((namespace_of(policy), as_str(ref.get("name"))), set()):
                # l7gateway.md (LBC v3.5.0) "Backend TLS Policy": not supported by ALB Gateways.
                message = (
                    "ALB Gateways do not implement BackendTLSPolicy: the ALB keeps its target group "
                    "protocol; for TLS to the pods set the Service's TargetGroupConfiguration protocol HTTPS"
                )
                path = f"spec.targetRefs[{position}]"
                yield object_finding(policy, BACKEND_TLS, Severity.ERROR, message, path)


def _l4_routes(index: ObjectIndex, gateway: Document, release: str) -> Iterator[Finding]:
    policy = lbc_gateway.l4_routes_per_port(release)
    by_port: dict[int | None, list[Document]] = {}
    listeners = {listener.position: listener for listener in listeners_of(gateway)}
    for position, routes in routes_by_listener(index, gateway).items():
        for route in routes:
            if route not in by_port.setdefault(listeners[position].port, []):
                by_port[listeners[position].port].append(route)
    for port, routes in sorted(by_port.items(), key=lambda item: item[0] or 0):
        if policy == "single":
            # model_build_listener.go buildL4ListenerSpec (LBC v2.13.0-v2.16.0).
            for route in routes:
                backends = [
                    ref
                    for _, rule in maps(dig(route.obj, "spec", "rules"))
                    for _, ref in maps(rule.get("backendRefs"))
                ]
                if len(backends) > 1:
                    message = (
                        f"LBC {release} forwards an NLB listener to one backend: {len(backends)} backendRefs "
                        "fail the listener (weighted target groups from v2.17.0)"
                    )
                    yield object_finding(route, L4_ROUTES, Severity.ERROR, message, "spec.rules")
        if len(routes) < 2:
            continue
        if policy == "single":
            severity, what = Severity.ERROR, "fails the listener (one route per NLB listener before v2.17.0)"
        elif policy == "weighted":
            severity, what = Severity.WARNING, "spreads its traffic over the backends of all of them"
        else:
            # model_build_listener.go pickOneL4Route (LBC v3.4.0+).
            severity, what = (
                Severity.WARNING,
                "sends its traffic to the oldest one only (then by namespace/name)",
            )
        attached = ", ".join(object_ref(route) for route in routes)
        message = f"routes {attached} all attach to port {port}: LBC {release} {what}; give each its own port"
        yield object_finding(gateway, L4_ROUTES, severity, message, "spec.listeners")


def _overridden(index: ObjectIndex, gateway: Document) -> Iterator[Finding]:
    own, of_class = _configurations(index, gateway)
    if own is None or of_class is None or _spec(of_class).get("mergingMode") == "prefer-gateway":
        return
    for field in TAKE_ONE_FIELDS:
        mine, theirs = _spec(own).get(field), _spec(of_class).get(field)
        if mine is not None and theirs is not None and mine != theirs:
            # lb_config_merger.go Merge (LBC v3.5.0): the class's configuration wins unless prefer-gateway.
            message = (
                f"{field} of this Gateway's LoadBalancerConfiguration {own.name} is overridden by its "
                f"GatewayClass's {of_class.name} ({theirs!r}): LBC prefers the class (mergingMode "
                "prefer-gateway-class); set mergingMode: prefer-gateway on the class's configuration or "
                "drop one"
            )
            yield object_finding(gateway, CONFIG_OVERRIDDEN, Severity.WARNING, message, "spec.infrastructure")


BACKEND_TLS_POLICIES = Lint("lbc-backend-tls", (BACKEND_TLS,), check_backend_tls)
LBC_LISTENERS = Lint(
    "lbc-gateway-listeners",
    (TCP_UDP_PORT, L4_ROUTES, OPEN_TO_ALL, CONFIG_OVERRIDDEN, GATEWAY_FIELD_UNSUPPORTED),
    check_listeners,
)
