"""build_bundle(profile) -> Bundle: every artifact one cluster renders to, computed in memory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.artifact import Artifact, Bundle
from eksnet_manifests.synth.chart import ChartPlan, Manifest
from eksnet_manifests.synth.context import MANAGED_BY, build_context
from eksnet_manifests.synth.expose import FIELD_SOURCES, expose
from eksnet_manifests.synth.expose.gateway import build_gateway_platform, platform_fields
from eksnet_manifests.synth.gitops import build_gitops_artifacts
from eksnet_manifests.synth.gitops.crds import CrdDocuments
from eksnet_manifests.synth.helm.external_dns_values import (
    EXTERNAL_DNS_VALUES_PATH,
    build_external_dns_values,
)
from eksnet_manifests.synth.helm.lbc_values import LBC_VALUES_PATH, build_lbc_values, chart_version
from eksnet_manifests.synth.iam import build_iam_artifacts
from eksnet_manifests.synth.iam.service_accounts import SERVICE_ACCOUNTS_PATH
from eksnet_manifests.synth.provenance import FieldPath, ObjectId, Provenance, Source, object_id
from eksnet_manifests.synth.topology import build_topology
from eksnet_manifests.synth.vpc_cni import ENICONFIGS_PATH, build_vpc_cni_artifacts
from eksnet_manifests.synth.workload import DEPLOYMENT_FIELDS, build_deployment
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
    profile: Profile,
    *,
    only_app: str | None = None,
    lbc_policy: Mapping[str, Any] | None = None,
    crds: CrdDocuments | None = None,
) -> Bundle:
    """All artifacts of ``profile``; with ``only_app``, app manifests of that app alone. ``crds`` are the
    CRD documents of the releases to vendor into ``crds/`` (the others are referenced by URL)."""
    apps = profile.resolved_apps()
    uses_gateway = any(app.expose.type == "gateway" for app in apps)
    ctx = build_context(profile)
    files: list[tuple[str, tuple[Manifest, ...]]] = []
    sources: dict[ObjectId, Source] = {}
    namespaces = _namespaces(apps, profile.gateway_api.namespace if uses_gateway else None)
    if namespaces:
        files.append(("platform/namespaces.yaml", tuple(namespaces)))
        sources |= {
            object_id(ns): Source(_namespace_origin(profile, ns["metadata"]["name"])) for ns in namespaces
        }
    if uses_gateway:
        platform = build_gateway_platform(ctx)
        files.append(("platform/gateway.yaml", tuple(platform)))
        fields = platform_fields(ctx)
        sources |= {object_id(obj): Source.under(("gatewayApi",), fields[obj["kind"]]) for obj in platform}
    all_objects = [obj for _, objects in files for obj in objects]
    for index, app in enumerate(apps):
        objects = (build_deployment(app), *expose(app, ctx))
        all_objects += objects  # the topology shows every app, also when one is written
        if only_app is None or app.name == only_app:
            files.append((app_path(app.name), objects))
            fields_by_kind = {"Deployment": DEPLOYMENT_FIELDS, **FIELD_SOURCES[app.expose.type](ctx)}
            at: FieldPath = ("apps", index)
            sources |= {
                object_id(obj): Source.under(at, fields_by_kind.get(obj["kind"], {})) for obj in objects
            }
    plan = ChartPlan(profile.cluster.name, tuple(files))
    from eksnet_manifests.synth.cdk8s_app import synthesize  # imported late: it starts Node.js

    synthesized = synthesize(plan)
    artifacts = [Artifact(path, objects) for (path, _), objects in zip(files, synthesized, strict=True)]
    artifacts += [build_lbc_values(profile), build_external_dns_values(profile)]
    artifacts += build_iam_artifacts(profile, lbc_policy)
    artifacts += build_vpc_cni_artifacts(profile)
    artifacts.append(build_topology(profile.cluster.name, all_objects))
    gitops_artifacts, gitops_facts = build_gitops_artifacts(profile, artifacts, crds or {})
    artifacts += gitops_artifacts
    provenance = Provenance(sources | _account_sources(profile), _FILE_SOURCES)
    facts = {"releases": tree_releases(profile), **gitops_facts}
    return Bundle(profile.cluster.name, tuple(sorted(artifacts, key=lambda a: a.path)), provenance, facts)


def tree_releases(profile: Profile) -> dict[str, Any]:
    """The releases the tree is generated for, as its manifest records them (``eksnet validate`` of the
    tree judges it by these)."""
    controller = profile.load_balancer_controller
    gitops = profile.gitops
    engine_release = {"argocd": gitops.argocd.version, "flux": gitops.flux.version}.get(gitops.engine)
    releases: dict[str, Any] = {
        "kubernetes": profile.cluster.kubernetes_version,
        "gatewayApi": {"version": profile.gateway_api.version, "channel": profile.gateway_api.channel},
        "loadBalancerController": {"version": controller.version, "chart": chart_version(controller)},
        "externalDns": {"version": profile.external_dns.release, "chart": profile.external_dns.chart_version},
        "gitops": {"engine": gitops.engine, "crds": gitops.crds},
    }
    if engine_release is not None:
        releases["gitops"]["version"] = engine_release
    return releases


# Values files and files of objects without a source of their own: the profile section behind them.
_FILE_SOURCES = {
    LBC_VALUES_PATH: Source(
        ("loadBalancerController",),
        {
            "image.tag": ("loadBalancerController", "version"),
            "controllerConfig.featureGates": ("loadBalancerController", "featureGates"),
            "region": ("cluster", "region"),
            "clusterName": ("cluster", "name"),
            "vpcId": ("cluster", "vpcId"),
            "ingressClass": ("loadBalancerController", "ingressClass"),
            "serviceAccount": ("loadBalancerController", "serviceAccount"),
        },
    ),
    EXTERNAL_DNS_VALUES_PATH: Source(
        ("externalDns",),
        {
            "image.tag": ("externalDns", "version"),
            "sources": ("externalDns", "sources"),
            "domainFilters": ("externalDns", "domainFilters"),
            "policy": ("externalDns", "policy"),
            "txtOwnerId": ("externalDns", "txtOwnerId"),
            "registry": ("externalDns", "registry"),
            "serviceAccount": ("externalDns", "serviceAccount"),
        },
    ),
    SERVICE_ACCOUNTS_PATH: Source(()),
    ENICONFIGS_PATH: Source(("vpcCni", "customNetworking", "subnets")),
}


def _namespace_origin(profile: Profile, name: str) -> FieldPath:
    """The first app in namespace ``name`` (its namespace field), else the Gateway's namespace."""
    for index, app in enumerate(profile.resolved_apps()):
        if app.namespace == name:
            return ("apps", index, "namespace")
    return ("gatewayApi", "namespace")


def _account_sources(profile: Profile) -> dict[ObjectId, Source]:
    """ServiceAccounts written for the controllers, at their ``serviceAccount`` section."""
    sections = (
        ("loadBalancerController", profile.load_balancer_controller),
        ("externalDns", profile.external_dns),
    )
    return {
        ("ServiceAccount", settings.service_account.namespace, settings.service_account.name): Source(
            (section, "serviceAccount")
        )
        for section, settings in sections
    }


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
