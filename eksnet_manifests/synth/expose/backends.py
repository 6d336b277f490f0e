"""Apps that other apps' routes send traffic to: the ReferenceGrants and target group settings they need.

A route's backend in another namespace needs a ReferenceGrant in the backend's namespace (Gateway API
``ReferenceGrant``; LBC reports RefNotPermitted without one): eksnet writes one per backend app, listing
exactly the route kinds and namespaces that reference its Service. A backend that is not itself a gateway
app still needs a TargetGroupConfiguration with IP targets, or LBC registers instance targets
(``targetType`` defaults to instance, LBC docs ``guide/gateway/targetgroupconfig.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.exposure import GatewayExposure
from eksnet_manifests.profile.target_group import TargetGroupSettings
from eksnet_manifests.synth.context import BuildContext, app_labels
from eksnet_manifests.synth.expose.target_groups import target_group_settings
from eksnet_manifests.synth.workload import Manifest

GATEWAY_API_GROUP = "gateway.networking.k8s.io"
# The backend app's own objects for other apps' routes: where their fields come from (see synth.provenance).
BACKEND_FIELDS: dict[str, dict[str, tuple[str | int, ...]]] = {
    "ReferenceGrant": {"metadata.namespace": ("namespace",)},
}


@dataclass(frozen=True)
class Reference:
    """A route that sends traffic to an app's Service: another app's, or the app's own with per-route
    target group settings."""

    route_kind: str
    route_namespace: str
    route_name: str
    load_balancer: str
    """``alb`` or ``nlb``: the type of the Gateway the route is on."""
    protocol: str
    """The target group protocol on that load balancer."""
    settings: TargetGroupSettings | None = field(default=None, compare=False)
    """The route's ``backends[].targetGroup`` for this Service (the first of the route that sets one)."""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.route_namespace, self.route_kind, self.route_name)


def references_to(app: App, ctx: BuildContext) -> list[Reference]:
    """Routes of other apps with ``app`` among their backends, and the app's own route when one of its
    backends gives target group settings, sorted."""
    return ctx.memo("backend-references", backend_references).get(app.name, [])


def backend_references(ctx: BuildContext) -> dict[str, list[Reference]]:
    """Per app name, the routes that send traffic to it (see ``references_to``)."""
    found: dict[str, dict[tuple[str, str, str], Reference]] = {}
    for other in ctx.apps.values():
        expose = other.expose
        if not isinstance(expose, GatewayExposure):
            continue
        backends = [backend for rule in expose.rules for backend in rule.backends]
        if not any(backend.app != other.name or backend.target_group for backend in backends):
            continue
        where = ctx.attachment(other)
        lb = where.gateway.type
        protocol = where.target_protocol(expose) if lb == "nlb" else "HTTP"
        for backend in backends:
            if backend.app == other.name and backend.target_group is None:
                continue
            reference = Reference(
                where.kind, str(other.namespace), other.name, lb, protocol, backend.target_group
            )
            known = found.setdefault(backend.app, {}).get(reference.key)
            if known is None or (known.settings is None and reference.settings is not None):
                found[backend.app][reference.key] = reference
    return {name: sorted(refs.values(), key=lambda ref: ref.key) for name, refs in found.items()}


def build_backend_objects(app: App, ctx: BuildContext) -> list[Manifest]:
    """The ReferenceGrant for routes from other namespaces, and, for an app that is no gateway app itself,
    the TargetGroupConfiguration its Service needs as a backend."""
    references = references_to(app, ctx)
    objects: list[Manifest] = []
    if references and not isinstance(app.expose, GatewayExposure):
        default: dict[str, object] = {"targetType": "ip"}
        types = {ref.load_balancer for ref in references}
        if len(types) == 1:
            default["protocol"] = references[0].protocol
        spec: dict[str, object] = {"targetReference": {"name": app.name}, "defaultConfiguration": default}
        routes = route_configurations(app, types.pop() if len(types) == 1 else None, ctx)
        if routes:
            spec["routeConfigurations"] = routes
        objects.append(
            {
                "apiVersion": ctx.api_version("TargetGroupConfiguration"),
                "kind": "TargetGroupConfiguration",
                "metadata": {
                    "name": app.name,
                    "namespace": app.namespace,
                    "labels": app_labels(app.name, app.labels),
                },
                "spec": spec,
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


def route_configurations(
    app: App, own_load_balancer: str | None, ctx: BuildContext
) -> list[dict[str, object]]:
    """``routeConfigurations`` of the app's TargetGroupConfiguration: per route, its
    ``backends[].targetGroup`` settings, and for a route on another load balancer type than
    ``own_load_balancer`` that type's protocol."""
    entries = []
    version = ctx.profile.load_balancer_controller.version
    for ref in references_to(app, ctx):
        props: dict[str, object] = {}
        if ref.load_balancer != own_load_balancer:
            props["protocol"] = ref.protocol
        if ref.settings is not None:
            props |= target_group_settings(ref.settings, version)
        if props:
            identifier = {"kind": ref.route_kind, "namespace": ref.route_namespace, "name": ref.route_name}
            entries.append({"routeIdentifier": identifier, "targetGroupProps": props})
    return entries
