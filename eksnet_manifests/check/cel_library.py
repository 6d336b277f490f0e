"""The Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library) for the cel-expr-python runtime.

The runtime's own extensions bring strings, optionals, math, bindings and encoders. Kubernetes adds
lists, regex, sets, URL, IP, CIDR, quantity and semver functions, written here in Python. The runtime
cannot carry opaque Python values, so an IP, CIDR, URL, quantity or semver travels as a small map
``{"@k8s": kind, "v": canonical text}``: equal values compare equal, as with the Kubernetes types.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise
from typing import Any
from urllib.parse import parse_qs, urlsplit

TAG = "@k8s"
_QUANTITY = re.compile(
    r"^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|)|[eE]([+-]?\d+))$"
)
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
INT64_MAX = 2**63 - 1


def _wrap(kind: str, text: str) -> dict[str, str]:
    return {TAG: kind, "v": text}


def _unwrap(value: Any, kind: str) -> str:
    if isinstance(value, dict) and value.get(TAG) == kind:
        return value["v"]
    raise ValueError(f"expected a {kind} value")


# --- IP and CIDR ---------------------------------------------------------------------------------


def _parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    # Kubernetes refuses zones and IPv4-mapped IPv6 addresses (netip.ParseAddr plus its own checks).
    if "%" in text:
        raise ValueError(f"IP Address with zone value is not allowed: {text}")
    address = ipaddress.ip_address(text)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        raise ValueError(f"IPv4-mapped IPv6 address is not allowed: {text}")
    return address


def _parse_cidr(text: str) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
    if "/" not in text or "%" in text:
        raise ValueError(f"network address parse error during conversion from string: {text}")
    interface = ipaddress.ip_interface(text)
    _parse_ip(str(interface.ip))
    return interface


def _succeeds(parse: Callable[[str], Any]) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        try:
            parse(text)
        except ValueError:
            return False
        return True

    return check


def _ip(value: str) -> dict[str, str]:
    return _wrap("ip", str(_parse_ip(value)))


def _ip_of(value: Any) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    return _parse_ip(value if isinstance(value, str) else _unwrap(value, "ip"))


def _cidr_of(value: Any) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
    return _parse_cidr(value if isinstance(value, str) else _unwrap(value, "cidr"))


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


def _contains_ip(cidr: Any, address: Any) -> bool:
    return _ip_of(address) in _cidr_of(cidr).network


def _contains_cidr(cidr: Any, other: Any) -> bool:
    inner = _cidr_of(other).network
    outer = _cidr_of(cidr).network
    return inner.version == outer.version and inner.subnet_of(outer)  # type: ignore[arg-type]


def _masked(cidr: Any) -> dict[str, str]:
    return _wrap("cidr", str(_cidr_of(cidr).network))


# --- quantity ------------------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _parse_quantity(text: str) -> Fraction:
    match = _QUANTITY.match(text)
    if match is None:
        raise ValueError(f"quantities must match the regular expression '{_QUANTITY.pattern}'")
    number = Fraction(match[1])
    if match[3] is not None:
        return number * Fraction(10) ** int(match[3])
    suffix = match[2] or ""
    if suffix in _BINARY:
        return number * 1024 ** _BINARY[suffix]
    return number * Fraction(10) ** _DECIMAL[suffix]


def _quantity(text: str) -> dict[str, str]:
    return _wrap("quantity", str(_parse_quantity(text)))


def _amount(value: Any) -> Fraction:
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    return Fraction(_unwrap(value, "quantity"))


def _as_integer(value: Any) -> int:
    amount = _amount(value)
    if amount.denominator != 1 or abs(amount) > INT64_MAX:
        raise ValueError("cannot convert value to integer")
    return int(amount)


# --- semver --------------------------------------------------------------------------------------


def _semver(text: str) -> dict[str, str]:
    if _SEMVER.match(text) is None:
        raise ValueError(f"invalid semver: {text}")
    return _wrap("semver", text)


def _semver_key(value: Any) -> tuple[Any, ...]:
    match = _SEMVER.match(_unwrap(value, "semver"))
    assert match is not None
    pre = match[4]
    pre_key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")) if pre else None
    # A release sorts after its pre-releases.
    return (int(match[1]), int(match[2]), int(match[3]), pre_key is None, pre_key or ())


def _compare(left: Any, right: Any) -> int:
    if isinstance(left, dict) and left.get(TAG) == "semver":
        a, b = _semver_key(left), _semver_key(right)
    else:
        a, b = _amount(left), _amount(right)  # type: ignore[assignment]
    return (a > b) - (a < b)


# --- URL -----------------------------------------------------------------------------------------


def _url(text: str) -> dict[str, str]:
    if not _is_url(text):
        raise ValueError(f"URL parse error during conversion from string: {text}")
    return _wrap("url", text)


def _is_url(text: str) -> bool:
    if not text or any(ch.isspace() for ch in text):
        return False
    if text.startswith("/"):
        return True
    parts = urlsplit(text)
    return bool(parts.scheme) and (bool(parts.netloc) or bool(parts.path) or text.endswith(":"))


def _host(value: Any) -> str:
    return urlsplit(_unwrap(value, "url")).netloc.rpartition("@")[2]


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
    "getScheme": lambda v: urlsplit(_unwrap(v, "url")).scheme,
    "getHost": _host,
    "getHostname": _hostname,
    "getPort": _port,
    "getEscapedPath": lambda v: urlsplit(_unwrap(v, "url")).path,
    "getQuery": lambda v: parse_qs(urlsplit(_unwrap(v, "url")).query, keep_blank_values=True),
}


# --- lists, sets, regex --------------------------------------------------------------------------


def _non_empty(values: Sequence[Any], what: str) -> Sequence[Any]:
    if not values:
        raise ValueError(f"{what} called on empty list")
    return values


def _index_of(values: Sequence[Any], item: Any) -> int:
    return next((i for i, v in enumerate(values) if v == item), -1)


def _last_index_of(values: Sequence[Any], item: Any) -> int:
    return next((i for i in range(len(values) - 1, -1, -1) if values[i] == item), -1)


def _find(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    return match.group(0) if match else ""


def _find_all(text: str, pattern: str, limit: int = -1) -> list[str]:
    found = [m.group(0) for m in re.finditer(pattern, text)]
    return found if limit < 0 else found[:limit]


def _to_string(value: Any) -> str:
    if isinstance(value, dict) and value.get(TAG) in ("ip", "cidr", "semver"):
        return value["v"]
    raise ValueError("no such overload: string")


LIST_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "isSorted": lambda values: all(a <= b for a, b in pairwise(values)),
    "sum": lambda values: sum(values) if values else 0,
    "min": lambda values: min(_non_empty(values, "min")),
    "max": lambda values: max(_non_empty(values, "max")),
}
SET_FUNCTIONS: dict[str, Callable[[Sequence[Any], Sequence[Any]], bool]] = {
    "sets.contains": lambda a, b: all(x in a for x in b),
    "sets.equivalent": lambda a, b: all(x in a for x in b) and all(x in b for x in a),
    "sets.intersects": lambda a, b: any(x in a for x in b),
}


def scalar_functions() -> dict[str, Callable[..., Any]]:
    """Global functions taking a string, by CEL name."""
    return {
        "isIP": _succeeds(_parse_ip),
        "ip": _ip,
        "ip.isCanonical": lambda text: str(_parse_ip(text)) == text,
        "isCIDR": _succeeds(_parse_cidr),
        "cidr": lambda text: _wrap("cidr", str(_parse_cidr(text))),
        "isQuantity": _succeeds(_parse_quantity),
        "quantity": _quantity,
        "isURL": _is_url,
        "url": _url,
        "isSemver": _succeeds(_semver),
        "semver": _semver,
    }


def value_methods() -> dict[str, Callable[..., Any]]:
    """Member functions on a wrapped value, taking only the receiver."""
    return {
        **IP_METHODS,
        **URL_METHODS,
        "ip": lambda cidr: _wrap("ip", str(_cidr_of(cidr).ip)),
        "masked": _masked,
        "prefixLength": lambda cidr: _cidr_of(cidr).network.prefixlen,
        "sign": lambda q: (_amount(q) > 0) - (_amount(q) < 0),
        "isInteger": lambda q: _amount(q).denominator == 1,
        "asInteger": _as_integer,
        "asApproximateFloat": lambda q: float(_amount(q)),
        "major": lambda v: _semver_key(v)[0],
        "minor": lambda v: _semver_key(v)[1],
        "patch": lambda v: _semver_key(v)[2],
    }


def pair_methods() -> dict[str, Callable[[Any, Any], Any]]:
    """Member functions on a wrapped value taking one more argument (a value, a string or an int)."""
    return {
        "containsIP": _contains_ip,
        "containsCIDR": _contains_cidr,
        "add": lambda q, other: _wrap("quantity", str(_amount(q) + _amount(other))),
        "sub": lambda q, other: _wrap("quantity", str(_amount(q) - _amount(other))),
        "compareTo": _compare,
        "isGreaterThan": lambda a, b: _compare(a, b) > 0,
        "isLessThan": lambda a, b: _compare(a, b) < 0,
    }


STRING_REGEX = {"find": _find, "findAll": _find_all}
LIST_SEARCH = {"indexOf": _index_of, "lastIndexOf": _last_index_of}
TO_STRING = _to_string
