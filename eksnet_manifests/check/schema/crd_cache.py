"""The CRDs of pinned releases, kept in a local cache: Gateway API per (release, channel), LBC per tag.

Layout under the cache root (``$EKSNET_CRD_CACHE``, else ``<user cache>/eksnet/pinned-crds``)::

    gateway-api/<version>/<channel>.json          the release's CRDs, one JSON list
    aws-load-balancer-controller/<version>.json   the controller's CRDs (elbv2.k8s.aws, gateway.k8s.aws)
    argo-cd/<version>.json, flux/<version>.json   the GitOps engine's CRDs (Application, Kustomization, …)

``fetch_crd_set`` downloads the release files (with a timeout), ``import_folder`` takes CRDs from local
files (air-gapped use), ``pinned_crds`` is what ``gen`` and ``validate`` use: the cached CRDs of the
pinned releases, downloading missing ones unless ``$EKSNET_OFFLINE`` is set.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eksnet_manifests.check.documents import Document, load_documents, parse_documents
from eksnet_manifests.check.pins import GATEWAY_API_GROUPS, LBC_GROUPS
from eksnet_manifests.check.schema.crds import download_text, is_crd, write_atomically
from eksnet_manifests.errors import CheckError, Location
from eksnet_manifests.versions import gateway_api, gitops, lbc
from eksnet_manifests.versions.pins import Pins
from eksnet_manifests.versions.release import UnknownRelease
from eksnet_manifests.versions.release_files import (
    ARGO_CD,
    FLUX,
    GATEWAY_API,
    LBC,
    PRODUCT_NAMES,
    CrdRelease,
)

CACHE_ENV = "EKSNET_CRD_CACHE"
OFFLINE_ENV = "EKSNET_OFFLINE"
FETCH_TIMEOUT_S = 20
VERSIONED_BY_FOLDER = (LBC, ARGO_CD)
"""Products whose CRDs name no release: the release comes from an option or a ``vX.Y.Z`` folder."""
_PRODUCT_GROUPS = {LBC: LBC_GROUPS, ARGO_CD: {gitops.ARGO_CD_GROUP}, FLUX: gitops.FLUX_GROUPS}
APP_VERSION_LABEL = "app.kubernetes.io/version"
BUNDLE_VERSION = "gateway.networking.k8s.io/bundle-version"
BUNDLE_CHANNEL = "gateway.networking.k8s.io/channel"
_VERSION_FOLDER = re.compile(r"^v\d+\.\d+\.\d+$")

Crd = Mapping[str, Any]
Downloader = Callable[[str, float], str]


@dataclass(frozen=True, order=True)
class CrdSet(CrdRelease):
    """The CRDs one release installs, as the cache keeps them."""

    @classmethod
    def gateway_api(cls, version: str, channel: str) -> CrdSet:
        return cls(GATEWAY_API, version, channel)

    @classmethod
    def lbc(cls, version: str) -> CrdSet:
        return cls(LBC, version)

    @property
    def relative_path(self) -> str:
        if self.product == GATEWAY_API:
            return f"{GATEWAY_API}/{self.version}/{self.channel}.json"
        return f"{self.product}/{self.version}.json"


class CrdCache:
    """CRD sets on disk under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def default(cls) -> CrdCache:
        configured = os.environ.get(CACHE_ENV)
        if configured:
            return cls(Path(configured))
        import platformdirs

        return cls(Path(platformdirs.user_cache_dir("eksnet")) / "pinned-crds")

    def path(self, crd_set: CrdSet) -> Path:
        return self.root / crd_set.relative_path

    def load(self, crd_set: CrdSet) -> list[Crd] | None:
        """The cached CRDs of ``crd_set``, sorted by name; None when not cached."""
        path = self.path(crd_set)
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise CheckError(
                f"unreadable CRD cache entry ({exc}); fetch or import it again", Location(str(path))
            ) from None
        if not isinstance(data, list) or not all(isinstance(crd, dict) and is_crd(crd) for crd in data):
            raise CheckError("not a list of CRDs; fetch or import it again", Location(str(path)))
        return data

    def store(self, crd_set: CrdSet, crds: Iterable[Crd]) -> Path:
        ordered = sorted(crds, key=lambda crd: str(crd.get("metadata", {}).get("name", "")))
        path = self.path(crd_set)
        write_atomically(path, json.dumps(ordered, sort_keys=True, separators=(",", ":")) + "\n")
        return path

    def entries(self) -> list[tuple[CrdSet, int]]:
        """Every cached set with its CRD count, sorted."""
        found = []
        for path in sorted(self.root.glob(f"{GATEWAY_API}/*/*.json")):
            found.append(CrdSet.gateway_api(path.parent.name, path.stem))
        for product in (LBC, ARGO_CD, FLUX):
            found += [CrdSet(product, path.stem) for path in sorted(self.root.glob(f"{product}/*.json"))]
        return [(crd_set, len(self.load(crd_set) or ())) for crd_set in sorted(found)]

    def gateway_api_crds(self, version: str, channel: str) -> list[Crd] | None:
        return self.load(CrdSet.gateway_api(version, channel))

    def lbc_crds(self, version: str) -> list[Crd] | None:
        return self.load(CrdSet.lbc(version))


def offline() -> bool:
    return os.environ.get(OFFLINE_ENV, "").lower() not in ("", "0", "false", "no")


def fetch_crd_set(
    crd_set: CrdSet, cache: CrdCache, download: Downloader = download_text, timeout: float = FETCH_TIMEOUT_S
) -> tuple[Path, int]:
    """Download ``crd_set``'s release files and cache their CRDs; the cache path and CRD count."""
    _check_known(crd_set)
    if offline():
        raise CheckError(f"{OFFLINE_ENV} is set: not downloading {crd_set.label}; use eksnet crds import DIR")
    crds: list[Crd] = []
    for url in crd_set.urls():
        crds += [doc.obj for doc in parse_documents(download(url, timeout), url) if is_crd(doc.obj)]
    if not crds:
        raise CheckError(f"no CustomResourceDefinition in the release files of {crd_set.label}")
    return cache.store(crd_set, crds), len(crds)


@dataclass(frozen=True)
class Imported:
    crd_set: CrdSet
    path: Path
    crds: int
    missing_kinds: tuple[str, ...]
    """Kinds the release installs that the folder lacked (Gateway API only)."""


def import_folder(
    folder: Path, cache: CrdCache, lbc_version: str | None = None, versions: Mapping[str, str] | None = None
) -> list[Imported]:
    """Cache the CRDs found under ``folder``, grouped by release.

    Gateway API CRDs name their release and channel in the ``gateway.networking.k8s.io/bundle-version``
    and ``/channel`` annotations. LBC and Argo CD CRDs carry no version: ``versions`` (by product;
    ``lbc_version`` for the LBC), else the nearest parent folder named like ``v3.5.0``, says which
    release they belong to. Flux CRDs take their release from the ``app.kubernetes.io/version`` label
    its install manifest sets, else ``versions["flux"]``. Other CRDs are left out.
    """
    versions = {**(versions or {}), **({LBC: lbc_version} if lbc_version else {})}
    if not folder.is_dir():
        raise CheckError("not a folder", Location(str(folder)))
    grouped: dict[CrdSet, dict[str, Crd]] = {}
    for doc in load_documents([folder]):
        crd_set = _crd_set_of(doc, folder, versions) if is_crd(doc.obj) else None
        if crd_set is not None:
            grouped.setdefault(crd_set, {})[str(doc.obj["metadata"]["name"])] = doc.obj
    if not grouped:
        raise CheckError(
            "no Gateway API, AWS Load Balancer Controller, Argo CD or Flux CRDs found", Location(str(folder))
        )
    imported = []
    for crd_set, crds in sorted(grouped.items()):
        _check_known(crd_set)
        imported.append(
            Imported(
                crd_set,
                cache.store(crd_set, crds.values()),
                len(crds),
                _missing_kinds(crd_set, crds.values()),
            )
        )
    return imported


def _crd_set_of(doc: Document, folder: Path, versions: Mapping[str, str]) -> CrdSet | None:
    spec = doc.obj.get("spec") or {}
    group = str(spec.get("group", ""))
    metadata = doc.obj.get("metadata") or {}
    if group in GATEWAY_API_GROUPS:
        annotations = metadata.get("annotations") or {}
        version, channel = annotations.get(BUNDLE_VERSION), annotations.get(BUNDLE_CHANNEL)
        if not version or channel not in gateway_api.CHANNELS:
            raise CheckError(
                f"Gateway API CRD {metadata.get('name')} lacks the {BUNDLE_VERSION} and {BUNDLE_CHANNEL} "
                "annotations, so its release is unknown",
                Location(doc.origin.file, doc.origin.line),
            )
        return CrdSet.gateway_api(str(version), str(channel))
    product = next((name for name, groups in _PRODUCT_GROUPS.items() if group in groups), None)
    if product is None:
        return None
    labelled = (metadata.get("labels") or {}).get(APP_VERSION_LABEL) if product == FLUX else None
    version = versions.get(product) or labelled
    if version is None and product in VERSIONED_BY_FOLDER:
        root = folder.resolve()
        between = Path(doc.origin.file).resolve().relative_to(root).parts[:-1]
        folders = (root.name, *between)
        version = next((part for part in reversed(folders) if _VERSION_FOLDER.match(part)), None)
    if version is None:
        option = {LBC: "--lbc-version", ARGO_CD: "--argocd-version", FLUX: "--flux-version"}[product]
        where = " (or keep the CRDs in a folder named after the tag, like v3.5.0)" if product != FLUX else ""
        raise CheckError(
            f"which {PRODUCT_NAMES[product]} release {metadata.get('name')} belongs to is unknown: "
            f"pass {option}{where}",
            Location(doc.origin.file, doc.origin.line),
        )
    return CrdSet(product, str(version))


def _missing_kinds(crd_set: CrdSet, crds: Iterable[Crd]) -> tuple[str, ...]:
    if crd_set.product != GATEWAY_API:
        return ()
    present = {str((crd.get("spec") or {}).get("names", {}).get("kind")) for crd in crds}
    return tuple(sorted(set(gateway_api.served_kinds(crd_set.version, str(crd_set.channel))) - present))


def _check_known(crd_set: CrdSet) -> None:
    known: Callable[[str], str] = {
        GATEWAY_API: gateway_api.table_release,
        LBC: lbc.table_release,
        ARGO_CD: gitops.argo_cd_release,
        FLUX: gitops.flux_release,
    }[crd_set.product]
    try:
        known(crd_set.version)
    except UnknownRelease as exc:
        raise CheckError(str(exc)) from None


def pinned_crds(
    pins: Pins,
    groups: Iterable[str] | None = None,
    cache: CrdCache | None = None,
    download: Downloader = download_text,
    vendored: Mapping[CrdSet, Sequence[Crd]] | None = None,
) -> tuple[list[tuple[Crd, str]], list[str]]:
    """The CRDs of the pinned releases (limited to ``groups``), each with its source, and a note for
    the sets neither cached nor downloadable. A set missing from the cache is taken from ``vendored``
    (the copy a generated tree holds), else downloaded unless ``$EKSNET_OFFLINE`` is set."""
    return pinned_crds_of(pinned_crd_sets(pins, groups), cache, download, vendored)


def pinned_crds_of(
    crd_sets: Iterable[CrdSet],
    cache: CrdCache | None = None,
    download: Downloader = download_text,
    vendored: Mapping[CrdSet, Sequence[Crd]] | None = None,
) -> tuple[list[tuple[Crd, str]], list[str]]:
    """``pinned_crds`` for explicit CRD sets."""
    cache = cache or CrdCache.default()
    found: list[tuple[Crd, str]] = []
    missing: list[str] = []
    reason = f"{OFFLINE_ENV} is set"
    for crd_set in crd_sets:
        crds, source = cache.load(crd_set), "CRD cache"
        if crds is None and vendored and crd_set in vendored:
            crds, source = list(vendored[crd_set]), "vendored in the tree"
        if crds is None:
            crds, why = load_or_fetch(crd_set, cache, download)
            reason = why or reason
        if crds is None:
            missing.append(crd_set.label)
            continue
        found += [(crd, f"{crd_set.label} ({source})") for crd in crds]
    notes = []
    if missing:
        notes.append(
            f"the CRDs of {' and '.join(missing)} are not in the CRD cache ({cache.root}) and could not "
            f"be downloaded ({reason}): run `eksnet crds fetch` (or `eksnet crds import DIR` offline) "
            "so their custom resources are schema-checked"
        )
    return found, notes


def load_or_fetch(
    crd_set: CrdSet, cache: CrdCache, download: Downloader = download_text
) -> tuple[list[Crd] | None, str | None]:
    """The cached CRDs of ``crd_set``, downloaded first when missing (unless offline); with None, why.
    A download that failed is not tried again by the same process (one run waits for a timeout once)."""
    crds = cache.load(crd_set)
    if crds is not None:
        return crds, None
    if offline():
        return None, f"{OFFLINE_ENV} is set"
    _MISSED.append(crd_set)
    if (crd_set, cache.root) in _FAILED_DOWNLOADS:
        return None, _FAILED_DOWNLOADS[crd_set, cache.root]
    try:
        fetch_crd_set(crd_set, cache, download)
    except CheckError as exc:
        _FAILED_DOWNLOADS[crd_set, cache.root] = exc.message
        return None, exc.message
    return cache.load(crd_set), None


_FAILED_DOWNLOADS: dict[tuple[CrdSet, Path], str] = {}
_MISSED: list[CrdSet] = []


def downloads_tried() -> int:
    """How many times this process needed a CRD set it had to download (or had failed to): a result
    that depends on the network."""
    return len(_MISSED)


def pinned_crd_sets(pins: Pins, groups: Iterable[str] | None = None) -> list[CrdSet]:
    """The CRD sets ``pins`` name, limited to those serving one of ``groups`` when given."""
    wanted = None if groups is None else set(groups)
    sets = []
    if pins.gateway_api and (wanted is None or wanted & GATEWAY_API_GROUPS):
        sets.append(CrdSet.gateway_api(pins.gateway_api, pins.channel))
    if pins.lbc and (wanted is None or wanted & LBC_GROUPS):
        sets.append(CrdSet.lbc(pins.lbc))
    if pins.argo_cd and (wanted is None or gitops.ARGO_CD_GROUP in wanted):
        sets.append(CrdSet(ARGO_CD, pins.argo_cd))
    if pins.flux and (wanted is None or wanted & gitops.FLUX_GROUPS):
        sets.append(CrdSet(FLUX, pins.flux))
    return sets


def crd_groups(objects: Sequence[Mapping[str, Any]]) -> set[str]:
    """The API groups of ``objects``."""
    return {str(obj.get("apiVersion", "")).rpartition("/")[0] for obj in objects}
