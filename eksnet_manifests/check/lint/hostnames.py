"""Route hostnames against the hostnames of the Gateway listeners the route attaches to."""

from __future__ import annotations

from collections.abc import Iterator

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.fields import dig, strings
from eksnet_manifests.check.lint.gatewayapi import (
    HOSTNAME_ROUTE_KINDS,
    admits_kind,
    attachments,
    hostnames_intersect,
)
from eksnet_manifests.check.lint.index import GATEWAY_GROUP, Lint, LintOptions, ObjectIndex, object_finding

HOSTNAME_UNMATCHED = "route-hostname-unmatched"


def check_route_hostnames(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """Each hostname of an HTTPRoute, GRPCRoute or TLSRoute should intersect a hostname of a listener it
    attaches to. Judged per Gateway: when none of the route's hostnames match, the Gateway does not accept the
    route (error); a hostname that does not match while others do is ignored by that Gateway (warning). A
    listener without hostname matches all; Gateways outside the input are left to the parent lint."""
    for route in index.of_kind(GATEWAY_GROUP, *HOSTNAME_ROUTE_KINDS):
        hostnames = list(strings(dig(route.obj, "spec", "hostnames")))
        if not hostnames:
            continue
        for gateway, listener_hostnames in _restricting_listener_hostnames(index, route).items():
            unmatched = [
                (position, hostname)
                for position, hostname in hostnames
                if not any(hostnames_intersect(hostname, other) for other in listener_hostnames)
            ]
            rejected = len(unmatched) == len(hostnames)
            severity = Severity.ERROR if rejected else Severity.WARNING
            outcome = (
                "so the Gateway does not accept the route: Accepted=False (NoMatchingListenerHostname)"
                if rejected
                else "so the Gateway ignores it"
            )
            allowed = ", ".join(sorted(listener_hostnames))
            for position, hostname in unmatched:
                message = (
                    f"hostname {hostname!r} matches no listener hostname of Gateway {gateway} ({allowed}), "
                    f"{outcome}"
                )
                yield object_finding(
                    route, HOSTNAME_UNMATCHED, severity, message, f"spec.hostnames[{position}]"
                )


def _restricting_listener_hostnames(index: ObjectIndex, route: Document) -> dict[str, set[str]]:
    """Per attached Gateway (``ns/name``), the hostnames of the listeners that admit the route, leaving out
    Gateways where some such listener has no hostname (it matches every route hostname)."""
    hostnames: dict[str, set[str]] = {}
    match_all: set[str] = set()
    for attachment in attachments(index, route):
        listeners = [item for item in attachment.listeners if admits_kind(item, route.group, route.kind)]
        if attachment.gateway is None or not listeners:
            continue
        gateway = f"{attachment.ref.namespace}/{attachment.ref.name}"
        for listener in listeners:
            if listener.hostname is None:
                match_all.add(gateway)
            else:
                hostnames.setdefault(gateway, set()).add(listener.hostname)
    return {gateway: names for gateway, names in hostnames.items() if gateway not in match_all}


ROUTE_HOSTNAMES = Lint("route-hostnames", (HOSTNAME_UNMATCHED,), check_route_hostnames)
