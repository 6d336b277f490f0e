"""JSON Schema errors (jsonschema-rs) as findings worded like the API server's field errors."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")
_MAX_VALUE_TEXT = 80
_MAX_MESSAGE = 240


def render_path(path: Iterable[str | int]) -> str:
    """``("spec", "rules", 0, "matches")`` -> ``spec.rules[0].matches``; odd keys go in brackets."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{part}]"
    return out


def value_text(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return text if len(text) <= _MAX_VALUE_TEXT else text[: _MAX_VALUE_TEXT - 3] + "..."


def _types(types: list[str]) -> str:
    wanted = [t for t in types if t != "null"] or types
    return " or ".join(wanted)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}.get(
        type(value), type(value).__name__
    )


def _branch_types(context: list[list[Any]]) -> list[str] | None:
    """When every branch of a oneOf/anyOf failed on type alone (IntOrString, Quantity), the types allowed."""
    allowed: list[str] = []
    for branch in context:
        if not branch or any(error.kind.name != "type" for error in branch):
            return None
        allowed += [t for t in branch[0].kind.as_dict()["types"] if t not in allowed]
    return allowed


# Errors after which the API server skips every CEL rule of the object (``hasBlockingErr`` in
# apiextensions-apiserver: Required, NotSupported, TooLong, TooMany, TypeInvalid), because rules written
# against the declared types cannot be evaluated meaningfully on such data.
_BLOCKING_KINDS = frozenset({"type", "required", "enum", "maxLength", "maxItems", "maxProperties"})


def blocks_cel(error: Any) -> bool:
    """Whether this jsonschema-rs error makes the API server skip the CEL rules."""
    kind = error.kind.name
    if kind in ("oneOf", "anyOf"):
        return bool(_branch_types(error.kind.as_dict().get("context", [])))
    return kind in _BLOCKING_KINDS


def describe(error: Any) -> list[tuple[str, str, str]]:
    """``(rule, path, message)`` for one jsonschema-rs error (an unknown-fields error names each field)."""
    path = list(error.instance_path)
    kind = error.kind.name
    details = error.kind.as_dict()
    instance = error.instance
    if kind == "additionalProperties":
        return [
            ("unknown-field", render_path([*path, name]), f'unknown field "{render_path([*path, name])}"')
            for name in details.get("unexpected", [])
        ]
    if kind == "required":
        return [("schema", render_path([*path, details["property"]]), "Required value")]
    if kind in ("oneOf", "anyOf") and _branch_types(details.get("context", [])) is None:
        return [("schema", render_path(path), _alternatives(path, details.get("context", []), instance))]
    return [("schema", render_path(path), _message(kind, details, instance, error.message))]


def _alternatives(path: list[Any], context: list[list[Any]], instance: Any) -> str:
    """Why each ``oneOf``/``anyOf`` branch refused the value, paths relative to it."""
    reasons = []
    for branch in context:
        parts = []
        for error in branch:
            repeated = f"Invalid value: {value_text(error.instance)}: "
            for _, where, message in describe(error):
                relative = where[len(render_path(path)) :].lstrip(".")
                reason = message.removeprefix(repeated)
                parts.append(f"{relative}: {reason}" if relative else reason)
        reasons.append("; ".join(parts) or "no match")
    text = " | ".join(f"({reason})" for reason in reasons)
    return f"Invalid value: {value_text(instance)}: matches none of the allowed forms: {text}"


def _message(kind: str, details: dict[str, Any], instance: Any, fallback: str) -> str:
    shown = value_text(instance)
    if kind == "type":
        return (
            f"Invalid value: {shown}: must be of type {_types(details['types'])}, not {_json_type(instance)}"
        )
    if kind == "enum":
        options = ", ".join(value_text(option) for option in details["options"] if option is not None)
        return f"Unsupported value: {shown}: supported values: {options}"
    if kind in ("oneOf", "anyOf") and (allowed := _branch_types(details.get("context", []))):
        return f"Invalid value: {shown}: must be of type {_types(allowed)}, not {_json_type(instance)}"
    messages = {
        "pattern": lambda: f"Invalid value: {shown}: should match '{details['pattern']}'",
        "format": lambda: f"Invalid value: {shown}: must be of format {details['format']}",
        "maxLength": lambda: f"Too long: may not be more than {details['limit']} characters",
        "minLength": lambda: f"Invalid value: {shown}: should be at least {details['limit']} characters long",
        "maxItems": lambda: f"Too many: {len(instance)}: must have at most {details['limit']} items",
        "minItems": lambda: (
            f"Invalid value: {len(instance)} items: should have at least {details['limit']} items"
        ),
        "maxProperties": lambda: (
            f"Too many: {len(instance)}: must have at most {details['limit']} properties"
        ),
        "minProperties": lambda: f"Invalid value: should have at least {details['limit']} properties",
        "minimum": lambda: f"Invalid value: {shown}: should be greater than or equal to {details['limit']}",
        "maximum": lambda: f"Invalid value: {shown}: should be less than or equal to {details['limit']}",
        "exclusiveMinimum": lambda: f"Invalid value: {shown}: should be greater than {details['limit']}",
        "exclusiveMaximum": lambda: f"Invalid value: {shown}: should be less than {details['limit']}",
        "multipleOf": lambda: f"Invalid value: {shown}: should be a multiple of {details['multiple_of']}",
        "uniqueItems": lambda: f"Invalid value: {shown}: items must be unique",
        "not": lambda: f"Invalid value: {shown}: must not match {value_text(details['schema'])}",
    }
    make = messages.get(kind)
    if make is not None:
        return make()
    return fallback if len(fallback) <= _MAX_MESSAGE else fallback[: _MAX_MESSAGE - 3] + "..."
