"""CustomResourceDefinitions from files, directories or https URLs (downloaded once, then cached).

A URL such as a Gateway API release's ``standard-install.yaml`` is fetched with urllib into
``platformdirs.user_cache_dir("eksnet")/crds/<sha256(url)>.yaml``; a cached copy is used as is, so a
second run needs no network. Only CRD documents are taken from a source; the rest are ignored.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eksnet_manifests.check.documents import Document, load_documents
from eksnet_manifests.errors import CheckError, Location

CRD_KIND = "CustomResourceDefinition"
CRD_API_VERSIONS = ("apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1")
URL_SCHEMES = ("https://", "http://")
DOWNLOAD_TIMEOUT_S = 60


@dataclass(frozen=True)
class CrdVersion:
    """One version of one CRD: what a custom resource of ``group/version``, ``kind`` is checked against."""

    group: str
    kind: str
    version: str
    name: str  # the CRD's metadata.name, e.g. gateways.gateway.networking.k8s.io
    served: bool
    schema: Mapping[str, Any] | None
    status_subresource: bool = False
    deprecation: str | None = None  # the warning the API server gives, when the version is deprecated
    source: str = ""

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"


def is_crd(obj: Mapping[str, Any]) -> bool:
    return obj.get("kind") == CRD_KIND and obj.get("apiVersion") in CRD_API_VERSIONS


def crd_cache_path(url: str) -> Path:
    """Where the download of ``url`` is kept."""
    import platformdirs

    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
    return Path(platformdirs.user_cache_dir("eksnet")) / "crds" / f"{digest}.yaml"


def fetch_cached(url: str) -> str:
    """The text at ``url``, from the cache when present, otherwise downloaded and cached."""
    path = crd_cache_path(url)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    text = download_text(url, DOWNLOAD_TIMEOUT_S)
    write_atomically(path, text)
    return text


def download_text(url: str, timeout: float) -> str:
    """The UTF-8 text at ``url``; a CheckError naming the URL when it cannot be had within ``timeout``."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            text: str = response.read().decode("utf-8")
    except (urllib.error.URLError, TimeoutError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise CheckError(f"cannot download CRDs: {exc}", Location(url)) from None
    return text


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


def load_crd_documents(sources: Sequence[str]) -> list[Document]:
    """CRD documents from every source; a source that holds none is a CheckError (probably a wrong path)."""
    from eksnet_manifests.check.schema.parsed_cache import parse_cached

    found: list[Document] = []
    for source in sources:
        if source.startswith(URL_SCHEMES):
            documents = parse_cached(fetch_cached(source), source)
        else:
            documents = load_documents([source], parse=parse_cached)
        crds = [doc for doc in documents if is_crd(doc.obj)]
        if not crds:
            raise CheckError("no CustomResourceDefinition found", Location(source))
        found.extend(crds)
    return found


def crd_versions(crd: Mapping[str, Any], source: str = "") -> list[CrdVersion]:
    """Every version a CRD declares (apiextensions v1, or v1beta1 with its top-level schema)."""
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    group, kind = str(spec.get("group") or ""), str(names.get("kind") or "")
    name = str((crd.get("metadata") or {}).get("name") or f"{names.get('plural', kind.lower())}.{group}")
    shared_schema = (spec.get("validation") or {}).get("openAPIV3Schema")
    shared_status = "status" in (spec.get("subresources") or {})
    entries = spec.get("versions") or (
        [{"name": spec["version"], "served": True}] if spec.get("version") else []
    )
    versions = []
    for entry in entries:
        schema = (entry.get("schema") or {}).get("openAPIV3Schema", shared_schema)
        deprecation = None
        if entry.get("deprecated"):
            deprecation = entry.get("deprecationWarning") or f"{group}/{entry['name']} {kind} is deprecated"
        versions.append(
            CrdVersion(
                group=group,
                kind=kind,
                version=str(entry.get("name")),
                name=name,
                served=bool(entry.get("served", True)),
                schema=schema,
                status_subresource=shared_status or "status" in (entry.get("subresources") or {}),
                deprecation=deprecation,
                source=source,
            )
        )
    return versions


def index_crds(crds: Iterable[tuple[Mapping[str, Any], str]]) -> dict[tuple[str, str], dict[str, CrdVersion]]:
    """``(group, kind) -> version -> CrdVersion``; a later CRD for a group and kind replaces an earlier."""
    index: dict[tuple[str, str], dict[str, CrdVersion]] = {}
    for crd, source in crds:
        versions = crd_versions(crd, source)
        if versions:
            index[versions[0].group, versions[0].kind] = {v.version: v for v in versions}
    return index
