"""Tolerant field access: lints also see objects that failed schema checks; a bad shape reads as absent."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

_EMPTY: Mapping[str, Any] = {}


def as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else _EMPTY


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def as_int(value: Any) -> int | None:
    # bool is an int subclass; a port of `true` is a shape error, not port 1
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def dig(obj: Any, *keys: str) -> Any:
    """``obj[k1][k2]...`` or None when any step is missing or not a mapping."""
    for key in keys:
        obj = as_map(obj).get(key)
    return obj


def items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def maps(value: Any) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(position, entry) for the mapping entries of a list, keeping positions for field paths."""
    for position, entry in enumerate(items(value)):
        if isinstance(entry, Mapping):
            yield position, entry


def strings(value: Any) -> Iterator[tuple[int, str]]:
    for position, entry in enumerate(items(value)):
        text = as_str(entry)
        if text is not None:
            yield position, text


def annotations(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return as_map(dig(obj, "metadata", "annotations"))


def labels(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return as_map(dig(obj, "metadata", "labels"))


def annotation_path(key: str) -> str:
    # annotation keys contain dots and slashes, so a dotted path needs the bracket form
    return f'metadata.annotations["{key}"]'
