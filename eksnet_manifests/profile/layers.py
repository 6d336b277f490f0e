"""Profiles made of several files: a base profile and environment overlays (``extends``), and the app
files teams own (``includes``), merged into one document before it is validated.

The rule, one for every key: a later file wins. Files are read base first; an overlay comes after the
profile it extends, and a profile's included app files right after the profile itself. Mappings merge
key by key, any other value (a list, a string, a number) is replaced whole, and ``apps`` entries merge
by ``name``: an entry naming an app defined earlier changes only the keys it gives. Every field of the
merged document still knows the file and line it came from, so errors point at the file that set it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from eksnet_manifests.errors import Location

INCLUDES = "includes"
EXTENDS = "extends"
APPS = "apps"

FieldPath = Sequence[str | int]


class Source(Protocol):
    file: str
    root: Any

    def locate(self, path: FieldPath) -> Location: ...

    def depth(self, path: FieldPath) -> int: ...

    def round_trip(self) -> Any: ...


@dataclass(frozen=True)
class Layer:
    """One profile file and the app files it includes, in the order they are read."""

    source: Source
    included: tuple[Source, ...] = ()

    def apps(self) -> list[tuple[Any, Source, int]]:
        """Every app entry this layer defines: (entry, file, index in that file's ``apps``)."""
        return [
            (entry, source, index)
            for source in (self.source, *self.included)
            for index, entry in enumerate(_apps_of(source.root))
        ]


@dataclass(frozen=True)
class LayeredSource:
    """Positions across the files of a layered profile; behaves like one file's source map."""

    layers: tuple[Source, ...]
    """Every file, in the order read (the profile given last among profiles)."""
    app_origins: tuple[tuple[tuple[Source, int], ...], ...] = field(default=())
    """Per merged app: the (file, index) entries that made it, earliest first."""
    top: Source | None = None
    document: Mapping[str, Any] = field(default_factory=dict)
    """The merged document that was validated."""

    @property
    def file(self) -> str:
        return self._top.file

    @property
    def root(self) -> Any:
        """The document of the profile file given (what ``gen app --save`` edits)."""
        return self._top.root

    def round_trip(self) -> Any:
        """The profile file given, as ruamel's round-trip loader reads it (what ``gen app --save`` edits)."""
        return self._top.round_trip()

    @property
    def _top(self) -> Source:
        return self.top or self.layers[-1]

    def locate(self, path: FieldPath) -> Location:
        """The line that set the field: of all files defining it, the one that goes deepest into the
        path, the latest of equals (the one whose value wins)."""
        candidates: list[tuple[Source, tuple[str | int, ...]]] = []
        parts = tuple(path)
        if (
            len(parts) >= 2
            and parts[0] == APPS
            and isinstance(parts[1], int)
            and parts[1] < len(self.app_origins)
        ):
            candidates = [(source, (APPS, index, *parts[2:])) for source, index in self.app_origins[parts[1]]]
        if not candidates:
            candidates = [(source, parts) for source in self.layers]
        best = max(reversed(candidates), key=lambda candidate: candidate[0].depth(candidate[1]))
        return best[0].locate(best[1])

    def app_file(self, index: int) -> str | None:
        """The file that first defined merged app ``index``."""
        return self.app_origins[index][0][0].file if index < len(self.app_origins) else None


def merge_layers(layers: Sequence[Layer]) -> tuple[dict[str, Any], LayeredSource]:
    """The merged document of ``layers`` (base first) and where each of its fields comes from."""
    merged: dict[str, Any] = {}
    apps: list[Any] = []
    origins: list[list[tuple[Source, int]]] = []
    by_name: dict[str, int] = {}
    for layer in layers:
        # includes and extends are resolved here: the merged document stands alone
        document = {
            key: value
            for key, value in _mapping(layer.source.root).items()
            if key not in (APPS, INCLUDES, EXTENDS)
        }
        merged = merge_values(merged, document)
        defined_here: set[str] = set()
        for entry, source, index in layer.apps():
            name = entry.get("name") if isinstance(entry, Mapping) else None
            earlier = by_name.get(name) if isinstance(name, str) and name not in defined_here else None
            if earlier is not None:
                apps[earlier] = merge_values(apps[earlier], entry)
                origins[earlier].append((source, index))
            else:
                if isinstance(name, str):
                    by_name.setdefault(name, len(apps))
                apps.append(entry)
                origins.append([(source, index)])
            if isinstance(name, str):
                defined_here.add(name)
    if apps or any(APPS in _mapping(layer.source.root) for layer in layers):
        merged[APPS] = apps
    files = tuple(source for layer in layers for source in (layer.source, *layer.included))
    top = layers[-1].source
    return merged, LayeredSource(files, tuple(tuple(entry) for entry in origins), top, merged)


def merge_values(base: Any, top: Any) -> Any:
    """``top`` over ``base``: mappings key by key, everything else replaced."""
    if isinstance(base, Mapping) and isinstance(top, Mapping):
        result = dict(base)
        for key, value in top.items():
            result[key] = merge_values(result[key], value) if key in result else value
        return result
    return top


def _mapping(document: Any) -> Mapping[str, Any]:
    return document if isinstance(document, Mapping) else {}


def _apps_of(document: Any) -> list[Any]:
    apps = _mapping(document).get(APPS)
    return list(apps) if isinstance(apps, list) else []


def plain(value: Any) -> Any:
    """``value`` as plain dicts and lists (ruamel's commented types dropped), for printing."""
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value
