"""The tree's record of itself: the files eksnet wrote there and the releases they were generated for.

``.eksnet-manifest.json`` sits at the top of ``out/<cluster>/``. The next run removes only files this
record lists that the profile no longer produces, and leaves every other file alone (reported as not
managed). The releases let ``eksnet validate out/<cluster>`` judge the tree by the pins gen used.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = ".eksnet-manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class TreeRecord:
    """What a tree's manifest says: owned files with their digests, releases, vendored CRD files."""

    files: frozenset[str] = frozenset()
    releases: Mapping[str, Any] = field(default_factory=dict)
    vendored_crds: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Vendored CRD file -> the release it holds (product, version, channel) and its digest."""

    def unmodified(self, path: str, data: bytes) -> bool:
        """True when ``data`` is the vendored CRD file eksnet wrote to ``path``."""
        entry = self.vendored_crds.get(path)
        return entry is not None and entry.get("digest") == digest(data)


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def render_record(cluster: str, owned: Mapping[str, bytes], facts: Mapping[str, Any] | None = None) -> bytes:
    """The manifest for a tree whose eksnet-written files are ``owned`` (the manifest itself excluded)."""
    facts = facts or {}
    vendored = {
        path: {**release, "digest": digest(owned[path])}
        for path, release in facts.get("vendoredCrds", {}).items()
        if path in owned
    }
    data = {
        "format": FORMAT,
        "generator": "eksnet",
        "cluster": cluster,
        "releases": dict(facts.get("releases", {})),
        "vendoredCrds": vendored,
        "files": sorted(path for path in owned if path != MANIFEST),
    }
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


def read_record(data: bytes | None) -> TreeRecord | None:
    """The record in a manifest's bytes; None when absent or not one eksnet wrote (then nothing is owned)."""
    if data is None:
        return None
    try:
        parsed = json.loads(data)
    except ValueError:
        return None
    if not isinstance(parsed, dict) or parsed.get("generator") != "eksnet":
        return None
    files = parsed.get("files")
    releases = parsed.get("releases")
    vendored = parsed.get("vendoredCrds")
    return TreeRecord(
        frozenset(str(path) for path in files) if isinstance(files, list) else frozenset(),
        releases if isinstance(releases, dict) else {},
        {str(k): v for k, v in vendored.items() if isinstance(v, dict)} if isinstance(vendored, dict) else {},
    )


ReleaseKey = tuple[str, str, str | None]
"""(product, version, channel) of a release whose CRDs a tree vendors."""


def tree_record(cluster_dir: Path) -> TreeRecord | None:
    """The manifest of the tree at ``cluster_dir``; None when there is none eksnet wrote."""
    return read_record(_read_bytes(cluster_dir / MANIFEST))


def vendored_crds_in(cluster_dir: Path) -> dict[ReleaseKey, list[dict[str, Any]]]:
    """The CRDs the tree at ``cluster_dir`` vendors, by release: only files its manifest records and
    that are still as eksnet wrote them (a hand-edited copy is not the release's)."""
    import yaml

    record = tree_record(cluster_dir)
    found: dict[ReleaseKey, list[dict[str, Any]]] = {}
    for path, release in (record.vendored_crds if record is not None else {}).items():
        data = _read_bytes(cluster_dir / path)
        if data is None or not record.unmodified(path, data):  # type: ignore[union-attr]
            continue
        key = (str(release.get("product")), str(release.get("version")), release.get("channel"))
        found[key] = [doc for doc in yaml.load_all(data, Loader=yaml.CSafeLoader) if isinstance(doc, dict)]
    return found


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
