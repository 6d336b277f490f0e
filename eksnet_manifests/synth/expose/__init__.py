"""One builder per exposure kind, in explicit registries: the objects, and where their fields come from."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from eksnet_manifests.profile.app import App
from eksnet_manifests.synth.context import BuildContext
from eksnet_manifests.synth.expose.alb_ingress import alb_fields, build_alb_ingress
from eksnet_manifests.synth.expose.gateway import build_gateway_route, gateway_fields
from eksnet_manifests.synth.expose.nlb import build_nlb, nlb_fields
from eksnet_manifests.synth.provenance import FieldPath
from eksnet_manifests.synth.workload import SERVICE_FIELDS, Manifest, build_service

ExposureBuilder = Callable[[App, BuildContext], list[Manifest]]
FieldSources = Callable[[BuildContext, App], Mapping[str, Mapping[str, FieldPath]]]


def build_cluster_ip(app: App, ctx: BuildContext) -> list[Manifest]:
    """No load balancer: reachable inside the cluster only."""
    return [build_service(app)]


EXPOSURES: dict[str, ExposureBuilder] = {
    "nlb": build_nlb,
    "alb": build_alb_ingress,
    "gateway": build_gateway_route,
    "none": build_cluster_ip,
}
# Per exposure kind: per generated kind, generated field -> app field.
FIELD_SOURCES: dict[str, FieldSources] = {
    "nlb": lambda ctx, app: nlb_fields(ctx),
    "alb": alb_fields,
    "gateway": gateway_fields,
    "none": lambda ctx, app: {"Service": SERVICE_FIELDS},
}


def expose(app: App, ctx: BuildContext) -> list[Manifest]:
    """The objects that make ``app`` reachable the way its spec says (Service first)."""
    return EXPOSURES[app.expose.type](app, ctx)
