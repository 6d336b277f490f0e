"""Settings of the ALB itself: placement, access, names, attributes, tags, WAF and Shield, capacity.

Keys with a typed profile field (the catalogue's ``field``) become it; the others stay in
``expose.annotations`` of a profile and become LoadBalancerConfiguration fields on Gateway API
(LBC docs ``guide/gateway/loadbalancerconfig.md``, v3.5.0).
"""

from __future__ import annotations

from eksnet_manifests.migrate.alb.common import PREFIX, keep, matching, note, parsed, present, typed
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.inputs import Resource
from eksnet_manifests.migrate.report import Report, failed, translated

TYPED = (
    "ip-address-type",
    "load-balancer-name",
    "subnets",
    "inbound-cidrs",
    "security-group-prefix-lists",
    "security-groups",
    "manage-backend-security-group-rules",
    "load-balancer-attributes",
    "tags",
    "wafv2-acl-arn",
    "wafv2-acl-name",
    "shield-advanced-protection",
)
# Untyped key -> the LoadBalancerSettings field (gateway profile model) it becomes.
UNTYPED = {
    "customer-owned-ipv4-pool": "customerOwnedIpv4Pool",
    "ipam-ipv4-pool-id": "ipv4IpamPoolId",
}
CAPACITY = "minimum-load-balancer-capacity"
LISTENER_ATTRIBUTES = "listener-attributes."
KEYS = (*TYPED, *UNTYPED, CAPACITY)
STEMS = (LISTENER_ATTRIBUTES,)


def translate(ingress: Resource, draft: Draft, report: Report) -> None:
    for key in present(ingress, TYPED):
        typed(ingress, key, draft, report)
    for suffix, field in UNTYPED.items():
        key = PREFIX + suffix
        if key in ingress.annotations:
            draft.gateway[f"loadBalancer.{field}"] = ingress.annotations[key].strip()
            keep(ingress, key, draft, report, translated(f"LoadBalancerConfiguration spec.{field}"))
    if PREFIX + CAPACITY in ingress.annotations:
        _capacity(ingress, draft, report)
    for key in matching(ingress, *STEMS):
        _listener_attributes(ingress, key, draft, report)


def _capacity(ingress: Resource, draft: Draft, report: Report) -> None:
    key = PREFIX + CAPACITY
    value = parsed(ingress, key, report)
    if value is None:
        return
    units = value.get("CapacityUnits", "")
    if not units.isdigit():
        note(report, ingress, key, failed("needs CapacityUnits=<number>: LBC fails the Ingress"))
        return
    draft.gateway["loadBalancer.minimumCapacityUnits"] = int(units)
    keep(
        ingress, key, draft, report, translated("LoadBalancerConfiguration spec.minimumLoadBalancerCapacity")
    )


def _listener_attributes(ingress: Resource, key: str, draft: Draft, report: Report) -> None:
    value = parsed(ingress, key, report)
    if value is None:
        return
    port = key.removeprefix(PREFIX + LISTENER_ATTRIBUTES)
    draft.gateway[f"listener.{port}.attributes"] = dict(value)
    gateway = translated("LoadBalancerConfiguration spec.listenerConfigurations[].listenerAttributes", port)
    keep(ingress, key, draft, report, gateway)
