"""A CRD's structural ``openAPIV3Schema`` as JSON Schema (draft 2020-12), with the API server's meaning.

- ``nullable: true`` adds ``null`` to the type (and the enum);
- ``x-kubernetes-int-or-string`` is an integer or a string; ``x-kubernetes-preserve-unknown-fields`` keeps
  unknown fields; ``x-kubernetes-embedded-resource`` is an object with apiVersion, kind and metadata;
- every other object is closed (``additionalProperties: false``): the API server prunes unknown fields,
  and strict field validation reports them. Inside ``allOf``/``anyOf``/``oneOf``/``not`` nothing is added,
  since those branches only constrain values;
- formats the API server does not check (``int32``, ``int64``, ...) are dropped;
- OpenAPI 3.0 boolean ``exclusiveMinimum``/``exclusiveMaximum`` become numbers;
- ``x-kubernetes-list-type: set`` becomes ``uniqueItems`` when ``list_sets`` is asked for (the validator
  checks sets and maps itself, with the API server's messages).

Defaults, list-map keys and ``x-kubernetes-validations`` are not JSON Schema: ``structural.py`` applies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Formats the API server validates (apiextensions-apiserver validation/formats.go), after its
# normalisation that drops dashes; "datetime" is spelled the JSON Schema way.
CHECKED_FORMATS = frozenset(
    {
        "bsonobjectid",
        "uri",
        "email",
        "hostname",
        "ipv4",
        "ipv6",
        "cidr",
        "mac",
        "uuid",
        "uuid3",
        "uuid4",
        "uuid5",
        "isbn",
        "isbn10",
        "isbn13",
        "creditcard",
        "ssn",
        "hexcolor",
        "rgbcolor",
        "byte",
        "password",
        "date",
        "duration",
        "date-time",
    }
)

_COPIED = (
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "required",
    "default",
)
_BRANCHES = ("allOf", "anyOf", "oneOf")


def canonical_format(name: str) -> str | None:
    """The format name the API server checks, or None when it ignores this format."""
    normalised = name.replace("-", "")
    if normalised == "datetime":
        return "date-time"
    return normalised if normalised in CHECKED_FORMATS else None


def crd_schema_to_json_schema(
    schema: Mapping[str, Any],
    *,
    metadata: Mapping[str, Any] | None = None,
    list_sets: bool = False,
) -> dict[str, Any]:
    """The whole-object schema of one CRD version.

    ``metadata`` is the ObjectMeta schema to check ``metadata`` against (its ``$defs`` are lifted to the
    root); the CRD's own ``metadata`` node (which may only restrict name and generateName) is kept beside it.
    """
    converter = _Converter(list_sets=list_sets)
    root = converter.node(schema, branch=False, embedded_root=True)
    root.setdefault("type", "object")
    properties = root.setdefault("properties", {})
    properties.setdefault("apiVersion", {"type": "string"})
    properties.setdefault("kind", {"type": "string"})
    own_meta = _without_closing(properties.get("metadata", {}))
    if metadata is not None:
        meta = dict(metadata)
        defs = meta.pop("$defs", {})
        meta.pop("$schema", None)
        properties["metadata"] = {"allOf": [meta, own_meta]} if own_meta else meta
        root.setdefault("$defs", {}).update(defs)
    else:
        properties["metadata"] = own_meta or {"type": "object"}
    root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return root


def openapi_to_json_schema(schema: Mapping[str, Any], *, list_sets: bool = False) -> dict[str, Any]:
    """One structural schema node (and everything below it) as JSON Schema."""
    return _Converter(list_sets=list_sets).node(schema, branch=False)


def _without_closing(node: Mapping[str, Any]) -> dict[str, Any]:
    """The CRD's ``metadata`` node minus what the converter added: ObjectMeta decides which fields exist."""
    meta = {key: value for key, value in node.items() if key != "additionalProperties"}
    return {} if meta in ({}, {"type": "object"}) else meta


class _Converter:
    def __init__(self, *, list_sets: bool) -> None:
        self.list_sets = list_sets

    def node(self, node: Mapping[str, Any], *, branch: bool, embedded_root: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in _COPIED:
            if key in node:
                out[key] = node[key]
        self._type(node, out)
        self._bounds(node, out)
        fmt = node.get("format")
        if isinstance(fmt, str) and (checked := canonical_format(fmt)):
            out["format"] = checked
        if isinstance(node.get("properties"), Mapping):
            out["properties"] = {
                name: self.node(child, branch=branch) for name, child in node["properties"].items()
            }
        additional = node.get("additionalProperties")
        if isinstance(additional, Mapping):
            out["additionalProperties"] = self.node(additional, branch=branch)
        items = node.get("items")
        if isinstance(items, Mapping):
            out["items"] = self.node(items, branch=branch)
        if self.list_sets and node.get("x-kubernetes-list-type") == "set":
            out["uniqueItems"] = True
        for key in _BRANCHES:
            if (
                key == "anyOf"
                and node.get("x-kubernetes-int-or-string")
                and _only_int_or_string(node.get(key))
            ):
                continue  # the type above already says it
            if isinstance(node.get(key), list):
                out[key] = [self.node(child, branch=True) for child in node[key]]
        if isinstance(node.get("not"), Mapping):
            out["not"] = self.node(node["not"], branch=True)
        if node.get("x-kubernetes-embedded-resource") and not embedded_root:
            self._embedded(out)
        if not branch and _closed(node):
            out["additionalProperties"] = False
        return out

    @staticmethod
    def _type(node: Mapping[str, Any], out: dict[str, Any]) -> None:
        nullable = bool(node.get("nullable"))
        kind = node.get("type")
        types: list[str] = []
        if isinstance(kind, str) and kind:
            types = [kind]
        elif node.get("x-kubernetes-int-or-string"):
            types = ["integer", "string"]
        if types and nullable:
            types.append("null")
        if types:
            out["type"] = types[0] if len(types) == 1 else types
        if nullable and "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]

    @staticmethod
    def _bounds(node: Mapping[str, Any], out: dict[str, Any]) -> None:
        # OpenAPI 3.0 spells exclusive bounds as booleans next to minimum/maximum.
        for flag, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            value = node.get(flag)
            if value is True and bound in out:
                out[flag] = out.pop(bound)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                out[flag] = value

    @staticmethod
    def _embedded(out: dict[str, Any]) -> None:
        properties = out.setdefault("properties", {})
        properties.setdefault("apiVersion", {"type": "string"})
        properties.setdefault("kind", {"type": "string"})
        properties.setdefault("metadata", {"type": "object"})
        required = list(out.get("required", []))
        out["required"] = required + [name for name in ("apiVersion", "kind") if name not in required]


_INT_OR_STRING_BRANCHES = (
    [{"type": "integer"}, {"type": "string"}],
    [{"type": "string"}, {"type": "integer"}],
)


def _only_int_or_string(branches: Any) -> bool:
    return branches in _INT_OR_STRING_BRANCHES


def _closed(node: Mapping[str, Any]) -> bool:
    """Whether the API server prunes fields of this object that its schema does not name."""
    if node.get("type") != "object" or node.get("x-kubernetes-preserve-unknown-fields"):
        return False
    return "additionalProperties" not in node
