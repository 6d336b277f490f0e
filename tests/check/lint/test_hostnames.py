"""Route hostnames against listener hostnames, with Gateway API wildcard semantics."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.lint.gatewayapi import hostnames_intersect
from eksnet_manifests.check.lint.hostnames import HOSTNAME_UNMATCHED, ROUTE_HOSTNAMES

from .manifests import case, gateway, listener, outcomes, route


def on_listener(hostname: str | None, *route_hostnames: str) -> list:
    fields = {"hostname": hostname} if hostname else {}
    return [gateway(listener(**fields)), route(hostnames=route_hostnames)]


CASES = [
    case("exact-match", ROUTE_HOSTNAMES, on_listener("app.example.com", "app.example.com")),
    case(
        "listener-wildcard-covers-deep-name", ROUTE_HOSTNAMES, on_listener("*.example.com", "a.b.example.com")
    ),
    case(
        "listener-wildcard-excludes-apex",
        ROUTE_HOSTNAMES,
        on_listener("*.example.com", "example.com"),
        [(HOSTNAME_UNMATCHED, "error", "spec.hostnames[0]")],
    ),
    case("route-wildcard-covers-listener", ROUTE_HOSTNAMES, on_listener("app.example.com", "*.example.com")),
    case("listener-without-hostname-matches-all", ROUTE_HOSTNAMES, on_listener(None, "shop.example.org")),
    case(
        "one-hostname-of-two-ignored",
        ROUTE_HOSTNAMES,
        on_listener("*.example.com", "shop.example.com", "shop.example.org"),
        [(HOSTNAME_UNMATCHED, "warning", "spec.hostnames[1]")],
    ),
    case("gateway-absent-left-to-parent-lint", ROUTE_HOSTNAMES, [route(hostnames=["shop.example.org"])]),
    case(
        "section-name-selects-restricted-listener",
        ROUTE_HOSTNAMES,
        [
            gateway(listener(hostname="app.example.com"), listener("open", port=8080)),
            route(parents=[{"name": "gw", "sectionName": "http"}], hostnames=["shop.example.org"]),
        ],
        [(HOSTNAME_UNMATCHED, "error", "spec.hostnames[0]")],
    ),
]


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_route_hostnames(lint: Lint, objects: list, values: dict, expected: list) -> None:
    # GIVEN listener and route hostnames; WHEN linted; THEN exactly the expected findings
    assert outcomes(objects, lint, values) == expected


@pytest.mark.parametrize(
    ("first", "second", "intersect"),
    [
        ("*.example.com", "foo.bar.example.com", True),
        ("*.example.com", "example.com", False),
        ("*.example.com", "*.foo.example.com", True),
        ("Shop.Example.com", "shop.example.com", True),
        ("*.example.com", "shop.example.org", False),
    ],
    ids=[
        "wildcard-many-labels",
        "wildcard-not-apex",
        "wildcard-in-wildcard",
        "case-insensitive",
        "other-domain",
    ],
)
def test_hostnames_intersect_symmetrically(first: str, second: str, intersect: bool) -> None:
    assert hostnames_intersect(first, second) is intersect
    assert hostnames_intersect(second, first) is intersect
