"""Profile YAML read at C speed, with the line of every key and list item.

libyaml (PyYAML's C parser) composes the document; its nodes carry the marks ruamel's round-trip parser
records, so positions cost nothing extra. Plain scalars resolve and construct exactly as ruamel's
round-trip loader does (YAML 1.2: ``yes`` is a string, ``1.30`` a float), with ruamel's own resolver
and constructor, once per distinct text. What the two parsers could read differently is left to
ruamel: anchors, aliases, tags, directives, merge keys, keys that are not strings, duplicate keys,
characters ruamel does not accept, and every document libyaml refuses (so a syntax error is reported
in ruamel's words, at ruamel's line).
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml.reader import Reader

STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_NON_STR = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null", "timestamp"))


@dataclass(frozen=True)
class MapLines:
    """Lines of a mapping: its own (1-based) and, per key, the key's line and the value's lines."""

    line: int
    keys: Mapping[str, tuple[int, Lines]]


@dataclass(frozen=True)
class SeqLines:
    """Lines of a list: its own and, per item, the item's line and the item's lines."""

    line: int
    items: Sequence[tuple[int, Lines]]


Lines = MapLines | SeqLines | None
"""Where a parsed value's parts are; None for a scalar."""


def read_fast(text: str) -> tuple[Any, Lines] | None:
    """The document in ``text`` and its lines, as ruamel's round-trip loader reads it; None where only
    ruamel can say (see the module docstring): then read it with ruamel."""
    if _ONLY_RUAMEL.search(text) or Reader.NON_PRINTABLE.search(text):
        return None
    collecting = gc.isenabled()
    gc.disable()  # nothing read here is garbage: collections while it grows only cost time
    try:
        parser = _Composer(text)
        try:
            node = parser.get_single_node()
        finally:
            parser.dispose()
        return _construct(node) if node is not None else (None, None)
    except (_RuamelDecides, yaml.YAMLError, UnicodeError, RecursionError):
        return None
    finally:
        if collecting:
            gc.enable()


def lines_of(data: Any) -> Lines:
    """The lines ruamel's round-trip loader recorded on ``data`` (its CommentedMap and CommentedSeq)."""
    position = getattr(data, "lc", None)
    if position is None or position.line is None:
        return None
    if isinstance(data, Mapping):
        keys = {key: (position.key(key)[0] + 1, lines_of(data[key])) for key in data if key in position.data}
        return MapLines(position.line + 1, keys)
    if isinstance(data, list):
        items = [(position.item(index)[0] + 1, lines_of(item)) for index, item in enumerate(data)]
        return SeqLines(position.line + 1, items)
    return None


# An anchor, alias or tag starts a node (after a line start, a space, a flow indicator or "- "); a "%"
# directive starts a line; "<<" is a merge key and "=" the value key. Any of them anywhere (also inside a
# string, where it means nothing) leaves the file to ruamel.
_ONLY_RUAMEL = re.compile(r"(?:^|[\s\[{,])[&*!]|^%|<<|(?:^|[\s\[{,])=\s*:", re.MULTILINE)


class _RuamelDecides(Exception):
    """The document holds something this reader leaves to ruamel."""


class _Composer(yaml.cyaml.CParser):
    """libyaml's composer, resolving plain scalars as ruamel does (a tag per distinct text, cached)."""

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass  # no path resolvers

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _plain_tag(value) if implicit[0] else STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


@functools.cache
def _ruamel() -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="rt")


@functools.lru_cache(maxsize=4096)
def _plain_tag(value: str) -> str:
    from ruamel.yaml.nodes import ScalarNode

    return str(_ruamel().resolver.resolve(ScalarNode, value, (True, False)))


@functools.lru_cache(maxsize=4096)
def _scalar(tag: str, value: str) -> Any:
    """What ruamel's round-trip constructor makes of a plain scalar it resolves to ``tag`` (an int, a
    ScalarFloat, a date, …): the same object type and value."""
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.tag import Tag

    return _ruamel().constructor.construct_object(ScalarNode(Tag(suffix=tag), value), deep=True)


def _construct(node: yaml.Node) -> tuple[Any, Lines]:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP:
            raise _RuamelDecides
        mapping: dict[str, Any] = {}
        keys: dict[str, tuple[int, Lines]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR or key_node.value in mapping:
                raise _RuamelDecides  # a key that is not a string, or a key given twice
            mapping[key_node.value], lines = _construct(value_node)
            keys[key_node.value] = (key_node.start_mark.line + 1, lines)
        return mapping, MapLines(line, keys)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise _RuamelDecides
        values, items = [], []
        for item in node.value:
            value, lines = _construct(item)
            values.append(value)
            items.append((item.start_mark.line + 1, lines))
        return values, SeqLines(line, items)
    if node.tag == STR:
        return node.value, None
    if node.tag in _NON_STR:
        return _scalar(node.tag, node.value), None
    raise _RuamelDecides
