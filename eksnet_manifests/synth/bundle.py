"""build_bundle(profile) -> Bundle: every artifact one cluster renders to, computed in memory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.exposure import GatewayExposure
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.artifact import Artifact, Bundle
from eksnet_manifests.synth.chart import ChartPlan, Manifest
from eksnet_manifests.synth.context import MANAGED_BY, BuildContext, build_context
from eksnet_manifests.synth.expose import FIELD_SOURCES, expose
from eksnet_manifests.synth.expose.backends import BACKEND_FIELDS, build_backend_objects
from eksnet_manifests.synth.expose.gateway import app_transports, build_gateway_platform, platform_fields
from eksnet_manifests.synth.expose.gateways import build_gateway_classes, build_gateways
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
    """All artifacts of ``profile``; with ``only_app``, of the apps that app's files and those of the
    apps related to it. ``crds`` are the CRD documents of the releases to vendor into ``crds/`` (the
    others are referenced by URL)."""
    return build_bundles(profile, only_app=only_app, lbc_policy=lbc_policy, crds=crds)[1]


def build_bundles(
    profile: Profile,
    *,
    only_app: str | None = None,
    lbc_policy: Mapping[str, Any] | None = None,
    crds: CrdDocuments | None = None,
) -> tuple[Bundle, Bundle]:
    """The whole tree (what gen checks) and what is written: the same, or with ``only_app`` the tree
    without the files of unrelated apps. cdk8s synthesises every object once for both."""
    apps = profile.resolved_apps()
    uses_shared_gateway = any(
        isinstance(app.expose, GatewayExposure) and app.expose.gateway is None for app in apps
    )
    ctx = build_context(profile)
    files: list[tuple[str, tuple[Manifest, ...]]] = []
    sources: dict[ObjectId, Source] = {}
    gateway_namespaces = _gateway_namespaces(profile, uses_shared_gateway)
    namespaces = _namespaces(apps, gateway_namespaces, profile)
    if namespaces:
        files.append(("platform/namespaces.yaml", tuple(namespaces)))
        sources |= {
            object_id(ns): Source(_namespace_origin(profile, ns["metadata"]["name"], gateway_namespaces))
            for ns in namespaces
        }
    if uses_shared_gateway:
        platform = build_gateway_platform(ctx)
        files.append(("platform/gateway.yaml", tuple(platform)))
        fields = platform_fields(ctx)
        sources |= {object_id(obj): Source.under(("gatewayApi",), fields[obj["kind"]]) for obj in platform}
    classes = build_gateway_classes(ctx)
    for platform_file in ([classes] if classes else []) + list(build_gateways(ctx)):
        files.append((platform_file.path, tuple(obj for obj, _, _ in platform_file.objects)))
        sources |= {object_id(obj): Source.under(base, fields) for obj, base, fields in platform_file.objects}
    for index, app in enumerate(apps):
        deployment = build_deployment(app, transports=app_transports(app, ctx))
        objects = (deployment, *expose(app, ctx), *build_backend_objects(app, ctx))
        files.append((app_path(app.name), objects))
        fields_by_kind = {
            "Deployment": DEPLOYMENT_FIELDS,
            **FIELD_SOURCES[app.expose.type](ctx, app),
            **BACKEND_FIELDS,
        }
        at: FieldPath = ("apps", index)
        sources |= {object_id(obj): Source.under(at, fields_by_kind.get(obj["kind"], {})) for obj in objects}
    plan = ChartPlan(profile.cluster.name, tuple(files))
    from eksnet_manifests.synth.cdk8s_app import synthesize  # imported late: it starts Node.js

    synthesized = synthesize(plan)
    manifests = [Artifact(path, objects) for (path, _), objects in zip(files, synthesized, strict=True)]
    others = [build_lbc_values(profile), build_external_dns_values(profile)]
    others += build_iam_artifacts(profile, lbc_policy)
    others += build_vpc_cni_artifacts(profile)
    # the topology shows every app, also when one is written
    others.append(build_topology(profile.cluster.name, [obj for _, objects in files for obj in objects]))
    provenance = Provenance(sources | _account_sources(profile), _FILE_SOURCES)
    complete = _assemble(profile, [*manifests, *others], provenance, crds or {})
    if only_app is None:
        return complete, complete
    wanted = {app_path(name) for name in related_apps(only_app, ctx)}
    written = [a for a in manifests if not a.path.startswith("apps/") or a.path in wanted]
    return complete, _assemble(profile, [*written, *others], provenance, crds or {})


def _assemble(
    profile: Profile, artifacts: list[Artifact], provenance: Provenance, crds: CrdDocuments
) -> Bundle:
    """``artifacts`` with the GitOps files that apply them, as one cluster's bundle."""
    gitops_artifacts, gitops_facts = build_gitops_artifacts(profile, artifacts, crds)
    everything = sorted([*artifacts, *gitops_artifacts], key=lambda a: a.path)
    facts = {"releases": tree_releases(profile), **gitops_facts}
    return Bundle(profile.cluster.name, tuple(everything), provenance, facts)


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


def related_apps(name: str, ctx: BuildContext) -> set[str]:
    """``name`` and the apps whose objects depend on it: its backends, and the apps it is a backend of
    (ReferenceGrants and target group settings live with the backend)."""
    related = {name}
    for app in ctx.apps.values():
        expose = app.expose
        if not isinstance(expose, GatewayExposure):
            continue
        targets = {backend.app for rule in expose.rules for backend in rule.backends}
        if app.name == name:
            related |= targets & set(ctx.apps)
        elif name in targets:
            related.add(app.name)
    return related


def _gateway_namespaces(profile: Profile, uses_shared_gateway: bool) -> dict[str, FieldPath]:
    """Namespaces the Gateways, their classes' settings and ListenerSets live in, with the profile field."""
    gateway_api = profile.gateway_api
    found: dict[str, FieldPath] = {}
    if uses_shared_gateway or gateway_api.gateway_classes:
        found[gateway_api.namespace] = ("gatewayApi", "namespace")
    for index, gateway in enumerate(gateway_api.gateways):
        at: FieldPath = ("gatewayApi", "gateways", index)
        found.setdefault(
            gateway_api.gateway_namespace(gateway),
            (*at, "namespace") if gateway.namespace else ("gatewayApi", "namespace"),
        )
        for position, listener_set in enumerate(gateway.listener_sets):
            if listener_set.namespace:
                found.setdefault(listener_set.namespace, (*at, "listenerSets", position, "namespace"))
    return found


def _namespace_origin(profile: Profile, name: str, gateway_namespaces: Mapping[str, FieldPath]) -> FieldPath:
    """The first app in namespace ``name`` (its namespace field), else the Gateway field naming it."""
    for index, app in enumerate(profile.resolved_apps()):
        if app.namespace == name:
            return ("apps", index, "namespace")
    if name in profile.namespaces:
        return ("namespaces", name)
    return gateway_namespaces.get(name, ("gatewayApi", "namespace"))


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


def _namespaces(
    apps: tuple[App, ...], gateway_namespaces: Mapping[str, FieldPath], profile: Profile
) -> list[dict[str, Any]]:
    """Namespace objects for the apps', the Gateways' and the declared namespaces. Built-in namespaces
    already exist: one is written only where IP-target pods run or labels are declared, to carry the
    labels, and is protected from GitOps pruning."""
    ip_target_namespaces = {str(app.namespace) for app in apps if app.expose.type != "none"}
    declared = set(profile.namespaces)
    used = {str(app.namespace) for app in apps} | set(gateway_namespaces) | declared
    names = sorted((used - BUILTIN_NAMESPACES) | ((ip_target_namespaces | declared) & BUILTIN_NAMESPACES))
    objects = []
    for name in names:
        extra = profile.namespaces[name].labels if name in profile.namespaces else {}
        metadata: dict[str, Any] = {
            "name": name,
            "labels": {
                **dict(sorted(extra.items())),
                **MANAGED_BY,
                **(READINESS_GATE_LABEL if name in ip_target_namespaces else {}),
            },
        }
        if name in BUILTIN_NAMESPACES:
            metadata["annotations"] = dict(PRUNE_PROTECTION)
        objects.append({"apiVersion": "v1", "kind": "Namespace", "metadata": metadata})
    return objects
