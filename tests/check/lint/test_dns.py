"""Hostnames and objects against the ExternalDNS chart values."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.lint.dns import (
    DNS_DOMAINS,
    DNS_OWNERSHIP,
    DNS_PREFIXES,
    DNS_SOURCES,
    OUTSIDE_DOMAINS,
    PREFIX_UNREAD,
    SOURCE_MISSING,
    SYNC_WITHOUT_OWNER,
    in_domain,
)
from eksnet_manifests.check.values_files import EXTERNAL_DNS

from .manifests import case, gateway, ingress, listener, outcomes, route, service

HOSTNAME = "external-dns.alpha.kubernetes.io/hostname"
HOSTNAME_PATH = f'metadata.annotations["{HOSTNAME}"]'
EXAMPLE_COM = {EXTERNAL_DNS: {"domainFilters": ["example.com"]}}
ONLY_SERVICES = {EXTERNAL_DNS: {"sources": ["service"]}}


def dns_service(hostnames: str) -> dict:
    return service(annotations={HOSTNAME: hostnames}, type="LoadBalancer")


DOMAIN_CASES = [
    case("no-values-no-findings", DNS_DOMAINS, [dns_service("shop.example.org")]),
    case("annotation-inside-filter", DNS_DOMAINS, [dns_service("shop.example.com")], values=EXAMPLE_COM),
    case(
        "annotation-list-with-one-outside",
        DNS_DOMAINS,
        [dns_service("shop.example.com, shop.example.org")],
        [(OUTSIDE_DOMAINS, "warning", HOSTNAME_PATH)],
        EXAMPLE_COM,
    ),
    case(
        "ingress-rule-host-outside",
        DNS_DOMAINS,
        [ingress(host="shop.example.org")],
        [(OUTSIDE_DOMAINS, "warning", "spec.rules[0].host")],
        EXAMPLE_COM,
    ),
    case(
        "ingress-tls-host-outside",
        DNS_DOMAINS,
        [ingress(host="shop.example.com", tls=[{"hosts": ["shop.example.org"]}])],
        [(OUTSIDE_DOMAINS, "warning", "spec.tls[0].hosts[0]")],
        EXAMPLE_COM,
    ),
    case(
        "route-hostname-outside",
        DNS_DOMAINS,
        [route(hostnames=["shop.example.com", "shop.example.net"])],
        [(OUTSIDE_DOMAINS, "warning", "spec.hostnames[1]")],
        EXAMPLE_COM,
    ),
    case(
        "route-hostname-excluded",
        DNS_DOMAINS,
        [route(hostnames=["shop.internal.example.com"])],
        [(OUTSIDE_DOMAINS, "warning", "spec.hostnames[0]")],
        {EXTERNAL_DNS: {"domainFilters": ["example.com"], "excludeDomains": ["internal.example.com"]}},
    ),
]

SOURCE_CASES = [
    case(
        "route-source-enabled",
        DNS_SOURCES,
        [route(hostnames=["shop.example.com"])],
        values={EXTERNAL_DNS: {"sources": ["gateway-httproute"]}},
    ),
    case(
        "route-source-missing",
        DNS_SOURCES,
        [route(hostnames=["shop.example.com"])],
        [(SOURCE_MISSING, "warning", "sources")],
        ONLY_SERVICES,
    ),
    case(
        "route-named-by-listener-hostname",
        DNS_SOURCES,
        [gateway(listener(hostname="shop.example.com")), route()],
        [(SOURCE_MISSING, "warning", "sources")],
        ONLY_SERVICES,
    ),
    case("route-without-any-hostname", DNS_SOURCES, [gateway(), route()], values=ONLY_SERVICES),
    case(
        "ingress-host-with-default-sources",
        DNS_SOURCES,
        [ingress(host="shop.example.com")],
        values={EXTERNAL_DNS: {}},
    ),
    case(
        "ingress-host-source-missing",
        DNS_SOURCES,
        [ingress(host="shop.example.com")],
        [(SOURCE_MISSING, "warning", "sources")],
        ONLY_SERVICES,
    ),
    case(
        "service-annotation-source-missing",
        DNS_SOURCES,
        [dns_service("shop.example.com")],
        [(SOURCE_MISSING, "warning", "sources")],
        {EXTERNAL_DNS: {"sources": ["ingress"]}},
    ),
    case(
        "service-without-annotation",
        DNS_SOURCES,
        [service()],
        values={EXTERNAL_DNS: {"sources": ["ingress"]}},
    ),
]

OWNERSHIP_CASES = [
    case(
        "sync-without-owner",
        DNS_OWNERSHIP,
        [],
        [(SYNC_WITHOUT_OWNER, "warning", "policy")],
        {EXTERNAL_DNS: {"policy": "sync"}},
    ),
    case(
        "sync-with-owner", DNS_OWNERSHIP, [], values={EXTERNAL_DNS: {"policy": "sync", "txtOwnerId": "myeks"}}
    ),
    case("upsert-only-without-owner", DNS_OWNERSHIP, [], values={EXTERNAL_DNS: {"policy": "upsert-only"}}),
    case(
        "sync-with-noop-registry",
        DNS_OWNERSHIP,
        [],
        values={EXTERNAL_DNS: {"policy": "sync", "registry": "noop"}},
    ),
]

GA_HOSTNAME = "external-dns.kubernetes.io/hostname"


def external_dns_release(tag: str, **values: object) -> dict:
    return {EXTERNAL_DNS: {"image": {"tag": tag}, **values}}


PREFIX_CASES = [
    case(
        "alpha-prefix-read-by-0.21",
        DNS_PREFIXES,
        [dns_service("a.example.com")],
        values=external_dns_release("v0.21.0"),
    ),
    case(
        "alpha-prefix-unread-by-0.22",
        DNS_PREFIXES,
        [dns_service("a.example.com")],
        [(PREFIX_UNREAD, "error", HOSTNAME_PATH)],
        external_dns_release("v0.22.0"),
    ),
    case(
        "ga-prefix-unread-by-0.21",
        DNS_PREFIXES,
        [service(annotations={GA_HOSTNAME: "a.example.com"}, type="LoadBalancer")],
        [(PREFIX_UNREAD, "error", f'metadata.annotations["{GA_HOSTNAME}"]')],
        external_dns_release("v0.21.0"),
    ),
    case(
        "release-unknown-both-read",
        DNS_PREFIXES,
        [dns_service("a.example.com")],
        values={EXTERNAL_DNS: {}},
    ),
    case(
        "domain-filter-counts-only-the-read-prefix",
        DNS_DOMAINS,
        [service(annotations={GA_HOSTNAME: "a.example.org"}, type="LoadBalancer")],
        values=external_dns_release("v0.21.0", domainFilters=["example.com"]),
    ),
]

CASES = DOMAIN_CASES + SOURCE_CASES + OWNERSHIP_CASES + PREFIX_CASES


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_external_dns_configuration(lint: Lint, objects: list, values: dict, expected: list) -> None:
    # GIVEN objects with hostnames and ExternalDNS values; WHEN linted; THEN exactly the expected findings
    assert outcomes(objects, lint, values) == expected


@pytest.mark.parametrize(
    ("hostname", "domain", "inside"),
    [
        ("example.com", "example.com", True),
        ("Shop.Example.com.", "example.com", True),
        ("badexample.com", "example.com", False),
        ("example.com", ".example.com", False),
        ("*.shop.example.com", "example.com", True),
    ],
    ids=["apex", "case-and-trailing-dot", "suffix-is-not-subdomain", "dot-filter-excludes-apex", "wildcard"],
)
def test_domain_filter_matching(hostname: str, domain: str, inside: bool) -> None:
    assert in_domain(hostname, domain) is inside
