"""One builder per exposure kind, joined in an explicit registry."""

from __future__ import annotations

from collections.abc import Callable

from eksnet_manifests.profile.app import App
from eksnet_manifests.synth.context import BuildContext
from eksnet_manifests.synth.expose.alb_ingress import build_alb_ingress
from eksnet_manifests.synth.expose.gateway import build_gateway_route
from eksnet_manifests.synth.expose.nlb import build_nlb
from eksnet_manifests.synth.workload import Manifest, build_service

ExposureBuilder = Callable[[App, BuildContext], list[Manifest]]


def build_cluster_ip(app: App, ctx: BuildContext) -> list[Manifest]:
    """No load balancer: reachable inside the cluster only."""
    return [build_service(app)]


EXPOSURES: dict[str, ExposureBuilder] = {
    "nlb": build_nlb,
    "alb": build_alb_ingress,
    "gateway": build_gateway_route,
    "none": build_cluster_ip,
}


def expose(app: App, ctx: BuildContext) -> list[Manifest]:
    """The objects that make ``app`` reachable the way its spec says (Service first)."""
    return EXPOSURES[app.expose.type](app, ctx)
