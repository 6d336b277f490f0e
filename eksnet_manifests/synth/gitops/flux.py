"""Flux: Kustomizations chained with ``dependsOn`` and health checks, HelmRepository + HelmRelease per chart.

``flux/`` holds the stage Kustomizations (CRDs → controllers → platform → apps, each waiting for the one
before it to be healthy) and ``flux/entrypoint.yaml``, the cluster's entry point: a Kustomization of
``flux/`` itself, added once to the path ``flux bootstrap`` syncs. ``helm/`` becomes the controllers'
stage: the HelmReleases read their values from ConfigMaps that kustomize generates from the values
files, under names with a content hash, so a values change is a new ConfigMap and an upgrade.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eksnet_manifests.profile.gitops import GitOps
from eksnet_manifests.synth.artifact import Artifact
from eksnet_manifests.synth.context import MANAGED_BY
from eksnet_manifests.synth.gitops.charts import ChartRelease
from eksnet_manifests.synth.gitops.stages import Stage
from eksnet_manifests.versions.gitops import API_VERSIONS

FOLDER = "flux"
HELM_FOLDER = "helm"
RELEASES_FILE = "releases.yaml"
VALUES_KEY = "values.yaml"
CONTROLLERS = "controllers"
# kustomize knows no HelmRelease: this teaches its name-reference transformer that valuesFrom names a
# ConfigMap, so the generated name (with its hash) is written into the HelmRelease.
KUSTOMIZE_CONFIG = "kustomizeconfig.yaml"
NAME_REFERENCE = {
    "nameReference": [
        {
            "kind": "ConfigMap",
            "version": "v1",
            "fieldSpecs": [{"kind": "HelmRelease", "path": "spec/valuesFrom/name"}],
        }
    ]
}
TIMEOUT = "10m"


def build_flux_artifacts(
    cluster: str, gitops: GitOps, stages: Sequence[Stage], charts: Sequence[ChartRelease]
) -> list[Artifact]:
    path = gitops.tree_path(cluster)
    earlier = [f"{cluster}-{stage.name}" for stage in stages if stage.before_controllers]
    controllers = _kustomization(
        f"{cluster}-{CONTROLLERS}",
        gitops,
        f"{path}/{HELM_FOLDER}",
        earlier,
        health=_health_checks(charts, gitops),
    )
    kustomizations = [
        _kustomization(
            f"{cluster}-{stage.name}",
            gitops,
            f"{path}/{stage.folder}",
            [] if stage.before_controllers else [_previous(cluster, stages, stage)],
        )
        for stage in stages
    ]
    files = [
        (f"{FOLDER}/{obj['metadata']['name'].removeprefix(cluster + '-')}.yaml", obj)
        for obj in (*kustomizations, controllers)
    ]
    artifacts = [Artifact(name, [obj]) for name, obj in files]
    artifacts.append(
        Artifact(
            f"{FOLDER}/kustomization.yaml",
            {"resources": [name.removeprefix(f"{FOLDER}/") for name, _ in files]},
        )
    )
    artifacts.append(
        Artifact(
            f"{FOLDER}/entrypoint.yaml",
            [_kustomization(cluster, gitops, f"{path}/{FOLDER}", [], wait=False)],
            header=(
                "The cluster's entry point: commit a copy to the folder `flux bootstrap --path` syncs\n"
                "(or kubectl apply -f it once); it applies flux/ and so every stage in order."
            ),
        )
    )
    artifacts += _helm_artifacts(gitops, charts)
    return artifacts


def _previous(cluster: str, stages: Sequence[Stage], stage: Stage) -> str:
    """What ``stage`` waits for: the stage before it, or the controllers for the first one after them."""
    later = [other for other in stages if not other.before_controllers]
    index = later.index(stage)
    return f"{cluster}-{later[index - 1].name}" if index else f"{cluster}-{CONTROLLERS}"


def _kustomization(
    name: str,
    gitops: GitOps,
    path: str,
    depends_on: Sequence[str],
    *,
    health: list[dict[str, str]] | None = None,
    wait: bool = True,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "interval": gitops.flux.interval,
        "path": f"./{path}",
        "prune": True,
        "sourceRef": {"kind": "GitRepository", "name": gitops.flux.source_ref},
        "timeout": TIMEOUT,
    }
    if depends_on:
        spec["dependsOn"] = [{"name": dependency} for dependency in depends_on]
    if health is not None:
        spec["healthChecks"] = health
    elif wait:
        spec["wait"] = True
    return {
        "apiVersion": API_VERSIONS["Kustomization"],
        "kind": "Kustomization",
        "metadata": {"name": name, "namespace": gitops.flux.namespace, "labels": dict(MANAGED_BY)},
        "spec": spec,
    }


def _health_checks(charts: Sequence[ChartRelease], gitops: GitOps) -> list[dict[str, str]]:
    """Ready HelmReleases: helm-controller waits for the charts' Deployments (and LBC's webhooks)."""
    return [
        {
            "apiVersion": API_VERSIONS["HelmRelease"],
            "kind": "HelmRelease",
            "name": chart.release,
            "namespace": gitops.flux.namespace,
        }
        for chart in charts
    ]


def _helm_artifacts(gitops: GitOps, charts: Sequence[ChartRelease]) -> list[Artifact]:
    namespace = gitops.flux.namespace
    objects: list[dict[str, Any]] = []
    generators = []
    for chart in charts:
        objects.append(
            {
                "apiVersion": API_VERSIONS["HelmRepository"],
                "kind": "HelmRepository",
                "metadata": {"name": chart.repository, "namespace": namespace, "labels": dict(MANAGED_BY)},
                "spec": {"interval": gitops.flux.interval, "url": chart.repository_url},
            }
        )
        objects.append(_helm_release(chart, gitops))
        generators.append(
            {
                "name": _values_name(chart),
                "namespace": namespace,
                "files": [f"{VALUES_KEY}={chart.values_path.removeprefix(HELM_FOLDER + '/')}"],
            }
        )
    kustomization = {
        "resources": [RELEASES_FILE],
        "configMapGenerator": generators,
        "configurations": [KUSTOMIZE_CONFIG],
    }
    return [
        Artifact(f"{HELM_FOLDER}/{RELEASES_FILE}", objects),
        Artifact(f"{HELM_FOLDER}/kustomization.yaml", kustomization),
        Artifact(f"{HELM_FOLDER}/{KUSTOMIZE_CONFIG}", NAME_REFERENCE),
    ]


def _helm_release(chart: ChartRelease, gitops: GitOps) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSIONS["HelmRelease"],
        "kind": "HelmRelease",
        "metadata": {"name": chart.release, "namespace": gitops.flux.namespace, "labels": dict(MANAGED_BY)},
        "spec": {
            "interval": gitops.flux.interval,
            "releaseName": chart.release,
            "targetNamespace": chart.namespace,
            "chart": {
                "spec": {
                    "chart": chart.chart,
                    "version": chart.version,
                    "sourceRef": {"kind": "HelmRepository", "name": chart.repository},
                }
            },
            # the CRDs are the tree's own (crds/), at the pinned release
            "install": {"crds": "Skip"},
            "upgrade": {"crds": "Skip"},
            "valuesFrom": [{"kind": "ConfigMap", "name": _values_name(chart), "valuesKey": VALUES_KEY}],
        },
    }


def _values_name(chart: ChartRelease) -> str:
    return f"{chart.release}-values"
