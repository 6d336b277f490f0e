"""Lines of fields inside YAML documents, found only when a finding needs one.

A finding's path (``spec.listeners[0].tls``, ``metadata.annotations["a/b"]``) is walked through the
composed node tree of its document; the file is composed once, on the first such request.
"""

from __future__ import annotations

import re
from functools import cached_property

import yaml

_TOKEN = re.compile(r'\["((?:[^"\\]|\\.)*)"\]|\[([^\]]*)\]|([^.\[\]]+)')


def path_parts(path: str) -> list[str | int]:
    """``spec.rules[0].host`` -> ["spec", "rules", 0, "host"]; ``a["b.c"]`` and ``a[b.c]`` -> ["a", "b.c"]."""
    parts: list[str | int] = []
    for quoted, bracketed, plain in _TOKEN.findall(path):
        if plain:
            parts.append(plain)
        elif bracketed and bracketed.isdigit():
            parts.append(int(bracketed))
        else:
            parts.append(quoted.replace('\\"', '"') if quoted else bracketed)
    return parts


class SourceText:
    """The text of one YAML stream, and the node trees of its documents by start line."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _roots(self) -> dict[int, yaml.Node]:
        try:
            nodes = list(yaml.compose_all(self.text, Loader=yaml.CSafeLoader))
        except yaml.YAMLError:
            return {}
        return {node.start_mark.line + 1: node for node in nodes if node is not None}

    def field_line(self, document_line: int | None, path: str) -> int | None:
        """1-based line of ``path`` in the document starting at ``document_line`` (the deepest part found)."""
        node = self._roots.get(document_line) if document_line is not None else None
        if node is None or not path:
            return None
        line = None
        for part in path_parts(path):
            found = _child(node, part)
            if found is None:
                break
            line, node = found
        return line


def _child(node: yaml.Node, part: str | int) -> tuple[int, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in reversed(node.value):  # a repeated key: the API server keeps the last
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key.start_mark.line + 1, value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item = node.value[part]
        return item.start_mark.line + 1, item
    return None
