"""What makes a tree GitOps-complete: the CRDs, the stage kustomizations, the engine's objects
(``ENGINES``) and the written bootstrap order (NEXT-STEPS.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eksnet_manifests.profile.gitops import GitOps
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.artifact import Artifact
from eksnet_manifests.synth.gitops.argocd import build_argocd_artifacts
from eksnet_manifests.synth.gitops.charts import ChartRelease, controller_charts
from eksnet_manifests.synth.gitops.crds import CrdDocuments, build_crd_artifacts, needed_crd_releases
from eksnet_manifests.synth.gitops.flux import build_flux_artifacts
from eksnet_manifests.synth.gitops.next_steps import build_next_steps
from eksnet_manifests.synth.gitops.stages import Stage, build_stages, folder_kustomizations

EngineBuilder = Callable[[str, GitOps, Sequence[Stage], Sequence[ChartRelease]], list[Artifact]]
ENGINES: dict[str, EngineBuilder] = {"argocd": build_argocd_artifacts, "flux": build_flux_artifacts}


def build_gitops_artifacts(
    profile: Profile, artifacts: Sequence[Artifact], crds: CrdDocuments
) -> tuple[list[Artifact], dict[str, Any]]:
    """The CRDs, stage kustomizations, engine objects and NEXT-STEPS.md for the tree of ``artifacts``,
    and the facts about them: which files vendor which release's CRDs (``vendoredCrds``) and which hold
    the engine's own objects (``engineFiles``: they live in the engine's namespace, which the engine's
    installation made, and for an Argo CD hub on another cluster)."""
    gitops = profile.gitops
    releases = needed_crd_releases(profile) if gitops.crds != "unmanaged" else ()
    added, vendored = build_crd_artifacts(releases, crds) if releases else ([], {})
    stages = build_stages([*artifacts, *added], crd_resources=bool(releases))
    engine = ENGINES.get(gitops.engine)
    charts = controller_charts(profile, pinned=engine is not None)
    engine_files: list[str] = []
    added += folder_kustomizations(stages)
    if engine is not None:
        objects = engine(profile.cluster.name, gitops, stages, charts)
        engine_files = [artifact.path for artifact in objects if isinstance(artifact.content, list)]
        added += objects
    added.append(build_next_steps(profile, artifacts, stages, charts))
    return added, {"vendoredCrds": vendored, "engineFiles": engine_files}
