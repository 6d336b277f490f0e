"""The profile root: one cluster, its node groups, controllers, defaults and apps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import Field

from eksnet_manifests.profile.app import App, AppDefaults
from eksnet_manifests.profile.attachment import attachment
from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.cluster import Cluster, NodeGroup
from eksnet_manifests.profile.controllers import GatewayApi, LoadBalancerController
from eksnet_manifests.profile.dns import ExternalDns, Source
from eksnet_manifests.profile.exposure import AlbExposure, GatewayExposure, NlbExposure
from eksnet_manifests.profile.gateway_problems import gateways_problems
from eksnet_manifests.profile.gitops import GitOps
from eksnet_manifests.profile.lb_rules import load_balancer_problems, load_balancer_warnings
from eksnet_manifests.profile.names import DnsLabel, host_in_domain, version_tuple
from eksnet_manifests.profile.namespaces import NamespaceSettings
from eksnet_manifests.profile.route_problems import app_gateway_problems
from eksnet_manifests.profile.vpc_cni import VpcCni
from eksnet_manifests.versions import lbc
from eksnet_manifests.versions.pins import Pins
from eksnet_manifests.versions.release import UnknownRelease

# LBC serves Gateway API L7 (ALB) from this release on.
GATEWAY_L7_MIN_LBC = (2, 14, 0)

SOURCE_FOR_EXPOSURE: dict[str, Source] = {
    "nlb": "service",
    "alb": "ingress",
    "gateway": "gateway-httproute",
}
# ExternalDNS source per route kind of a gateway app.
SOURCE_FOR_ROUTE: dict[str, Source] = {
    "HTTPRoute": "gateway-httproute",
    "GRPCRoute": "gateway-grpcroute",
    "TCPRoute": "gateway-tcproute",
    "UDPRoute": "gateway-udproute",
    "TLSRoute": "gateway-tlsroute",
}


class Validation(StrictModel):
    crd_sources: tuple[str, ...] = ()
    """CRD files or folders (relative to the profile) or URLs, to schema-check custom resources."""
    cel: bool = True
    """Evaluate the CRDs' CEL rules (``x-kubernetes-validations``)."""


@dataclass(frozen=True)
class Problem:
    """A rule broken across sections; ``path`` is the field path in the profile."""

    path: tuple[str | int, ...]
    message: str


class Profile(StrictModel):
    cluster: Cluster
    """The EKS cluster."""
    node_groups: tuple[NodeGroup, ...] = Field(min_length=1)
    """Managed node groups."""
    load_balancer_controller: LoadBalancerController = LoadBalancerController()
    """AWS Load Balancer Controller version and settings."""
    external_dns: ExternalDns = ExternalDns()
    """ExternalDNS settings."""
    gateway_api: GatewayApi = GatewayApi()
    """Gateway API version and the shared Gateway."""
    vpc_cni: VpcCni = VpcCni()
    """Amazon VPC CNI settings."""
    defaults: AppDefaults = AppDefaults()
    """Defaults for app fields left unset."""
    validation: Validation = Validation()
    """What ``eksnet gen`` checks before writing."""
    namespaces: dict[DnsLabel, NamespaceSettings] = Field(default_factory=dict)
    """Labels of the namespaces eksnet writes (for Gateway ``allowedRoutes: Selector``)."""
    gitops: GitOps = GitOps()
    """How the tree reaches the cluster: Argo CD, Flux or kubectl and helm, and the CRDs it carries."""
    apps: tuple[App, ...]
    """The applications."""
    includes: tuple[str, ...] = ()
    """App files merged into ``apps`` (paths or globs relative to the profile; each holds ``apps:``), so
    each team owns its own file."""
    extends: str | None = None
    """Base profile this one overrides (an environment overlay): mappings merge key by key, other values
    are replaced, apps merge by name; the later file wins."""

    def resolved_apps(self) -> tuple[App, ...]:
        return tuple(app.resolved(self.defaults) for app in self.apps)

    def exposure_kinds(self) -> set[str]:
        return {app.expose.type for app in self.apps}

    def derived_sources(self) -> tuple[Source, ...]:
        """ExternalDNS sources the apps need: service for NLB hosts, ingress for ALB, routes for Gateway."""
        needed = {self._source(app) for app in self.apps if app.expose.type in SOURCE_FOR_EXPOSURE}
        return tuple(sorted(needed))

    def _source(self, app: App) -> Source:
        expose = app.expose
        if isinstance(expose, GatewayExposure):
            found = attachment(self.gateway_api, expose)
            return SOURCE_FOR_ROUTE[found.kind if found else "HTTPRoute"]
        return SOURCE_FOR_EXPOSURE[expose.type]

    def pins(self) -> Pins:
        """The releases the cluster runs: Gateway API (and channel), the controller and the GitOps engine."""
        gitops = self.gitops
        return Pins(
            self.gateway_api.version,
            self.gateway_api.channel,
            self.load_balancer_controller.version,
            argo_cd=gitops.argocd.version if gitops.engine == "argocd" else None,
            flux=gitops.flux.version if gitops.engine == "flux" else None,
        )

    def problems(self) -> list[Problem]:
        """Every cross-section rule the profile breaks, in document order."""
        return list(_problems(self))

    def warnings(self) -> list[Problem]:
        """Valid settings worth changing, in document order: raw annotations that have a typed field."""
        return [
            Problem(("apps", index, "expose", *path), message)
            for index, app in enumerate(self.apps)
            if isinstance(app.expose, NlbExposure | AlbExposure)
            for path, message in load_balancer_warnings(app.expose)
        ]


def _problems(profile: Profile) -> Iterator[Problem]:
    for path, message in profile.cluster.problems():
        yield Problem(("cluster", *path), message)
    for index, group in enumerate(profile.node_groups):
        for path, message in group.problems():
            yield Problem(("nodeGroups", index, *path), message)
    yield from _release_problems(profile)
    for path, message in gateways_problems(
        profile.gateway_api, profile.load_balancer_controller.version, profile.namespaces
    ):
        yield Problem(("gatewayApi", *path), message)
    seen_names: dict[str, int] = {}
    resolved = profile.resolved_apps()
    host_owner: dict[str, tuple[int, str]] = {}
    lbc_version = profile.load_balancer_controller.version
    domains = profile.external_dns.domain_filters
    for index, app in enumerate(profile.apps):
        at = ("apps", index)
        if app.name in seen_names:
            yield Problem(
                (*at, "name"), f"duplicate app name {app.name!r} (first at apps[{seen_names[app.name]}])"
            )
        seen_names.setdefault(app.name, index)
        expose = app.expose
        if isinstance(expose, GatewayExposure):
            yield from _gateway_problems(profile, app, at, lbc_version, resolved)
        if isinstance(expose, NlbExposure | AlbExposure):
            region = profile.cluster.region
            for path, message in load_balancer_problems(expose, lbc_version=lbc_version, region=region):
                yield Problem((*at, "expose", *path), message)
        if isinstance(expose, NlbExposure) and expose.https and not expose.certificate_arns:
            # pkg/service/model_build_listener.go (LBC v3.5.0): TLS listeners only from ssl-cert ARNs.
            yield Problem(
                (*at, "expose", "https"),
                "an NLB serves TLS only with certificateArns: LBC discovers no certificates for Services, "
                "so this app would get a plain TCP listener; set certificateArns",
            )
        for host in getattr(expose, "hosts", ()):
            if domains and not any(host_in_domain(host, d) for d in domains):
                yield Problem(
                    (*at, "expose", "hosts"),
                    f"host {host!r} is outside every externalDns.domainFilters entry ({', '.join(domains)})",
                )
            owner = host_owner.setdefault(host, (index, expose.type))
            if owner[0] != index and (owner[1] != expose.type or expose.type == "nlb"):
                # plan/conflict.go (ExternalDNS v0.21.0): one name gets the targets of one resource only.
                yield Problem(
                    (*at, "expose", "hosts"),
                    f"host {host!r} is already used by apps[{owner[0]}] on another load balancer: "
                    "ExternalDNS points "
                    "a name at one load balancer only, so one app would get no traffic; give each its own "
                    "host "
                    "(apps on the shared Gateway or one IngressGroup may share one)",
                )
    explicit = profile.external_dns.sources
    if explicit is not None:
        missing = sorted(set(profile.derived_sources()) - set(explicit))
        if missing:
            yield Problem(
                ("externalDns", "sources"), f"missing {', '.join(missing)}: apps' hosts would get no records"
            )


def _release_problems(profile: Profile) -> Iterator[Problem]:
    """Chart and controller releases that do not belong together, or that eksnet cannot answer for."""
    controller = profile.load_balancer_controller
    chart = controller.chart_version
    try:
        shipped, major = lbc.chart_version(controller.version), lbc.chart_major(controller.version)
    except UnknownRelease:
        shipped, major = None, None  # reported where the release is used, at loadBalancerController.version
    # helm/aws-load-balancer-controller/Chart.yaml at each tag (versions.lbc): one chart per release.
    if chart is not None and (
        (shipped is not None and chart != shipped)
        or (shipped is None and major is not None and not chart.startswith(f"{major}."))
    ):
        expected = shipped or f"a {major}.x chart"
        yield Problem(
            ("loadBalancerController", "chartVersion"),
            f"chart {chart} does not ship controller {controller.version} (that is chart {expected}): helm "
            "would "
            "install another release's CRDs and RBAC; remove chartVersion (eksnet derives it) or set "
            f"{expected}",
        )
    try:
        profile.external_dns.release  # noqa: B018 - validates chart and version against the table
    except UnknownRelease as exc:
        field = "version" if profile.external_dns.version else "chartVersion"
        yield Problem(("externalDns", field), str(exc))


def _gateway_problems(
    profile: Profile, app: App, at: tuple[str | int, ...], lbc_version: str, resolved: tuple[App, ...]
) -> Iterator[Problem]:
    expose = app.expose
    assert isinstance(expose, GatewayExposure)
    if version_tuple(lbc_version) < GATEWAY_L7_MIN_LBC:
        yield Problem(
            (*at, "expose", "type"),
            f"gateway exposure needs AWS Load Balancer Controller v2.14.0 or newer "
            f"(loadBalancerController.version is {lbc_version})",
        )
    gateway = profile.gateway_api
    for path, message in app_gateway_problems(gateway, resolved, at[1], lbc_version):  # type: ignore[arg-type]
        yield Problem((*at, *path), message)
    namespace = app.namespace or profile.defaults.namespace
    if expose.gateway is None and gateway.allowed_routes == "Same" and namespace != gateway.namespace:
        yield Problem(
            (*at, "namespace"),
            f"gatewayApi.allowedRoutes is Same but the app is in {namespace!r}, not {gateway.namespace!r}: "
            "the "
            "Gateway does not accept its route (Accepted=False, NotAllowedByListeners); set "
            "gatewayApi.allowedRoutes: "
            "All or move the app",
        )
