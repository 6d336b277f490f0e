"""Re-runs of ``gen all`` that would change nothing, answered without synthesising.

A run whose tree ends up as generated leaves a record in the user cache (``$EKSNET_RUN_RECORDS``, else
``<user cache>/eksnet/runs``), one per profile file and output folder: a digest of everything the output
depends on, the digest of every file in the cluster's folder, and the findings and notes printed. The
next run with the same profile and output folder (``gen all`` or ``gen all --check``) gives the recorded
answer when all of these still hold, and otherwise runs in full:

- the same digest of: the profile's files as read (the profiles it extends and the app files its globs
  match, found again as the loader finds them), eksnet's own files, the installed distributions, the
  Python version, ``EKSNET_*`` variables, the working folder, the options, the CRD sources (files,
  folders, cached downloads of URLs), the LBC policy file, and every file of the CRD cache;
- the cluster's folder holds exactly the files recorded, byte for byte (a hand edit, a new or removed
  file is drift or a file not managed, which only a full run reports), and no interrupted run left a
  staging folder beside it.

A run that downloaded or failed to download anything, that read a URL fresh or that found errors leaves
no record: its result could differ the next time with the same inputs.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eksnet_manifests import __version__
from eksnet_manifests.errors import EksnetError

if TYPE_CHECKING:
    from eksnet_manifests.profile.load import LoadedProfile
    from eksnet_manifests.results import GenResult

RECORDS_ENV = "EKSNET_RUN_RECORDS"
FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class RunRequest:
    """A ``gen all`` of one profile file: what, besides the files it reads, its output depends on."""

    profile: Path
    out: Path
    crd_sources: tuple[str, ...] = ()

    @property
    def record_path(self) -> Path:
        key = json.dumps([str(self.profile.resolve()), str(self.out.resolve())])
        return records_root() / f"{hashlib.sha256(key.encode()).hexdigest()}.json"


def records_root() -> Path:
    configured = os.environ.get(RECORDS_ENV)
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("eksnet")) / "runs"


def unchanged_result(request: RunRequest, on_wait: Callable[[str], None] | None = None) -> GenResult | None:
    """The recorded result of ``request`` when nothing it depends on changed since; else None."""
    record = _read_record(request.record_path)
    if record is None:
        return None
    cluster_dir = request.out / str(record["cluster"])
    profile = _profile_files(request.profile, record)
    inputs = _inputs_digest(request, profile, record["crdSources"], record["policy"])
    if inputs is None or inputs != record["inputs"] or _strays_beside(cluster_dir):
        return None
    from eksnet_manifests.render.lock import cluster_lock
    from eksnet_manifests.render.tree_state import TreeChange, read_tree

    with cluster_lock(cluster_dir, on_wait=on_wait, create=False):
        tree = read_tree(cluster_dir)
    if _digests(tree) != record["tree"]:
        return None
    return _result(cluster_dir, TreeChange((), (), (), tuple(record["unmanaged"])), record)


@dataclass(frozen=True)
class Before:
    """What ``record_result`` compares with after the run: a run that changed the environment (a
    download into a cache) or needed a download leaves no record."""

    environment: str
    downloads: int

    @classmethod
    def of(cls, request: RunRequest) -> Before:
        from eksnet_manifests.check.schema.crd_cache import downloads_tried

        return cls(environment_digest(request), downloads_tried())


def record_result(request: RunRequest, loaded: LoadedProfile, result: GenResult, before: Before) -> None:
    """Keep ``result`` of ``request`` for the next run, when a run with the same inputs gives it again."""
    from eksnet_manifests.check.schema.crd_cache import downloads_tried

    path = request.record_path
    crd_sources = list(loaded.crd_sources())
    policy = _policy_file(loaded)
    profile = [(source.file, _text_digest(source.text)) for source in _sources_of(loaded)]
    inputs = _inputs_digest(request, profile, crd_sources, policy)
    stable = before == Before(environment_digest(request), downloads_tried())
    if result.failed or (result.change.drift and not result.written) or inputs is None or not stable:
        path.unlink(missing_ok=True)
        return
    record = {
        "format": FORMAT,
        "inputs": inputs,
        "cluster": result.cluster_dir.name,
        "layered": len(profile) > 1,
        "profile": profile,
        "crdSources": crd_sources,
        "policy": policy,
        "tree": _digests(result.tree),
        "unmanaged": list(result.change.unmanaged),
        "findings": [asdict(finding) for finding in result.findings],
        "notes": list(result.notes),
    }
    try:
        from eksnet_manifests.files import atomic_write

        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, (json.dumps(record, sort_keys=True) + "\n").encode(), durable=False)
    except OSError:
        pass  # a cache that cannot be written only means the next run is a full one


def environment_digest(request: RunRequest) -> str:
    """What the output depends on besides the profile's files: see the module docstring."""
    from eksnet_manifests.check.schema.crd_cache import CrdCache

    parts = {
        "code": _code_state(),
        "environment": sorted((k, v) for k, v in os.environ.items() if k.startswith("EKSNET_")),
        "cwd": os.getcwd(),
        "out": str(request.out),
        "crds": list(request.crd_sources),
        "crdCache": _files_state(CrdCache.default().root),
    }
    return _digest(parts)


@functools.cache
def _code_state() -> str:
    """eksnet's own files, the installed distributions and the Python version (fixed for a process)."""
    files = _files_state(_PACKAGE, suffixes=(".py", ".yaml", ".json", ".txt", ".md"))
    return _digest(
        {"eksnet": [__version__, *files], "distributions": _distributions(), "python": sys.version}
    )


def _inputs_digest(
    request: RunRequest,
    profile: Sequence[Sequence[str]] | None,
    crd_sources: Sequence[str],
    policy: str | None,
) -> str | None:
    if profile is None:
        return None
    sources = [_source_state(source) for source in (*crd_sources, *request.crd_sources)]
    if any(state is None for state in sources):
        return None
    policy_state = _content_digest(Path(policy)) if policy is not None else None
    if policy is not None and policy_state is None:
        return None
    parts = {
        "environment": environment_digest(request),
        "profile": [list(item) for item in profile],
        "crdSources": sources,
        "policy": [policy, policy_state],
    }
    return _digest(parts)


def _profile_files(path: Path, record: Mapping[str, Any]) -> list[list[str]] | None:
    """(file, text digest) of every file the profile is read from now; a single file's without
    parsing it when it was a single file before (its text then says it still is)."""
    from eksnet_manifests.files import read_input
    from eksnet_manifests.profile.discovery import MAX_PROFILE_BYTES

    try:
        if not record["layered"]:
            text = read_input(path, limit=MAX_PROFILE_BYTES, what="profile")
            return [[str(path), _text_digest(text)]]
        from eksnet_manifests.profile.sources import profile_files

        return [[source.file, _text_digest(source.text)] for source in profile_files(path)]
    except EksnetError:
        return None


def _sources_of(loaded: LoadedProfile) -> Iterable[Any]:
    from eksnet_manifests.profile.layers import LayeredSource

    return loaded.source.layers if isinstance(loaded.source, LayeredSource) else (loaded.source,)


def _policy_file(loaded: LoadedProfile) -> str | None:
    """The LBC policy file the output is built with; a URL (read fresh each run) cannot be recorded."""
    reference = loaded.profile.load_balancer_controller.iam_policy
    if reference is None:
        return None
    return "://" if "://" in reference else loaded.resolve(reference)


def _source_state(source: str) -> list[Any] | None:
    """What a CRD source holds now: a file's digest, a folder's files, a URL's cached download."""
    if "://" in source:
        from eksnet_manifests.check.schema.crds import crd_cache_path

        digest = _content_digest(crd_cache_path(source))
        return [source, digest] if digest is not None else None
    path = Path(source)
    if path.is_dir():
        return [source, [[name, _content_digest(path / name)] for name, *_ in _files_state(path)]]
    digest = _content_digest(path)
    return [source, digest] if digest is not None else None


def _files_state(root: Path, suffixes: tuple[str, ...] | None = None) -> list[list[Any]]:
    """(relative path, size, mtime) of every file below ``root``, sorted; empty when there is none."""
    found: list[list[Any]] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    pending.append(Path(entry.path))
            elif suffixes is None or entry.name.endswith(suffixes):
                info = entry.stat()
                found.append([Path(entry.path).relative_to(root).as_posix(), info.st_size, info.st_mtime_ns])
    return sorted(found)


def _distributions() -> list[str]:
    """The installed distributions and their versions (dist-info folder names) on ``sys.path``."""
    names = []
    for entry in sys.path:
        try:
            names += [name for name in os.listdir(entry or ".") if name.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
    return sorted(names)


def _strays_beside(cluster_dir: Path) -> bool:
    """A staging or retired folder of an interrupted run, which a full run would recover or remove."""
    from eksnet_manifests.render.tree_state import RETIRED_MARK, STAGE_MARK

    marks = (f".{cluster_dir.name}{STAGE_MARK}", f".{cluster_dir.name}{RETIRED_MARK}")
    try:
        return any(entry.name.startswith(marks) for entry in os.scandir(cluster_dir.parent))
    except OSError:
        return False


def _read_record(path: Path) -> dict[str, Any] | None:
    try:
        record = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    fields = {
        "inputs",
        "cluster",
        "layered",
        "crdSources",
        "policy",
        "tree",
        "unmanaged",
        "findings",
        "notes",
    }
    if not isinstance(record, dict) or record.get("format") != FORMAT or not fields <= set(record):
        return None
    return record


def _result(cluster_dir: Path, change: Any, record: Mapping[str, Any]) -> GenResult:
    from eksnet_manifests.check.findings import Finding, Severity
    from eksnet_manifests.results import GenResult

    findings = [Finding(**{**item, "severity": Severity(item["severity"])}) for item in record["findings"]]
    return GenResult(cluster_dir, change, findings, list(record["notes"]))


def _digests(tree: Mapping[str, bytes]) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() for path, data in tree.items()}


def _content_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _text_digest(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest()


def _digest(parts: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
