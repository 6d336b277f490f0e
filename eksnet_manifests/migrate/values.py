"""Annotation values read as LBC reads them: the inverse of ``synth.expose.lb_annotations.encode``.

LBC's parser (``pkg/annotations/parser.go``, v3.5.0): lists split at commas with blanks trimmed and empty
items dropped; maps are ``k=v`` pairs split at commas (a pair without ``=`` fails the object); booleans
and integers as Go's ``strconv`` reads them; JSON values with ``encoding/json``.
"""

from __future__ import annotations

import json
from typing import Any

from eksnet_manifests.versions.lbc_annotations import BOOLEAN, INTEGER, JSON, LIST, MAP

_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")


class BadValue(ValueError):
    """A value LBC cannot parse (LBC fails the Ingress or Service on it)."""


def as_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def as_map(value: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in as_list(value):
        key, equals, rest = item.partition("=")
        if not equals:
            raise BadValue(f"{item!r} is not a key=value pair")
        pairs[key.strip()] = rest.strip()
    return pairs


def as_bool(value: str) -> bool:
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadValue(f"{value!r} is not a boolean")


def as_int(value: str) -> int:
    text = value.strip()
    if not text.lstrip("+-").isdigit():
        raise BadValue(f"{value!r} is not an integer")
    return int(text)


def as_json(value: str) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise BadValue(f"not JSON: {exc.msg} at character {exc.pos}") from None


PARSERS = {LIST: as_list, MAP: as_map, BOOLEAN: as_bool, INTEGER: as_int, JSON: as_json}


def parse(value_type: str, value: str) -> Any:
    """``value`` of an annotation of ``value_type`` (versions.lbc_annotations), as LBC reads it."""
    parser = PARSERS.get(value_type)
    return value if parser is None else parser(value)
