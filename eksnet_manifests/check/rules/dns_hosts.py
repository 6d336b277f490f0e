"""One DNS name, one load balancer: ExternalDNS keeps a single set of targets per name."""

from __future__ import annotations

from collections.abc import Iterator

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.dns import SOURCES, dns_hosts, read_prefixes
from eksnet_manifests.check.lint.fields import annotations, as_str, dig
from eksnet_manifests.check.lint.gatewayapi import ROUTE_KINDS, attachments
from eksnet_manifests.check.lint.index import (
    CORE,
    GATEWAY_GROUP,
    NETWORKING_GROUP,
    Lint,
    LintOptions,
    ObjectIndex,
    namespace_of,
    object_finding,
)
from eksnet_manifests.check.rules.annotations import ALB

HOST_ON_MANY = "dns-host-multiple-load-balancers"


def load_balancers_of(index: ObjectIndex, doc: Document) -> list[str]:
    """The load balancers an object's hostnames point at: a LoadBalancer Service is one, an Ingress its
    IngressGroup's (itself when ungrouped), a route each Gateway it attaches to."""
    kind = (doc.group, doc.kind)
    if kind == (CORE, "Service"):
        return (
            [f"Service {namespace_of(doc)}/{doc.name}"]
            if dig(doc.obj, "spec", "type") == "LoadBalancer"
            else []
        )
    if kind == (NETWORKING_GROUP, "Ingress"):
        group = as_str(annotations(doc.obj).get(ALB + "group.name"))
        return [f"IngressGroup {group}" if group else f"Ingress {namespace_of(doc)}/{doc.name}"]
    if doc.group == GATEWAY_GROUP and doc.kind in ROUTE_KINDS:
        return sorted(
            {
                f"Gateway {namespace_of(a.gateway)}/{a.gateway.name}"
                for a in attachments(index, doc)
                if a.listeners and a.gateway is not None
            }
        )
    return []


def check_hosts_on_one_load_balancer(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """A hostname named by objects behind two load balancers resolves to one of them only."""
    prefixes = read_prefixes(index)
    owners: dict[str, dict[str, tuple[Document, str]]] = {}
    for group, kind in SOURCES:
        for doc in index.of_kind(group, kind):
            for lb in load_balancers_of(index, doc):
                for host, path in dns_hosts(doc, prefixes):
                    owners.setdefault(host.lower().rstrip("."), {}).setdefault(lb, (doc, path))
    for host, by_lb in sorted(owners.items()):
        if len(by_lb) < 2:
            continue
        names = ", ".join(sorted(by_lb))
        # plan/conflict.go PerResource.ResolveCreate (ExternalDNS v0.21.0): one resource wins the name.
        message = (
            f"hostname {host!r} is served by {len(by_lb)} load balancers ({names}): ExternalDNS gives the "
            "name "
            "to one of them only, so the others get no traffic by it; serve it from one load balancer"
        )
        for doc, path in list(by_lb.values())[1:]:
            yield object_finding(doc, HOST_ON_MANY, Severity.ERROR, message, path)


DNS_HOSTS = Lint("dns-hosts", (HOST_ON_MANY,), check_hosts_on_one_load_balancer)
