"""How the tree reaches the cluster: the GitOps engine that applies it, and where its CRDs come from."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.names import DnsLabel, ReleaseVersion, identifier
from eksnet_manifests.versions import gitops as engines

Engine = Literal["argocd", "flux", "none"]
CrdMode = Literal["vendored", "url", "unmanaged"]
RepoUrl = identifier(
    r"(https://|ssh://|git@)[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]+",
    "a Git repository URL (https://…, ssh://… or git@host:path)",
    max_length=2048,
)
RepoPath = identifier(
    r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*", "a folder path inside the repository, like out/myeks"
)
Revision = identifier(r"[A-Za-z0-9._/-]+", "a branch, tag or commit like main or HEAD", max_length=255)
Interval = identifier(r"([0-9]+(ms|s|m|h))+", "a Go duration like 10m or 1h30m")


class ArgoCd(StrictModel):
    namespace: DnsLabel = "argocd"
    """Namespace Argo CD runs in; its Applications are created there."""
    project: DnsLabel = "default"
    """AppProject of the Applications."""
    destination: DnsLabel = "in-cluster"
    """Argo CD's name of the cluster to deploy to (``in-cluster`` is the cluster Argo CD runs on; for a
    hub managing several clusters, the name given to ``argocd cluster add``)."""
    version: ReleaseVersion = engines.ARGO_CD_DEFAULT
    """Argo CD release whose CRDs the Applications are checked against."""


class Flux(StrictModel):
    namespace: DnsLabel = "flux-system"
    """Namespace of the Flux objects (and of the GitRepository they read)."""
    source_ref: DnsLabel = "flux-system"
    """GitRepository holding this tree (``flux bootstrap`` names its own ``flux-system``)."""
    interval: Interval = "10m"
    """How often Flux reconciles the Kustomizations and HelmReleases."""
    version: ReleaseVersion = engines.FLUX_DEFAULT
    """Flux release whose CRDs the objects are checked against."""


class GitOps(StrictModel):
    engine: Engine = "none"
    """What applies the tree: ``argocd`` (Applications, app of apps, sync waves), ``flux``
    (Kustomizations chained with dependsOn, HelmReleases), or ``none`` (kubectl and helm, in the order
    NEXT-STEPS.md gives)."""
    crds: CrdMode = "vendored"
    """The pinned releases' CRDs in ``crds/``: ``vendored`` copies them from the CRD cache (reviewable,
    applies offline), ``url`` references the release files, ``unmanaged`` leaves them to someone else."""
    repo_url: RepoUrl | None = None
    """The Git repository this tree is committed to (required by ``argocd``)."""
    revision: Revision = "HEAD"
    """Branch, tag or commit Argo CD follows."""
    path: RepoPath | None = None
    """Folder of this cluster's tree in the repository (default: out/<cluster name>)."""
    argocd: ArgoCd = ArgoCd()
    """Argo CD settings."""
    flux: Flux = Flux()
    """Flux settings."""

    @model_validator(mode="after")
    def _argocd_needs_the_repository(self) -> GitOps:
        if self.engine == "argocd" and self.repo_url is None:
            raise ValueError("engine argocd needs repoUrl: the Git repository Argo CD reads this tree from")
        return self

    def tree_path(self, cluster: str) -> str:
        return self.path or f"out/{cluster}"
