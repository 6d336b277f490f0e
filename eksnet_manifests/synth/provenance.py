"""Where each generated object and values file comes from in the profile, down to the field.

Builders declare, per kind, which profile field (relative to the app, or absolute) each generated field
comes from; ``build_bundle`` records a ``Source`` per object, so a finding about a generated field can be
shown at the profile line that produced it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

FieldPath = tuple[str | int, ...]
ObjectId = tuple[str, str, str]  # (kind, namespace or "", name)

_EMPTY: Mapping[str, FieldPath] = MappingProxyType({})


ANNOTATIONS = "metadata.annotations"
_ANNOTATION_KEY = re.compile(r'metadata\.annotations\["([^"]+)"\]')


def annotation(key: str) -> str:
    """The generated field path of an annotation, as findings spell it."""
    return f'metadata.annotations["{key}"]'


@dataclass(frozen=True)
class Source:
    """A generated object's (or values file's) origin: a profile path and, per generated field prefix,
    the profile field it comes from."""

    base: FieldPath
    fields: Mapping[str, FieldPath] = field(default_factory=lambda: _EMPTY)

    @classmethod
    def under(cls, base: FieldPath, relative: Mapping[str, FieldPath]) -> Source:
        """A source whose field paths are relative to ``base`` (an absolute one starts with ``/``)."""
        return cls(base, {path: _absolute(base, target) for path, target in relative.items()})

    def profile_path(self, generated: str) -> FieldPath:
        """The profile field behind the generated field path ``generated``: its longest declared prefix.

        A prefix may hold ``[*]`` for any list index; each ``*`` of its profile path takes the indexes
        matched, in order (``spec.rules[*]`` -> ``("expose", "rules", "*")``). An annotation that only
        the raw ``annotations`` map declares is that map's entry of the key.
        """
        best, indexes = "", ()
        for prefix in self.fields:
            if len(prefix) > len(best):
                matched = _covers(prefix, generated)
                if matched is not None:
                    best, indexes = prefix, matched
        if not best:
            return self.base
        key = _ANNOTATION_KEY.fullmatch(generated)
        if best == ANNOTATIONS and key is not None and self.fields[best][-1:] == ("annotations",):
            return (*self.fields[best], key.group(1))
        found = iter(indexes)
        return tuple(next(found) if part == "*" else part for part in self.fields[best])


def _absolute(base: FieldPath, target: FieldPath) -> FieldPath:
    if target and target[0] == "/":
        return target[1:]
    return (*base, *target)


def _covers(prefix: str, path: str) -> tuple[int, ...] | None:
    """The indexes ``[*]`` matched when ``prefix`` covers ``path`` (itself or a field below it), else None."""
    if "[*]" not in prefix:
        covered = path == prefix or (path.startswith(prefix) and path[len(prefix)] in ".[")
        return () if covered else None
    pattern = _PATTERNS.get(prefix)
    if pattern is None:
        pattern = _PATTERNS[prefix] = re.compile(
            re.escape(prefix).replace(r"\[\*\]", r"\[(\d+)\]") + r"(?=$|[.\[])"
        )
    match = pattern.match(path)
    return tuple(int(group) for group in match.groups()) if match else None


_PATTERNS: dict[str, re.Pattern[str]] = {}


@dataclass(frozen=True)
class Provenance:
    objects: Mapping[ObjectId, Source] = field(default_factory=dict)
    files: Mapping[str, Source] = field(default_factory=dict)
    """Per artifact path: the source of the file itself (values files) or of objects with none."""

    def source_of(
        self, path: str, kind: str | None, namespace: str | None, name: str | None
    ) -> Source | None:
        if kind and name:
            found = self.objects.get((kind, namespace or "", name))
            if found is not None:
                return found
        return self.files.get(path)


def object_id(obj: Mapping[str, Any]) -> ObjectId:
    metadata = obj.get("metadata") or {}
    return (str(obj.get("kind", "")), str(metadata.get("namespace") or ""), str(metadata.get("name", "")))
