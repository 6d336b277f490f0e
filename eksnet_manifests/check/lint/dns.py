"""Hostnames against the ExternalDNS configuration (chart values; every lint here needs them and does
nothing without). ExternalDNS reads hostnames from the hostname annotation on Services, Ingresses and routes,
from Ingress ``rules[].host`` and ``tls[].hosts``, and from route ``spec.hostnames`` (Gateway listener
hostnames for routes that name none)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.fields import annotation_path, annotations, as_str, dig, maps, strings
from eksnet_manifests.check.lint.gatewayapi import HOSTNAME_ROUTE_KINDS, attachments
from eksnet_manifests.check.lint.index import (
    CORE,
    GATEWAY_GROUP,
    NETWORKING_GROUP,
    Lint,
    LintOptions,
    ObjectIndex,
    object_finding,
    some_objects,
    values_finding,
)
from eksnet_manifests.check.lint.values import (
    domain_list,
    external_dns_setting,
    external_dns_sources,
    image_tag,
)
from eksnet_manifests.check.values_files import EXTERNAL_DNS
from eksnet_manifests.versions import external_dns
from eksnet_manifests.versions.release import UnknownRelease

OUTSIDE_DOMAINS = "dns-host-outside-domain-filter"
SOURCE_MISSING = "dns-source-missing"
SYNC_WITHOUT_OWNER = "dns-sync-without-owner"
PREFIX_UNREAD = "dns-annotation-prefix-unread"

# ExternalDNS reads one of these prefixes, depending on its release (versions.external_dns).
PREFIXES = (external_dns.ALPHA_PREFIX, external_dns.GA_PREFIX)
HOSTNAME_ANNOTATIONS = tuple(f"{prefix}hostname" for prefix in PREFIXES)

# The ExternalDNS source (chart ``sources`` entry) that reads each kind.
SOURCES: Mapping[tuple[str, str], str] = {
    (CORE, "Service"): "service",
    (NETWORKING_GROUP, "Ingress"): "ingress",
    (GATEWAY_GROUP, "HTTPRoute"): "gateway-httproute",
    (GATEWAY_GROUP, "GRPCRoute"): "gateway-grpcroute",
    (GATEWAY_GROUP, "TLSRoute"): "gateway-tlsroute",
    (GATEWAY_GROUP, "TCPRoute"): "gateway-tcproute",
    (GATEWAY_GROUP, "UDPRoute"): "gateway-udproute",
}


def read_prefixes(index: ObjectIndex) -> tuple[str, ...]:
    """The annotation prefixes the ExternalDNS of the values reads: its release's, else (unknown) both."""
    values = index.values.get(EXTERNAL_DNS)
    version = image_tag(values) if values is not None else None
    try:
        return (external_dns.annotation_prefix(version),) if version else PREFIXES
    except UnknownRelease:
        return PREFIXES


def dns_hosts(doc: Document, prefixes: tuple[str, ...] = PREFIXES) -> list[tuple[str, str]]:
    """(hostname, field path) pairs the object itself names for ExternalDNS reading ``prefixes``."""
    found = []
    for key in (f"{prefix}hostname" for prefix in prefixes):
        for host in (as_str(annotations(doc.obj).get(key)) or "").split(","):
            if host.strip():
                found.append((host.strip(), annotation_path(key)))
    spec = doc.obj.get("spec")
    if (doc.group, doc.kind) == (NETWORKING_GROUP, "Ingress"):
        for position, rule in maps(dig(spec, "rules")):
            if host := as_str(rule.get("host")):
                found.append((host, f"spec.rules[{position}].host"))
        for tls_position, tls in maps(dig(spec, "tls")):
            for position, host in strings(tls.get("hosts")):
                found.append((host, f"spec.tls[{tls_position}].hosts[{position}]"))
    elif doc.group == GATEWAY_GROUP and doc.kind in HOSTNAME_ROUTE_KINDS:
        found.extend(
            (host, f"spec.hostnames[{position}]") for position, host in strings(dig(spec, "hostnames"))
        )
    return found


def in_domain(hostname: str, domain: str) -> bool:
    """ExternalDNS domain filter matching: the domain and its subdomains; ``.example.com`` only the latter."""
    hostname = hostname.lower().rstrip(".")
    if domain.startswith("."):
        return hostname.endswith(domain)
    return hostname == domain or hostname.endswith(f".{domain}")


def check_domain_filters(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """A hostname outside all ``domainFilters``, or inside an ``excludeDomains`` entry, gets no record."""
    external_dns = index.values.get(EXTERNAL_DNS)
    if external_dns is None:
        return
    filters, excluded = (
        domain_list(external_dns, "domainFilters"),
        domain_list(external_dns, "excludeDomains"),
    )
    prefixes = read_prefixes(index)
    for group, kind in SOURCES:
        for doc in index.of_kind(group, kind):
            for host, path in dns_hosts(doc, prefixes):
                if filters and not any(in_domain(host, domain) for domain in filters):
                    reason = f"outside ExternalDNS domainFilters ({', '.join(filters)})"
                elif blocked := [domain for domain in excluded if in_domain(host, domain)]:
                    reason = f"inside ExternalDNS excludeDomains ({', '.join(blocked)})"
                else:
                    continue
                message = f"hostname {host!r} is {reason}; ExternalDNS will not create its record"
                yield object_finding(doc, OUTSIDE_DOMAINS, Severity.WARNING, message, path)


def check_sources(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """Objects that carry hostnames while ExternalDNS ``sources`` (chart default: service, ingress) lacks the
    source reading their kind: one warning per missing source, on the values file."""
    external_dns = index.values.get(EXTERNAL_DNS)
    if external_dns is None:
        return
    enabled = set(external_dns_sources(external_dns))
    for (group, kind), source in SOURCES.items():
        if source in enabled:
            continue
        users = [
            doc for doc in index.of_kind(group, kind) if _wants_records(index, doc, read_prefixes(index))
        ]
        if users:
            message = (
                f"sources lacks {source!r}, so no records for {kind}s with hostnames, {some_objects(users)}"
            )
            yield values_finding(external_dns, ("sources",), SOURCE_MISSING, Severity.WARNING, message)


def _wants_records(index: ObjectIndex, doc: Document, prefixes: tuple[str, ...]) -> bool:
    if dns_hosts(doc, prefixes):
        return True
    if doc.group != GATEWAY_GROUP or doc.kind not in HOSTNAME_ROUTE_KINDS:
        return False
    return any(listener.hostname for found in attachments(index, doc) for listener in found.listeners)


def check_ownership(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """``policy: sync`` deletes records ExternalDNS believes it owns. Without ``txtOwnerId`` every instance
    uses the owner id ``default``, so two clusters sharing a hosted zone delete each other's records. Not
    checked with ``registry: noop``, which keeps no ownership at all."""
    external_dns = index.values.get(EXTERNAL_DNS)
    if external_dns is None or external_dns_setting(external_dns, "policy") != "sync":
        return
    if (
        external_dns_setting(external_dns, "txtOwnerId")
        or external_dns_setting(external_dns, "registry") == "noop"
    ):
        return
    message = (
        "policy is sync but txtOwnerId is unset: instances sharing a hosted zone would delete each other's "
        "records"
    )
    yield values_finding(external_dns, ("policy",), SYNC_WITHOUT_OWNER, Severity.WARNING, message)


def check_annotation_prefixes(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """Annotations with the prefix the pinned ExternalDNS does not read (``external-dns.alpha.kubernetes.io/``
    until v0.21, ``external-dns.kubernetes.io/`` from v0.22) are ignored: their records are never made."""
    prefixes = read_prefixes(index)
    if len(prefixes) != 1:
        return
    values = index.values[EXTERNAL_DNS]
    unread = next(prefix for prefix in PREFIXES if prefix != prefixes[0])
    for group, kind in SOURCES:
        for doc in index.of_kind(group, kind):
            for key in annotations(doc.obj):
                if isinstance(key, str) and key.startswith(unread):
                    # source/annotations/annotations.go DefaultAnnotationPrefix (ExternalDNS v0.22.0).
                    message = (
                        f"ExternalDNS {image_tag(values)} reads {prefixes[0]}*, not {key}: the annotation is "
                        f"ignored; spell it {prefixes[0]}{key[len(unread) :]}"
                    )
                    yield object_finding(doc, PREFIX_UNREAD, Severity.ERROR, message, annotation_path(key))


DNS_PREFIXES = Lint("dns-prefixes", (PREFIX_UNREAD,), check_annotation_prefixes)
DNS_DOMAINS = Lint("dns-domains", (OUTSIDE_DOMAINS,), check_domain_filters)
DNS_SOURCES = Lint("dns-sources", (SOURCE_MISSING,), check_sources)
DNS_OWNERSHIP = Lint("dns-ownership", (SYNC_WITHOUT_OWNER,), check_ownership)
