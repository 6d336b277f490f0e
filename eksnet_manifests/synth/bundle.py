"""build_bundle(profile) -> Bundle: every artifact one cluster renders to, computed in memory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.artifact import Artifact, Bundle
from eksnet_manifests.synth.chart import ChartPlan, ConstructPlan
from eksnet_manifests.synth.context import MANAGED_BY, build_context
from eksnet_manifests.synth.expose import expose
from eksnet_manifests.synth.expose.gateway import build_gateway_platform
from eksnet_manifests.synth.helm.external_dns_values import build_external_dns_values
from eksnet_manifests.synth.helm.lbc_values import build_lbc_values
from eksnet_manifests.synth.iam import build_iam_artifacts
from eksnet_manifests.synth.vpc_cni import build_vpc_cni_artifacts
from eksnet_manifests.synth.workload import build_deployment
from eksnet_manifests.versions.kubernetes import BUILTIN_NAMESPACES

# LBC injects target-health readiness gates into pods of labelled namespaces, so rolling
# updates wait for IP targets to be healthy.
READINESS_GATE_LABEL = {"elbv2.k8s.aws/pod-readiness-gate-inject": "enabled"}
# A built-in namespace is written only to label it; Argo CD and Flux must never delete it when it
# leaves the tree.
PRUNE_PROTECTION = {
    "argocd.argoproj.io/sync-options": "Prune=false,Delete=false",
    "kustomize.toolkit.fluxcd.io/prune": "disabled",
}


def app_path(name: str) -> str:
    return f"apps/{name}.yaml"


def build_bundle(
    profile: Profile, *, only_app: str | None = None, lbc_policy: Mapping[str, Any] | None = None
) -> Bundle:
    """All artifacts of ``profile``; with ``only_app``, app manifests of that app alone."""
    apps = profile.resolved_apps()
    uses_gateway = any(app.expose.type == "gateway" for app in apps)
    ctx = build_context(profile)
    chart_paths: list[tuple[str, ChartPlan]] = []
    namespaces = _namespaces(apps, profile.gateway_api.namespace if uses_gateway else None)
    if namespaces:
        chart_paths.append(("platform/namespaces.yaml", _chart("namespaces", "Namespaces", namespaces)))
    if uses_gateway:
        chart_paths.append(
            ("platform/gateway.yaml", _chart("gateway", "Gateway", build_gateway_platform(ctx)))
        )
    for app in apps:
        if only_app is None or app.name == only_app:
            # One construct per app keeps jsii calls down: Deployment, Service and exposure objects.
            objects = (build_deployment(app), *expose(app, ctx))
            plan = ChartPlan(
                f"app-{app.name}", (ConstructPlan(f"{app.expose.type.capitalize()}Exposure", objects),)
            )
            chart_paths.append((app_path(app.name), plan))
    from eksnet_manifests.synth.cdk8s_app import synthesize  # imported late: it starts Node.js

    synthesized = synthesize([plan for _, plan in chart_paths])
    artifacts = [Artifact(path, objects) for (path, _), objects in zip(chart_paths, synthesized, strict=True)]
    artifacts += [build_lbc_values(profile), build_external_dns_values(profile)]
    artifacts += build_iam_artifacts(profile, lbc_policy)
    artifacts += build_vpc_cni_artifacts(profile)
    return Bundle(profile.cluster.name, tuple(sorted(artifacts, key=lambda a: a.path)))


def _chart(chart_id: str, construct_id: str, objects: list[dict[str, Any]]) -> ChartPlan:
    return ChartPlan(f"platform-{chart_id}", (ConstructPlan(construct_id, tuple(objects)),))


def _namespaces(apps: tuple[App, ...], gateway_namespace: str | None) -> list[dict[str, Any]]:
    """Namespace objects for the apps' and the Gateway's namespaces. Built-in namespaces already exist:
    one is written only where IP-target pods run, to carry the readiness-gate label, and is protected
    from GitOps pruning."""
    ip_target_namespaces = {str(app.namespace) for app in apps if app.expose.type != "none"}
    used = {str(app.namespace) for app in apps} | ({gateway_namespace} if gateway_namespace else set())
    names = sorted((used - BUILTIN_NAMESPACES) | (ip_target_namespaces & BUILTIN_NAMESPACES))
    objects = []
    for name in names:
        metadata: dict[str, Any] = {
            "name": name,
            "labels": {**MANAGED_BY, **(READINESS_GATE_LABEL if name in ip_target_namespaces else {})},
        }
        if name in BUILTIN_NAMESPACES:
            metadata["annotations"] = dict(PRUNE_PROTECTION)
        objects.append({"apiVersion": "v1", "kind": "Namespace", "metadata": metadata})
    return objects
