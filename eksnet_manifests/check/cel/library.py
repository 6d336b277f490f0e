"""The Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library) for the cel-expr-python runtime.

The runtime's own extensions bring strings, optionals, math, bindings and encoders. Kubernetes adds
lists, regex, sets, URL, IP, CIDR, quantity and semver functions, written here in Python (the value
types in ``cel_values``); ``cel.py`` declares them to the runtime from the tables below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise
from typing import Any

from eksnet_manifests.check.cel import values
from eksnet_manifests.check.cel.values import succeeds, unwrap, wrap

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
    return wrap("quantity", str(_parse_quantity(text)))


def _amount(value: Any) -> Fraction:
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    return Fraction(unwrap(value, "quantity"))


def _as_integer(value: Any) -> int:
    amount = _amount(value)
    if amount.denominator != 1 or abs(amount) > INT64_MAX:
        raise ValueError("cannot convert value to integer")
    return int(amount)


# --- semver --------------------------------------------------------------------------------------


def _semver(text: str) -> dict[str, str]:
    if _SEMVER.match(text) is None:
        raise ValueError(f"invalid semver: {text}")
    return wrap("semver", text)


def _semver_key(value: Any) -> tuple[Any, ...]:
    match = _SEMVER.match(unwrap(value, "semver"))
    assert match is not None
    pre = match[4]
    pre_key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")) if pre else None
    # A release sorts after its pre-releases.
    return (int(match[1]), int(match[2]), int(match[3]), pre_key is None, pre_key or ())


def _compare(left: Any, right: Any) -> int:
    if isinstance(left, dict) and left.get(values.TAG) == "semver":
        a, b = _semver_key(left), _semver_key(right)
    else:
        a, b = _amount(left), _amount(right)  # type: ignore[assignment]
    return (a > b) - (a < b)


# --- lists, sets, regex --------------------------------------------------------------------------


def _non_empty(values: Sequence[Any], what: str) -> Sequence[Any]:
    if not values:
        raise ValueError(f"{what} called on empty list")
    return values


def _index_of(values: Sequence[Any], item: Any) -> int:
    return next((i for i, v in enumerate(values) if v == item), -1)


def _last_index_of(values: Sequence[Any], item: Any) -> int:
    return next((i for i in range(len(values) - 1, -1, -1) if values[i] == item), -1)


@lru_cache(maxsize=512)
def _regex(pattern: str) -> Any:
    """``pattern`` compiled with RE2, as cel-go compiles it: linear time, no backreferences or lookaround."""
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print to stderr; the error is reported as the rule's outcome
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ValueError(f"invalid regular expression: {reason}") from None


def _find(text: str, pattern: str) -> str:
    match = _regex(pattern).search(text)
    return match.group(0) if match else ""


def _find_all(text: str, pattern: str, limit: int = -1) -> list[str]:
    if limit == 0:
        return []
    found = []
    for match in _regex(pattern).finditer(text):
        found.append(match.group(0))
        if len(found) == limit:
            break
    return found


def _to_string(value: Any) -> str:
    if isinstance(value, dict) and value.get(values.TAG) in ("ip", "cidr", "semver"):
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
        "isIP": succeeds(values.parse_ip),
        "ip": values.ip,
        "ip.isCanonical": lambda text: str(values.parse_ip(text)) == text,
        "isCIDR": succeeds(values.parse_cidr),
        "cidr": lambda text: wrap("cidr", str(values.parse_cidr(text))),
        "isQuantity": succeeds(_parse_quantity),
        "quantity": _quantity,
        "isURL": values.is_url,
        "url": values.url,
        "isSemver": succeeds(_semver),
        "semver": _semver,
    }


def value_methods() -> dict[str, Callable[..., Any]]:
    """Member functions on a wrapped value, taking only the receiver."""
    return {
        **values.IP_METHODS,
        **values.URL_METHODS,
        "ip": lambda cidr: wrap("ip", str(values.cidr_of(cidr).ip)),
        "masked": values.masked,
        "prefixLength": lambda cidr: values.cidr_of(cidr).network.prefixlen,
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
        "containsIP": values.contains_ip,
        "containsCIDR": values.contains_cidr,
        "add": lambda q, other: wrap("quantity", str(_amount(q) + _amount(other))),
        "sub": lambda q, other: wrap("quantity", str(_amount(q) - _amount(other))),
        "compareTo": _compare,
        "isGreaterThan": lambda a, b: _compare(a, b) > 0,
        "isLessThan": lambda a, b: _compare(a, b) < 0,
    }


STRING_REGEX = {"find": _find, "findAll": _find_all}
LIST_SEARCH = {"indexOf": _index_of, "lastIndexOf": _last_index_of}
TO_STRING = _to_string
