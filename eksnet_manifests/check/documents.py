"""Manifests as ``Document(obj, origin)``: parsed objects that remember file, index and line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Origin:
    file: str
    index: int  # 0-based position among the file's documents
    line: int | None = None  # 1-based line where the document starts


@dataclass(frozen=True)
class Document:
    obj: Mapping[str, Any]
    origin: Origin

    @property
    def api_version(self) -> str:
        return str(self.obj.get("apiVersion") or "")

    @property
    def kind(self) -> str:
        return str(self.obj.get("kind") or "")

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def version(self) -> str:
        return self.api_version.rpartition("/")[2]

    @property
    def metadata(self) -> Mapping[str, Any]:
        meta = self.obj.get("metadata")
        return meta if isinstance(meta, Mapping) else {}

    @property
    def name(self) -> str | None:
        name = self.metadata.get("name")
        return str(name) if name is not None else None

    @property
    def namespace(self) -> str | None:
        ns = self.metadata.get("namespace")
        return str(ns) if ns is not None else None


def documents_from_objects(objects: Iterable[Mapping[str, Any]], file: str) -> list[Document]:
    """Wrap in-memory objects (e.g. what ``eksnet gen`` is about to write) as documents of ``file``."""
    return [Document(obj, Origin(file, index)) for index, obj in enumerate(objects)]
