"""Argo CD: an app of apps per cluster, one Application per stage and per chart, in sync waves.

``argocd/root.yaml`` is the cluster's root Application (applied once, by hand or by the fleet's
ApplicationSet); it syncs ``argocd/applications/``, whose Applications carry sync waves CRDs (1) →
controllers (2) → platform (3) → apps (4). Argo CD waits for a wave's Applications to be healthy only
when Application health is assessed (``resource.customizations.health.argoproj.io_Application`` in
argocd-cm, see NEXT-STEPS.md); every Application also retries, so an early sync converges.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from eksnet_manifests.profile.gitops import GitOps
from eksnet_manifests.synth.artifact import Artifact
from eksnet_manifests.synth.context import MANAGED_BY
from eksnet_manifests.synth.gitops.charts import ChartRelease
from eksnet_manifests.synth.gitops.stages import CONTROLLERS_WAVE, Stage
from eksnet_manifests.synth.helm.lbc_values import RELEASE_NAME as LBC_RELEASE
from eksnet_manifests.versions.gitops import API_VERSIONS

FOLDER = "argocd"
APPLICATIONS = f"{FOLDER}/applications"
SYNC_WAVE = "argocd.argoproj.io/sync-wave"
FINALIZER = "resources-finalizer.argocd.argoproj.io"
IN_CLUSTER = "in-cluster"
APPLICATION_SET = "eksnet-clusters"
RETRY = {"limit": 5, "backoff": {"duration": "10s", "factor": 2, "maxDuration": "3m"}}
# The LBC chart generates its webhook certificate at every render (helm template cannot look up the
# Secret it made before), so the certificate and the webhooks' caBundle always differ from the cluster.
LBC_IGNORED_DIFFERENCES = [
    {
        "group": "admissionregistration.k8s.io",
        "kind": kind,
        "jqPathExpressions": [".webhooks[]?.clientConfig.caBundle"],
    }
    for kind in ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")
] + [{"kind": "Secret", "name": "aws-load-balancer-tls", "jsonPointers": ["/data"]}]


def build_argocd_artifacts(
    cluster: str, gitops: GitOps, stages: Sequence[Stage], charts: Sequence[ChartRelease]
) -> list[Artifact]:
    path = gitops.tree_path(cluster)
    applications = [
        (f"{stage.name}.yaml", _stage_application(cluster, gitops, stage, path)) for stage in stages
    ] + [(f"{chart.release}.yaml", _chart_application(cluster, gitops, chart, path)) for chart in charts]
    artifacts = [Artifact(f"{APPLICATIONS}/{name}", [app]) for name, app in applications]
    artifacts.append(
        Artifact(f"{APPLICATIONS}/kustomization.yaml", {"resources": [name for name, _ in applications]})
    )
    artifacts.append(
        Artifact(
            f"{FOLDER}/root.yaml",
            [root_application(cluster, gitops, f"{path}/{APPLICATIONS}")],
            header=(
                "The cluster's root Application (app of apps): apply once to Argo CD's cluster,\n"
                f"kubectl apply -n {gitops.argocd.namespace} -f {FOLDER}/root.yaml\n"
                f"or let the fleet's ApplicationSet ({FOLDER}/applicationset.yaml) create it."
            ),
        )
    )
    artifacts.append(
        Artifact(
            f"{FOLDER}/applicationset.yaml",
            [application_set(gitops, path)],
            header=(
                "One ApplicationSet for every cluster tree of this repository (the same in each tree):\n"
                "it creates each cluster's root Application. Apply it once to Argo CD's cluster."
            ),
        )
    )
    return artifacts


def root_application(cluster: str, gitops: GitOps, applications_path: str) -> dict[str, Any]:
    return _application(
        cluster,
        gitops,
        {"repoURL": gitops.repo_url, "targetRevision": gitops.revision, "path": applications_path},
        {"name": IN_CLUSTER, "namespace": gitops.argocd.namespace},
    )


def application_set(gitops: GitOps, path: str) -> dict[str, Any]:
    """Every ``<parent>/*/argocd/applications`` folder of the repository becomes a root Application
    named after its cluster folder (the git directory generator)."""
    parent = PurePosixPath(path).parent
    pattern = str(parent / "*" / APPLICATIONS) if str(parent) != "." else f"*/{APPLICATIONS}"
    cluster_segment = 0 if str(parent) == "." else len(parent.parts)
    template = _application(
        f"{{{{ index .path.segments {cluster_segment} }}}}",
        gitops,
        {"repoURL": gitops.repo_url, "targetRevision": gitops.revision, "path": "{{ .path.path }}"},
        {"name": IN_CLUSTER, "namespace": gitops.argocd.namespace},
    )
    del template["apiVersion"], template["kind"]
    return {
        "apiVersion": API_VERSIONS["ApplicationSet"],
        "kind": "ApplicationSet",
        "metadata": {
            "name": APPLICATION_SET,
            "namespace": gitops.argocd.namespace,
            "labels": dict(MANAGED_BY),
        },
        "spec": {
            "goTemplate": True,
            "goTemplateOptions": ["missingkey=error"],
            "generators": [
                {
                    "git": {
                        "repoURL": gitops.repo_url,
                        "revision": gitops.revision,
                        "directories": [{"path": pattern}],
                    }
                }
            ],
            "template": template,
        },
    }


def _stage_application(cluster: str, gitops: GitOps, stage: Stage, path: str) -> dict[str, Any]:
    application = _application(
        f"{cluster}-{stage.name}",
        gitops,
        {"repoURL": gitops.repo_url, "targetRevision": gitops.revision, "path": f"{path}/{stage.folder}"},
        {"name": gitops.argocd.destination},
        wave=stage.wave,
    )
    # CRDs are too large for a client-side apply; the other stages are applied the same way.
    application["spec"]["syncPolicy"]["syncOptions"] = ["ServerSideApply=true"]
    return application


def _chart_application(cluster: str, gitops: GitOps, chart: ChartRelease, path: str) -> dict[str, Any]:
    helm: dict[str, Any] = {
        "releaseName": chart.release,
        "valueFiles": [f"$values/{path}/{chart.values_path}"],
        "skipCrds": True,  # the CRDs are the tree's own (crds/), at the pinned release
    }
    application = _application(
        f"{cluster}-{chart.release}",
        gitops,
        None,
        {"name": gitops.argocd.destination, "namespace": chart.namespace},
        wave=CONTROLLERS_WAVE,
    )
    application["spec"]["sources"] = [
        {
            "repoURL": chart.repository_url,
            "chart": chart.chart,
            "targetRevision": chart.version,
            "helm": helm,
        },
        {"repoURL": gitops.repo_url, "targetRevision": gitops.revision, "ref": "values"},
    ]
    if chart.release == LBC_RELEASE:
        application["spec"]["ignoreDifferences"] = LBC_IGNORED_DIFFERENCES
        application["spec"]["syncPolicy"]["syncOptions"] = ["RespectIgnoreDifferences=true"]
    return application


def _application(
    name: str,
    gitops: GitOps,
    source: dict[str, Any] | None,
    destination: dict[str, str],
    *,
    wave: int | None = None,
) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "name": name,
        "namespace": gitops.argocd.namespace,
        "labels": dict(MANAGED_BY),
        "finalizers": [FINALIZER],
    }
    if wave is not None:
        metadata["annotations"] = {SYNC_WAVE: str(wave)}
    spec: dict[str, Any] = {
        "project": gitops.argocd.project,
        "destination": destination,
        "syncPolicy": {"automated": {"prune": True, "selfHeal": True}, "retry": RETRY},
    }
    if source is not None:
        spec["source"] = source
    return {
        "apiVersion": API_VERSIONS["Application"],
        "kind": "Application",
        "metadata": metadata,
        "spec": spec,
    }
