"""GitOps engines: the Argo CD and Flux releases eksnet writes objects for, and where their CRDs are.

Sources: argoproj/argo-cd v3.5.1 ``manifests/crds/*-crd.yaml`` (Application, ApplicationSet and
AppProject serve ``argoproj.io/v1alpha1``); fluxcd/flux2 v2.9.4, whose release asset ``install.yaml``
carries the CRDs of helm-controller v1.6.3 (``helm.toolkit.fluxcd.io/v2``), kustomize-controller
v1.9.4 (``kustomize.toolkit.fluxcd.io/v1``) and source-controller (``source.toolkit.fluxcd.io/v1``).
"""

from __future__ import annotations

from eksnet_manifests.versions.release import nearest_known

ARGO_CD = "Argo CD"
FLUX = "Flux"
ARGO_CD_RELEASES: tuple[str, ...] = ("v3.5.1",)
FLUX_RELEASES: tuple[str, ...] = ("v2.9.4",)
ARGO_CD_DEFAULT = ARGO_CD_RELEASES[-1]
FLUX_DEFAULT = FLUX_RELEASES[-1]

ARGO_CD_GROUP = "argoproj.io"
FLUX_GROUPS = frozenset({"helm.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "source.toolkit.fluxcd.io"})

# apiVersion written for each kind, served by every release above.
API_VERSIONS = {
    "Application": "argoproj.io/v1alpha1",
    "ApplicationSet": "argoproj.io/v1alpha1",
    "HelmRelease": "helm.toolkit.fluxcd.io/v2",
    "HelmRepository": "source.toolkit.fluxcd.io/v1",
    "Kustomization": "kustomize.toolkit.fluxcd.io/v1",
}

_ARGO_CD_CRDS = ("application", "applicationset", "appproject")
_ARGO_CD_RAW = "https://raw.githubusercontent.com/argoproj/argo-cd/{version}/manifests/crds/{name}-crd.yaml"
_FLUX_INSTALL = "https://github.com/fluxcd/flux2/releases/download/{version}/install.yaml"


def argo_cd_release(version: str) -> str:
    """``version`` when listed, else the nearest lower listed release (UnknownRelease if none)."""
    return nearest_known(version, ARGO_CD_RELEASES, ARGO_CD)


def flux_release(version: str) -> str:
    return nearest_known(version, FLUX_RELEASES, FLUX)


def argo_cd_crd_urls(version: str) -> tuple[str, ...]:
    return tuple(_ARGO_CD_RAW.format(version=version, name=name) for name in _ARGO_CD_CRDS)


def flux_crd_urls(version: str) -> tuple[str, ...]:
    """The release's install manifest: its CRDs are taken, the controllers' Deployments left out."""
    return (_FLUX_INSTALL.format(version=version),)
