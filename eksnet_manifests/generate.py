"""The generator: profile -> synth -> check -> render, for a whole profile or one app."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eksnet_manifests.check.documents import Document, Origin
from eksnet_manifests.check.findings import Finding, Severity, sort_findings
from eksnet_manifests.check.pins import served_apis
from eksnet_manifests.check.values_files import CHARTS
from eksnet_manifests.errors import BuildError
from eksnet_manifests.files import StagedFile
from eksnet_manifests.profile.load import LoadedProfile, parse_field
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.render.diff import tree_diff
from eksnet_manifests.render.lock import LOCK_WAIT_S, cluster_lock
from eksnet_manifests.render.ownership import ReleaseKey, vendored_crds_in
from eksnet_manifests.render.tree import plan_tree, recover_tree, render_bundle, write_tree
from eksnet_manifests.results import GenResult
from eksnet_manifests.synth.artifact import Bundle
from eksnet_manifests.synth.bundle import build_bundles
from eksnet_manifests.synth.gitops.crds import CrdDocuments, needed_crd_releases
from eksnet_manifests.synth.helm.lbc_values import chart_notes
from eksnet_manifests.synth.iam import iam_warnings
from eksnet_manifests.versions.pins import Pins
from eksnet_manifests.versions.release_files import CrdRelease

if TYPE_CHECKING:
    from eksnet_manifests.check.schema.crd_cache import Crd, CrdCache, CrdSet
    from eksnet_manifests.check.schema.registry import SchemaRegistry


@dataclass(frozen=True)
class GenOptions:
    out: Path = Path("out")
    check_only: bool = False
    """Compare with what is on disk and write nothing (exit 1 on drift)."""
    crd_sources: tuple[str, ...] = ()
    """CRD files, folders or URLs in addition to the profile's ``validation.crdSources``."""
    lbc_policy: Mapping[str, Any] | None = None
    together_with: tuple[StagedFile, ...] = ()
    """Files committed in the same outcome as the tree (the profile of ``gen app --save``)."""
    lock_wait_s: float = LOCK_WAIT_S
    """How long to wait for another run writing the same cluster folder."""
    on_wait: Callable[[str], None] | None = None
    """Told once when another run holds the cluster folder."""
    diff: bool = False
    """Also compute the unified diff of what changes (``GenResult.diff``)."""


def generate(loaded: LoadedProfile, opts: GenOptions, *, only_app: str | None = None) -> GenResult:
    """Synthesise, check and (unless checking only or invalid) write ``out/<cluster>/``."""
    profile = loaded.profile
    cluster_dir = opts.out / profile.cluster.name
    try:
        crds, from_tree, crd_notes = vendored_crds(profile, cluster_dir)
        # gen app checks the whole tree, as it will be, and writes the app's files and the platform's.
        complete, bundle = build_bundles(profile, only_app=only_app, lbc_policy=opts.lbc_policy, crds=crds)
    except BuildError as exc:
        if exc.location.file is None and exc.location.field:
            exc.location = loaded.source.locate(parse_field(exc.location.field))
        raise
    crd_sources = (*loaded.crd_sources(), *opts.crd_sources)
    checked, notes = check_bundle(
        complete,
        profile.cluster.kubernetes_version,
        crd_sources,
        cel=profile.validation.cel,
        pins=profile.pins(),
        vendored=from_tree,
    )
    written_files = {f"{bundle.cluster}/{artifact.path}" for artifact in bundle.artifacts}
    findings = sort_findings(
        [
            *profile_warnings(loaded, only_app),
            *(
                at_profile(finding, bundle, loaded)
                for finding in checked
                if not finding.file.startswith(f"{bundle.cluster}/") or finding.file in written_files
            ),
        ]
    )
    notes = [
        *profile.vpc_cni.warnings(),
        *iam_warnings(profile, opts.lbc_policy),
        *chart_notes(profile),
        *crd_notes,
        *tree_path_notes(profile, cluster_dir),
        *notes,
    ]
    rendered = render_bundle(bundle)
    # One lock covers reading the tree gen app merges into, recovery and the write.
    lock = cluster_lock(
        cluster_dir, wait_s=opts.lock_wait_s, on_wait=opts.on_wait, create=not opts.check_only
    )
    with lock:
        writing = not opts.check_only and not findings_fail(findings)
        recovered = recover_tree(cluster_dir) if writing else []
        final, change = plan_tree(cluster_dir, rendered, replace=only_app is None)
        diff = tree_diff(cluster_dir, final, change) if opts.diff and not findings_fail(findings) else []
        if not writing:
            return GenResult(
                cluster_dir, change, findings, notes, diff=diff, tree={} if change.drift else final
            )
        write_tree(cluster_dir, final, change, together_with=opts.together_with)
    return GenResult(
        cluster_dir, change, findings, notes, written=change.drift, diff=diff, recovered=recovered, tree=final
    )


def tree_path_notes(profile: Profile, cluster_dir: Path) -> list[str]:
    """Argo CD and Flux read the tree from ``gitops.path`` in the repository (default out/<cluster>): say
    so when it is written elsewhere and the path was left to its default."""
    gitops = profile.gitops
    if gitops.engine == "none" or gitops.path is not None or cluster_dir.is_absolute():
        return []
    written = cluster_dir.as_posix()
    if written == gitops.tree_path(profile.cluster.name):
        return []
    return [
        f"{gitops.engine} reads this tree from {gitops.tree_path(profile.cluster.name)} in the repository "
        f"(gitops.path), but it is written to {written}: set gitops.path to where it is committed"
    ]


def findings_fail(findings: Sequence[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


TYPED_FIELD = "lbc-annotation-has-typed-field"


def profile_warnings(loaded: LoadedProfile, only_app: str | None = None) -> list[Finding]:
    """The profile's warnings (of ``only_app``'s entry alone when given) as findings at their lines."""
    found = []
    for warning in loaded.profile.warnings():
        app = loaded.profile.apps[int(warning.path[1])]
        if only_app is not None and app.name != only_app:
            continue
        location = loaded.source.locate(warning.path)
        file = location.file or "<profile>"
        found.append(
            Finding(
                TYPED_FIELD,
                Severity.WARNING,
                warning.message,
                file,
                None,
                location.line,
                path=location.field or "",
            )
        )
    return found


def at_profile(finding: Finding, bundle: Bundle, loaded: LoadedProfile) -> Finding:
    """``finding`` about a generated object or values file, moved to the profile line and field it comes
    from; the generated file and field stay in the message."""
    prefix = f"{bundle.cluster}/"
    if not finding.file.startswith(prefix):
        return finding
    source = bundle.provenance.source_of(
        finding.file[len(prefix) :], finding.kind, finding.namespace, finding.name
    )
    if source is None:
        return finding
    location = loaded.source.locate(source.profile_path(finding.path))
    written = finding.file + (f" {finding.path}" if finding.path else "")
    return replace(
        finding,
        file=location.file or finding.file,
        line=location.line,
        index=None,
        path=location.field or "",
        message=f"{finding.message}; in the output: {written}",
    )


def vendored_crds(
    profile: Profile, cluster_dir: Path
) -> tuple[CrdDocuments, dict[CrdSet, list[Crd]], list[str]]:
    """The CRDs to vendor into ``crds/`` for ``gitops.crds: vendored``: from the CRD cache, else the
    copy ``cluster_dir`` already vendors for the same release (unmodified, as its manifest records it;
    so a committed tree regenerates offline, without waiting for a download), else downloaded when
    allowed. A release found nowhere is referenced by its release URLs, and a note says how to vendor
    it. Also the sets taken from the tree (for the checks) and the notes."""
    from eksnet_manifests.check.schema.crd_cache import CrdCache, CrdSet, load_or_fetch

    if profile.gitops.crds != "vendored":
        return {}, {}, []
    cache = CrdCache.default()
    documents: dict[CrdRelease, Sequence[Crd]] = {}
    from_tree: dict[CrdSet, list[Crd]] = {}
    missing, reasons = [], set()
    in_tree: dict[ReleaseKey, list[Crd]] | None = None
    for release in needed_crd_releases(profile):
        crd_set = CrdSet(release.product, release.version, release.channel)
        crds, reason = cache.load(crd_set), None
        if crds is None:
            in_tree = vendored_crds_in(cluster_dir) if in_tree is None else in_tree
            crds = in_tree.get((release.product, release.version, release.channel))
            if crds is not None:
                from_tree[crd_set] = crds
        if crds is None:
            crds, reason = load_or_fetch(crd_set, cache)
        if crds is None:
            missing.append(release.label)
            reasons.add(reason)
            continue
        documents[release] = crds
    notes = []
    if missing:
        notes.append(
            f"crds/ references the release files of {' and '.join(missing)} by URL: they are neither in the "
            f"CRD cache ({cache.root}) nor vendored in {cluster_dir}, and could not be downloaded "
            f"({'; '.join(sorted(r for r in reasons if r))}); `eksnet crds fetch --profile PROFILE` "
            "(offline: `eksnet crds import DIR`), then gen again, vendors them"
        )
    return documents, from_tree, notes


def check_bundle(
    bundle: Bundle,
    kube_version: str,
    crd_sources: Sequence[str],
    *,
    cel: bool,
    pins: Pins | None = None,
    vendored: Mapping[CrdSet, Sequence[Crd]] | None = None,
) -> tuple[list[Finding], list[str]]:
    """Schema, CEL, controller rules and cross-resource checks on what is about to be written; custom
    resources are checked against the CRDs of the ``pins`` (from the CRD cache, else ``vendored``) and
    ``crd_sources``. The vendored CRD files themselves are the releases' own and not checked again; the
    GitOps engine's objects get their schemas checked, not the rules about the cluster they deploy to."""
    from eksnet_manifests.check.lint import ChartValues, LintOptions
    from eksnet_manifests.check.rules import run_checks
    from eksnet_manifests.check.schema.crd_cache import CrdCache, crd_groups, pinned_crd_sets
    from eksnet_manifests.check.validate import ValidateOptions, validate_documents

    vendored_paths = set(bundle.facts.get("vendoredCrds", {}))
    docs = [
        Document(obj, Origin(f"{bundle.cluster}/{artifact.path}", index))
        for artifact in bundle.artifacts
        if isinstance(artifact.content, list) and artifact.path not in vendored_paths
        for index, obj in enumerate(artifact.content)
    ]
    crd_sets = tuple(pinned_crd_sets(pins, crd_groups([doc.obj for doc in docs]))) if pins else ()
    if vendored:
        registry, pinned_notes = _build_registry(kube_version, tuple(crd_sources), crd_sets, vendored)
    else:
        registry, pinned_notes = _schema_registry(
            kube_version, tuple(crd_sources), crd_sets, CrdCache.default().root
        )
    findings = validate_documents(docs, registry, ValidateOptions(cel=cel, ignore_missing_schemas=True))
    values = {
        chart: ChartValues(chart, artifact.content, f"{bundle.cluster}/{artifact.path}")
        for artifact in bundle.artifacts
        for chart in CHARTS
        if artifact.path == f"helm/{chart}.values.yaml"
    }
    notes = list(registry.notes)
    options = LintOptions(whole_set=True, served=served_apis(pins))
    engine_files = {f"{bundle.cluster}/{path}" for path in bundle.facts.get("engineFiles", ())}
    cluster_docs = [doc for doc in docs if doc.origin.file not in engine_files]
    findings += run_checks(cluster_docs, options, values, notes)
    unchecked = sorted(
        {
            f"{doc.kind} ({doc.api_version})"
            for doc in docs
            if not registry.has_schema(doc.api_version, doc.kind)
        }
    )
    if unchecked:
        fix = pinned_notes[0] if pinned_notes else "set validation.crdSources or pass --crds"
        notes.append(f"not schema-checked: {', '.join(unchecked)}; {fix}")
    return sort_findings(findings), notes


@functools.lru_cache(maxsize=8)
def _schema_registry(
    kube_version: str, crd_sources: tuple[str, ...], crd_sets: tuple[CrdSet, ...], cache_root: Path
) -> tuple[SchemaRegistry, list[str]]:
    """Clusters generated in one run usually share CRDs: read, parse and compile them once."""
    from eksnet_manifests.check.schema.crd_cache import CrdCache

    return _build_registry(kube_version, crd_sources, crd_sets, None, CrdCache(cache_root))


def _build_registry(
    kube_version: str,
    crd_sources: tuple[str, ...],
    crd_sets: tuple[CrdSet, ...],
    vendored: Mapping[CrdSet, Sequence[Crd]] | None,
    cache: CrdCache | None = None,
) -> tuple[SchemaRegistry, list[str]]:
    from eksnet_manifests.check.schema.crd_cache import pinned_crds_of
    from eksnet_manifests.check.schema.registry import SchemaRegistry

    pinned, notes = pinned_crds_of(crd_sets, cache, vendored=vendored)
    return SchemaRegistry.build(kube_version, crd_sources, pinned_crds=pinned), notes
