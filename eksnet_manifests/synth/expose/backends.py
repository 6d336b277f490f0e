"""Apps that other apps' routes send traffic to: the ReferenceGrants and target group settings they need.

A route's backend in another namespace needs a ReferenceGrant in the backend's namespace (Gateway API
``ReferenceGrant``; LBC reports RefNotPermitted without one): eksnet writes one per backend app, listing
exactly the route kinds and namespaces that reference its Service. A backend that is not itself a gateway
app still needs a TargetGroupConfiguration with IP targets, or LBC registers instance targets
(``targetType`` defaults to instance, LBC docs ``guide/gateway/targetgroupconfig.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.exposure import GatewayExposure
from eksnet_manifests.synth.context import BuildContext, app_labels
from eksnet_manifests.synth.workload import Manifest

GATEWAY_API_GROUP = "gateway.networking.k8s.io"
# The backend app's own objects for other apps' routes: where their fields come from (see synth.provenance).
BACKEND_FIELDS: dict[str, dict[str, tuple[str | int, ...]]] = {
    "ReferenceGrant": {"metadata.namespace": ("namespace",)},
}


@dataclass(frozen=True)
class Reference:
    """A route of another app that sends traffic to an app's Service."""

    route_kind: str
    route_namespace: str
    route_name: str
    load_balancer: str
    """``alb`` or ``nlb``: the type of the Gateway the route is on."""
    protocol: str
    """The target group protocol on that load balancer."""


def references_to(app: App, ctx: BuildContext) -> list[Reference]:
    """Routes of other apps with ``app`` among their backends, sorted."""
    return ctx.memo("backend-references", backend_references).get(app.name, [])


def backend_references(ctx: BuildContext) -> dict[str, list[Reference]]:
    """Per app name, the routes of other apps that send traffic to it."""
    found: dict[str, set[Reference]] = {}
    for other in ctx.apps.values():
        expose = other.expose
        if not isinstance(expose, GatewayExposure):
            continue
        targets = {backend.app for rule in expose.rules for backend in rule.backends} - {other.name}
        if not targets:
            continue
        where = ctx.attachment(other)
        lb = where.gateway.type
        protocol = where.target_protocol(expose) if lb == "nlb" else "HTTP"
        for target in targets:
            found.setdefault(target, set()).add(
                Reference(where.kind, str(other.namespace), other.name, lb, protocol)
            )
    return {
        name: sorted(refs, key=lambda ref: (ref.route_namespace, ref.route_kind, ref.route_name))
        for name, refs in found.items()
    }


def build_backend_objects(app: App, ctx: BuildContext) -> list[Manifest]:
    """The ReferenceGrant for routes from other namespaces, and, for an app that is no gateway app itself,
    the TargetGroupConfiguration its Service needs as a backend."""
    references = references_to(app, ctx)
    objects: list[Manifest] = []
    if references and not isinstance(app.expose, GatewayExposure):
        default: dict[str, object] = {"targetType": "ip"}
        if len({ref.load_balancer for ref in references}) == 1:
            default["protocol"] = references[0].protocol
        objects.append(
            {
                "apiVersion": ctx.api_version("TargetGroupConfiguration"),
                "kind": "TargetGroupConfiguration",
                "metadata": {
                    "name": app.name,
                    "namespace": app.namespace,
                    "labels": app_labels(app.name, app.labels),
                },
                "spec": {"targetReference": {"name": app.name}, "defaultConfiguration": default},
            }
        )
    sources = sorted(
        {(ref.route_kind, ref.route_namespace) for ref in references if ref.route_namespace != app.namespace}
    )
    if sources:
        objects.append(
            {
                "apiVersion": ctx.api_version("ReferenceGrant"),
                "kind": "ReferenceGrant",
                "metadata": {
                    "name": app.name,
                    "namespace": app.namespace,
                    "labels": app_labels(app.name, app.labels),
                },
                "spec": {
                    "from": [
                        {"group": GATEWAY_API_GROUP, "kind": kind, "namespace": namespace}
                        for kind, namespace in sources
                    ],
                    "to": [{"group": "", "kind": "Service", "name": app.name}],
                },
            }
        )
    return objects


def route_configurations(app: App, own_load_balancer: str, ctx: BuildContext) -> list[dict[str, object]]:
    """``routeConfigurations`` for routes of other apps on another load balancer type than the app's own
    route: their target groups take that load balancer's protocol, not the app's."""
    return [
        {
            "routeIdentifier": {
                "kind": ref.route_kind,
                "namespace": ref.route_namespace,
                "name": ref.route_name,
            },
            "targetGroupProps": {"protocol": ref.protocol},
        }
        for ref in references_to(app, ctx)
        if ref.load_balancer != own_load_balancer
    ]
