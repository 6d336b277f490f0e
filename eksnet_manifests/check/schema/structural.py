"""What the API server does to a custom resource around JSON Schema validation, on a compiled schema tree.

One walk over the object, guided by its CRD version's structural schema:
1. nulls in non-nullable fields are dropped, unless the field has a default (then the default is used);
2. ``default`` values are applied where fields are missing (defaults of defaults too), as at decoding;
3. ``x-kubernetes-list-type: set`` and ``map`` lists are checked for duplicate items / keys;
4. every node carrying ``x-kubernetes-validations`` is recorded with its (defaulted) value and path,
   for the CEL stage.

The input is never mutated: changed containers are copied on the way up.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MISSING: Any = object()
Path = tuple[str | int, ...]

# Property names CEL cannot spell are escaped the way apiserver/pkg/cel/escaping.go does.
_CEL_RESERVED = frozenset(
    {
        *("true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function"),
        *("if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"),
    }
)
TIME_FORMATS = frozenset({"date-time", "datetime", "date", "duration"})
_PY_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


@dataclass(frozen=True)
class Rule:
    """One ``x-kubernetes-validations`` entry."""

    rule: str
    message: str | None = None
    message_expression: str | None = None
    field_path: str | None = None
    reason: str | None = None
    optional_old_self: bool = False

    @property
    def is_transition(self) -> bool:
        """Rules that compare with ``oldSelf`` only run on update (a manifest is a create), unless
        ``optionalOldSelf`` asks to run them on create too, with ``oldSelf`` an empty optional."""
        return "oldSelf" in self.rule and not self.optional_old_self

    @property
    def source(self) -> str:
        """The expression to compile."""
        if self.optional_old_self:
            return f"cel.bind(oldSelf, optional.none(), (\n{self.rule}\n))"
        return self.rule


@dataclass(eq=False)
class Node:
    """A compiled structural schema node. Identity matters: CEL programs are cached per node."""

    type: str | None = None
    nullable: bool = False
    format: str | None = None
    default: Any = MISSING
    properties: dict[str, Node] = field(default_factory=dict)
    additional: Node | None = None
    items: Node | None = None
    list_type: str | None = None
    map_keys: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    cel_names: dict[str, str] = field(default_factory=dict)
    defaulted: tuple[tuple[str, Node], ...] = ()
    walk: bool = False  # something below (or here) needs the walk
    cel_convert: bool = False  # the value must be reshaped before CEL sees it
    time_strings: bool = False  # date, date-time or duration strings below, which CEL would type

    def accepts(self, value: Any) -> bool:
        if self.type is None:
            return True
        types = _PY_TYPES.get(self.type, ())
        return isinstance(value, types) and not (
            self.type in ("integer", "number") and isinstance(value, bool)
        )


def cel_escape(name: str) -> str:
    if name in _CEL_RESERVED:
        return f"__{name}__"
    escaped = name.replace("__", "__underscores__")
    for char, word in ((".", "__dot__"), ("-", "__dash__"), ("/", "__slash__")):
        escaped = escaped.replace(char, f"{word}")
    return escaped


def compile_node(schema: Mapping[str, Any]) -> Node:
    """Compile an ``openAPIV3Schema`` (structural: types and fields at the top, never inside branches)."""
    node = Node(
        type=schema.get("type") if isinstance(schema.get("type"), str) else None,
        nullable=bool(schema.get("nullable")),
        format=schema.get("format") if isinstance(schema.get("format"), str) else None,
        default=schema.get("default", MISSING),
        list_type=schema.get("x-kubernetes-list-type"),
        map_keys=tuple(schema.get("x-kubernetes-list-map-keys") or ()),
        rules=tuple(_rules(schema.get("x-kubernetes-validations") or ())),
    )
    if schema.get("x-kubernetes-int-or-string"):
        node.type = None
    for name, child in (schema.get("properties") or {}).items():
        node.properties[name] = compile_node(child)
    if isinstance(schema.get("additionalProperties"), Mapping):
        node.additional = compile_node(schema["additionalProperties"])
    if isinstance(schema.get("items"), Mapping):
        node.items = compile_node(schema["items"])
    _derive(node)
    return node


def _rules(entries: Any) -> list[Rule]:
    return [
        Rule(
            rule=entry["rule"],
            message=entry.get("message"),
            message_expression=entry.get("messageExpression"),
            field_path=entry.get("fieldPath"),
            reason=entry.get("reason"),
            optional_old_self=bool(entry.get("optionalOldSelf")),
        )
        for entry in entries
        if isinstance(entry, Mapping) and isinstance(entry.get("rule"), str)
    ]


def _derive(node: Node) -> None:
    children = [*node.properties.values(), *(c for c in (node.additional, node.items) if c is not None)]
    node.defaulted = tuple((n, c) for n, c in node.properties.items() if c.default is not MISSING)
    node.cel_names = {n: e for n in node.properties if (e := cel_escape(n)) != n}
    node.walk = bool(
        node.rules
        or node.properties
        or node.list_type in ("set", "map")
        or any(c.walk or c.default is not MISSING for c in children)
    )
    node.cel_convert = bool(
        node.cel_names
        or node.type == "number"
        or node.format == "byte"
        or any(c.cel_convert for c in children)
    )
    node.time_strings = node.format in TIME_FORMATS or any(c.time_strings for c in children)


# While walking, a path is a chain of ``(parent, key)`` pairs, flattened only when something is recorded.
_Chain = tuple[Any, str | int] | None


def _flatten(chain: _Chain) -> Path:
    parts: list[str | int] = []
    while chain is not None:
        chain, key = chain
        parts.append(key)
    return tuple(reversed(parts))


@dataclass
class Checkpoint:
    node: Node
    value: Any
    path: Path


@dataclass
class Problem:
    path: Path
    message: str


@dataclass
class Prepared:
    """The object as the API server would validate it, and what the walk found."""

    value: Any
    problems: list[Problem] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)


def prepare(obj: Any, root: Node) -> Prepared:
    out = Prepared(obj)
    out.value = _walk(obj, root, None, out)
    return out


def _walk(value: Any, node: Node, chain: _Chain, out: Prepared) -> Any:
    kind = type(value)
    if kind is dict:
        if node.properties or node.additional is not None:
            value = _walk_object(value, node, chain, out)
    elif kind is list:
        if node.items is not None:
            value = _walk_list(value, node.items, chain, out)
        if node.list_type in ("set", "map"):
            _check_unique(value, node, chain, out)
    if node.rules and value is not None and node.accepts(value):
        out.checkpoints.append(Checkpoint(node, value, _flatten(chain)))
    return value


def _walk_object(value: dict[str, Any], node: Node, chain: _Chain, out: Prepared) -> dict[str, Any]:
    source = value
    for name, child in node.defaulted:
        current = value.get(name, MISSING)
        if current is MISSING or (current is None and not child.nullable):
            if source is value:
                source = dict(value)
            source[name] = child.default
    result = source  # becomes a copy as soon as anything below changes
    pruned = []
    properties, additional = node.properties, node.additional
    for name, item in source.items():
        child = properties.get(name) or additional
        if child is None:
            continue
        walked = item
        if item is None and not child.nullable:
            if child.default is MISSING:
                if name in properties:
                    pruned.append(name)
                continue
            walked = child.default
        if child.walk:
            walked = _walk(walked, child, (chain, name), out)
        if walked is not item:
            if result is value:
                result = dict(value)
            result[name] = walked
    if pruned:
        result = dict(result) if result is value else result
        for name in pruned:
            del result[name]
    return result


def _walk_list(value: list[Any], items: Node, chain: _Chain, out: Prepared) -> list[Any]:
    defaults_nulls = items.default is not MISSING and not items.nullable
    if not items.walk and not defaults_nulls:
        return value
    result = value
    for index, item in enumerate(value):
        walked = item
        if item is None and defaults_nulls:
            walked = items.default
        if items.walk:
            walked = _walk(walked, items, (chain, index), out)
        if walked is not item:
            if result is value:
                result = list(value)
            result[index] = walked
    return result


def _check_unique(value: list[Any], node: Node, chain: _Chain, out: Prepared) -> None:
    seen: set[str] = set()
    for index, item in enumerate(value):
        if node.list_type == "map":
            if not isinstance(item, dict):
                continue
            key: Any = {name: item.get(name) for name in node.map_keys}
        else:
            key = item
        text = json.dumps(key, sort_keys=True, separators=(",", ":"))
        if text in seen:
            out.problems.append(Problem((*_flatten(chain), index), f"Duplicate value: {text}"))
        seen.add(text)
