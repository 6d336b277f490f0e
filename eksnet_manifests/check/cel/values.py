"""Kubernetes CEL value types for the cel-expr-python runtime: IP, CIDR and URL (library ip, cidr, urls).

The runtime cannot carry opaque Python values, so each value travels as a small map
``{"@k8s": kind, "v": canonical text}``: equal values compare equal, as with the Kubernetes types.
Quantity and semver (in ``cel_library``) travel the same way.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

TAG = "@k8s"


def wrap(kind: str, text: str) -> dict[str, str]:
    return {TAG: kind, "v": text}


def unwrap(value: Any, kind: str) -> str:
    if isinstance(value, dict) and value.get(TAG) == kind:
        return value["v"]
    raise ValueError(f"expected a {kind} value")


def succeeds(parse: Callable[[str], Any]) -> Callable[[str], bool]:
    """``isX(text)`` from the parser of X."""

    def check(text: str) -> bool:
        try:
            parse(text)
        except ValueError:
            return False
        return True

    return check


# --- IP and CIDR ---------------------------------------------------------------------------------


def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    # Kubernetes refuses zones and IPv4-mapped IPv6 addresses (netip.ParseAddr plus its own checks).
    if "%" in text:
        raise ValueError(f"IP Address with zone value is not allowed: {text}")
    address = ipaddress.ip_address(text)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        raise ValueError(f"IPv4-mapped IPv6 address is not allowed: {text}")
    return address


def parse_cidr(text: str) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
    if "/" not in text or "%" in text:
        raise ValueError(f"network address parse error during conversion from string: {text}")
    interface = ipaddress.ip_interface(text)
    parse_ip(str(interface.ip))
    return interface


def ip(value: str) -> dict[str, str]:
    return wrap("ip", str(parse_ip(value)))


def _ip_of(value: Any) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    return parse_ip(value if isinstance(value, str) else unwrap(value, "ip"))


def cidr_of(value: Any) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
    return parse_cidr(value if isinstance(value, str) else unwrap(value, "cidr"))


def _global_unicast(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Go's net.IP.IsGlobalUnicast: private ranges count as global."""
    if address.is_unspecified or address.is_loopback or address.is_multicast or address.is_link_local:
        return False
    return address != ipaddress.IPv4Address("255.255.255.255")


IP_METHODS: dict[str, Callable[[Any], Any]] = {
    "family": lambda v: _ip_of(v).version,
    "isUnspecified": lambda v: _ip_of(v).is_unspecified,
    "isLoopback": lambda v: _ip_of(v).is_loopback,
    "isLinkLocalMulticast": lambda v: _link_local_multicast(_ip_of(v)),
    "isLinkLocalUnicast": lambda v: _ip_of(v).is_link_local and not _ip_of(v).is_multicast,
    "isGlobalUnicast": lambda v: _global_unicast(_ip_of(v)),
}


def _link_local_multicast(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv4Address):
        return address in ipaddress.IPv4Network("224.0.0.0/24")
    return address in ipaddress.IPv6Network("ff02::/16")


def contains_ip(cidr: Any, address: Any) -> bool:
    return _ip_of(address) in cidr_of(cidr).network


def contains_cidr(cidr: Any, other: Any) -> bool:
    inner = cidr_of(other).network
    outer = cidr_of(cidr).network
    return inner.version == outer.version and inner.subnet_of(outer)  # type: ignore[arg-type]


def masked(cidr: Any) -> dict[str, str]:
    return wrap("cidr", str(cidr_of(cidr).network))


# --- URL -----------------------------------------------------------------------------------------


def url(text: str) -> dict[str, str]:
    if not is_url(text):
        raise ValueError(f"URL parse error during conversion from string: {text}")
    return wrap("url", text)


def is_url(text: str) -> bool:
    if not text or any(ch.isspace() for ch in text):
        return False
    if text.startswith("/"):
        return True
    parts = urlsplit(text)
    return bool(parts.scheme) and (bool(parts.netloc) or bool(parts.path) or text.endswith(":"))


def _host(value: Any) -> str:
    return urlsplit(unwrap(value, "url")).netloc.rpartition("@")[2]


def _hostname(value: Any) -> str:
    host = _host(value)
    if host.startswith("["):
        return host[1 : host.index("]")]
    return host.partition(":")[0]


def _port(value: Any) -> str:
    host = _host(value)
    tail = host[host.index("]") + 1 :] if host.startswith("[") else host
    return tail.partition(":")[2]


URL_METHODS: dict[str, Callable[[Any], Any]] = {
    "getScheme": lambda v: urlsplit(unwrap(v, "url")).scheme,
    "getHost": _host,
    "getHostname": _hostname,
    "getPort": _port,
    "getEscapedPath": lambda v: urlsplit(unwrap(v, "url")).path,
    "getQuery": lambda v: parse_qs(urlsplit(unwrap(v, "url")).query, keep_blank_values=True),
}
