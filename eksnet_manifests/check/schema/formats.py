"""String formats as the API server checks them in CRDs (go-openapi strfmt semantics, not JSON Schema's).

JSON Schema's ``duration`` is ISO 8601 (``P1D``) while Kubernetes means Go durations (``1h30m``); ``uri`` in
Go also admits an absolute path. These functions are handed to jsonschema-rs under the same names.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import ipaddress
import re
from collections.abc import Callable

_HEX = "[0-9a-fA-F]"
_UUID = re.compile(rf"^{_HEX}{{8}}-?{_HEX}{{4}}-?{_HEX}{{4}}-?{_HEX}{{4}}-?{_HEX}{{12}}$")
_UUID_V = {
    "uuid3": re.compile(rf"^{_HEX}{{8}}-{_HEX}{{4}}-3{_HEX}{{3}}-{_HEX}{{4}}-{_HEX}{{12}}$"),
    "uuid4": re.compile(rf"^{_HEX}{{8}}-{_HEX}{{4}}-4{_HEX}{{3}}-[89abAB]{_HEX}{{3}}-{_HEX}{{12}}$"),
    "uuid5": re.compile(rf"^{_HEX}{{8}}-{_HEX}{{4}}-5{_HEX}{{3}}-[89abAB]{_HEX}{{3}}-{_HEX}{{12}}$"),
}
# Letters and digits of any script, inner dashes: strfmt's hostname labels.
_LABEL = re.compile(r"^[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?$")
_MAC = re.compile(
    rf"^(?:{_HEX}{{2}}(?:[:-]{_HEX}{{2}}){{5}}|{_HEX}{{2}}(?:[:-]{_HEX}{{2}}){{7}}|{_HEX}{{2}}(?:[:-]{_HEX}{{2}}){{19}}"
    rf"|{_HEX}{{4}}(?:\.{_HEX}{{4}}){{2}}|{_HEX}{{4}}(?:\.{_HEX}{{4}}){{3}}|{_HEX}{{4}}(?:\.{_HEX}{{4}}){{9}})$"
)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_GO_DURATION = re.compile(r"^[-+]?(?:0|(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$")
_UNIT_DURATION = re.compile(
    r"^\d+\s*(?:ns|us|ms|s|m|h|d|w|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?)$"
)
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_EMAIL = re.compile(r"^(?:[^<>@\s]+@[^<>@\s]+|[^<>]*<[^<>@\s]+@[^<>@\s]+>)$")
_HEXCOLOR = re.compile(r"^#?(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_BYTE_ = r"\s*(?:0|[1-9]\d?|1\d\d|2[0-4]\d|25[0-5])\s*"
_RGBCOLOR = re.compile(rf"^rgb\({_BYTE_},{_BYTE_},{_BYTE_}\)$")
_SSN = re.compile(r"^\d{3}[- ]?\d{2}[- ]?\d{4}$")
_BSON = re.compile(r"^[0-9a-fA-F]{24}$")


def is_hostname(value: str) -> bool:
    if not value or len(value) > 255:
        return False
    return all(_LABEL.match(label) for label in value.removesuffix(".").split("."))


def is_ipv4(value: str) -> bool:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def is_ipv6(value: str) -> bool:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def is_cidr(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return "/" in value


def is_date(value: str) -> bool:
    match = _DATE.match(value)
    if match is None:
        return False
    try:
        datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def is_date_time(value: str) -> bool:
    match = _DATE_TIME.match(value)
    if match is None or not is_date(match[1]):
        return False
    return int(match[2]) < 24 and int(match[3]) < 60 and int(match[4]) < 61


def is_duration(value: str) -> bool:
    return bool(_GO_DURATION.match(value) or _UNIT_DURATION.match(value))


def is_byte(value: str) -> bool:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def is_uri(value: str) -> bool:
    """Go's url.ParseRequestURI: an absolute URI or an absolute path, without spaces or control characters."""
    if not value or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return False
    return value.startswith("/") or bool(_URI_SCHEME.match(value))


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        number = int(char) * (2 if position % 2 else 1)
        total += number - 9 if number > 9 else number
    return total % 10 == 0


def is_credit_card(value: str) -> bool:
    digits = re.sub(r"[ -]", "", value)
    return digits.isdigit() and 12 <= len(digits) <= 19 and _luhn(digits)


def _isbn10(value: str) -> bool:
    chars = re.sub(r"[ -]", "", value)
    if not re.fullmatch(r"\d{9}[\dX]", chars):
        return False
    total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(chars))
    return total % 11 == 0


def _isbn13(value: str) -> bool:
    chars = re.sub(r"[ -]", "", value)
    if not re.fullmatch(r"\d{13}", chars):
        return False
    return sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(chars)) % 10 == 0


def _matcher(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda value: bool(pattern.match(value))


FORMAT_CHECKERS: dict[str, Callable[[str], bool]] = {
    "bsonobjectid": _matcher(_BSON),
    "uri": is_uri,
    "email": _matcher(_EMAIL),
    "hostname": is_hostname,
    "ipv4": is_ipv4,
    "ipv6": is_ipv6,
    "cidr": is_cidr,
    "mac": _matcher(_MAC),
    "uuid": _matcher(_UUID),
    **{name: _matcher(pattern) for name, pattern in _UUID_V.items()},
    "isbn": lambda value: _isbn10(value) or _isbn13(value),
    "isbn10": _isbn10,
    "isbn13": _isbn13,
    "creditcard": is_credit_card,
    "ssn": _matcher(_SSN),
    "hexcolor": _matcher(_HEXCOLOR),
    "rgbcolor": _matcher(_RGBCOLOR),
    "byte": is_byte,
    "password": lambda value: True,
    "date": is_date,
    "duration": is_duration,
    "date-time": is_date_time,
}
