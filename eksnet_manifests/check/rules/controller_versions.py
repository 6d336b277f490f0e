"""Controller release against the installed Gateway API: every kind a controller watches must be served.

A controller's informer on a kind the cluster does not serve at that version never syncs, so the
controller does not start. Versions come from the chart values (``image.tag``) and what the cluster
serves from the pinned releases or the CRDs given (``LintOptions.served``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.index import (
    GATEWAY_GROUP,
    Lint,
    LintOptions,
    ObjectIndex,
    some_objects,
    values_finding,
)
from eksnet_manifests.check.lint.lbc import ALB_CONTROLLER, NLB_CONTROLLER, lbc_gateways
from eksnet_manifests.check.lint.values import ChartValues, external_dns_sources, feature_gate, image_tag
from eksnet_manifests.check.pins import ServedApis
from eksnet_manifests.check.values_files import EXTERNAL_DNS, LBC
from eksnet_manifests.versions import external_dns, gateway_api, lbc
from eksnet_manifests.versions.release import UnknownRelease

LBC_UNSERVED = "lbc-gateway-api-unserved"
LBC_GATE_TURNED_OFF = "lbc-gateway-gate-turned-off"
EXTERNAL_DNS_UNSERVED = "external-dns-gateway-api-unserved"

_GATE_CONTROLLERS = {lbc.ALB_GATE: ALB_CONTROLLER, lbc.NLB_GATE: NLB_CONTROLLER}


def check_lbc_gateway_api(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """The Gateway API kinds the pinned LBC release watches under its gates must be served; and a gate
    the start-up CRD detection turns off must not be one the input's Gateways rely on."""
    values = index.values.get(LBC)
    version = _release(index, values, lbc.table_release, lbc.PRODUCT)
    if values is None or version is None:
        return
    if not opts.served.knows(GATEWAY_GROUP):
        index.notes.append(_unknown_gateway_api(f"{lbc.PRODUCT} {version}"))
        return
    explicit = {gate: on for gate in lbc.GATEWAY_GATES if (on := feature_gate(values, gate)) is not None}
    controllers = lbc.gateway_controllers(version, explicit, opts.served.versions)
    installed = opts.served.source(GATEWAY_GROUP)
    # controllers/gateway/gateway_controller.go setup*ControllerWatches (LBC v2.13.0-v3.5.0): one informer
    # per kind.
    unserved = controllers.unserved(opts.served.versions)
    if unserved:
        gates = sorted({gate for watch in unserved for gate in watch.gates})
        watched = ", ".join(f"{w.kind} {GATEWAY_GROUP}/{w.version}" for w in unserved)
        message = (
            f"{lbc.PRODUCT} {version} watches {watched} ({', '.join(gates)}), which {installed} does not "
            "serve "
            f"({_served_text(opts.served, unserved)}): its informers never sync and the controller does not "
            f"start. {_gateway_api_fix(opts.served, [(w.kind, w.version) for w in controllers.watches])}, "
            f"or set {' and '.join(f'{gate}: false' for gate in gates)}"
        )
        yield values_finding(values, ("image", "tag"), LBC_UNSERVED, Severity.ERROR, message)
    # pkg/gateway/crddetect/gateway_feature_flags.go ApplyGatewayCRDDetection (LBC v3.2.0-v3.5.0).
    for gate, missing in controllers.disabled.items():
        relying = [
            gateway
            for gateway, controller in lbc_gateways(index)
            if controller == _GATE_CONTROLLERS.get(gate)
        ]
        if relying:
            message = (
                f"{lbc.PRODUCT} {version} turns {gate} off at start-up because the cluster lacks "
                f"{', '.join(missing)} ({installed} and the LBC {version} CRDs), so nothing reconciles "
                f"{some_objects(relying)}. Install the missing CRDs (the LBC ones of {version} too)"
            )
            yield values_finding(values, ("image", "tag"), LBC_GATE_TURNED_OFF, Severity.ERROR, message)


def check_external_dns_gateway_api(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """Each gateway-* source of the pinned ExternalDNS watches Gateways and its route kind at fixed API
    versions, which the installed Gateway API must serve."""
    values = index.values.get(EXTERNAL_DNS)
    version = _release(index, values, external_dns.table_release, external_dns.PRODUCT)
    if values is None or version is None:
        return
    sources = [
        source for source in external_dns_sources(values) if external_dns.source_watches(version, source)
    ]
    if sources and not opts.served.knows(GATEWAY_GROUP):
        index.notes.append(_unknown_gateway_api(f"{external_dns.PRODUCT} {version}"))
        return
    installed = opts.served.source(GATEWAY_GROUP)
    for source in sources:
        # source/gateway.go newGatewayRouteSource WaitForCacheSync (ExternalDNS v0.14.0-v0.22.0): start fails.
        needs = external_dns.source_watches(version, source)
        unserved = [
            (kind, api) for kind, api in needs if api not in opts.served.versions(GATEWAY_GROUP, kind)
        ]
        if not unserved:
            continue
        watched = ", ".join(f"{kind} {GATEWAY_GROUP}/{api}" for kind, api in unserved)
        fixes = [_gateway_api_fix(opts.served, needs)]
        newer = _external_dns_serving(opts.served, source, version)
        if newer:
            fixes.append(f"use ExternalDNS {newer} or newer")
        message = (
            f"ExternalDNS {version} source {source} watches {watched}, which {installed} does not serve: "
            f"its informers never sync and ExternalDNS does not start. {', '.join(fixes)}, or remove the "
            "source"
        )
        yield values_finding(values, ("sources",), EXTERNAL_DNS_UNSERVED, Severity.ERROR, message)


def _release(
    index: ObjectIndex, values: ChartValues | None, table_release: Callable[[str], str], product: str
) -> str | None:
    if values is None:
        return None
    version = image_tag(values)
    if version is None:
        index.notes.append(
            f"{values.file} pins no image.tag: the {product} release is unknown, so what it watches is not "
            "checked"
        )
        return None
    try:
        table_release(version)
    except UnknownRelease as exc:
        index.notes.append(f"{values.file}: {exc}; what it watches is not checked")
        return None
    return version


def _unknown_gateway_api(controller: str) -> str:
    return (
        f"the Gateway API release installed is unknown (pin gatewayApi.version with --profile, or give the "
        f"Gateway API CRDs with --crds), so whether {controller} can watch its kinds is not checked"
    )


def _served_text(served: ServedApis, watches: Iterable[lbc.Watch]) -> str:
    parts = []
    for watch in watches:
        versions = sorted(served.versions(GATEWAY_GROUP, watch.kind))
        parts.append(f"{watch.kind}: {', '.join(versions) if versions else 'not installed'}")
    return "; ".join(parts)


def _gateway_api_fix(served: ServedApis, needs: Iterable[tuple[str, str]]) -> str:
    """Where the needed kinds are served: the first release from the installed one on, in the installed
    channel, else in the other."""
    installed = served.gateway_api_version
    channels = [served.gateway_api_channel] if served.gateway_api_channel else []
    channels += [channel for channel in gateway_api.CHANNELS if channel not in channels]
    for since in ([installed] if installed else []) + [None]:
        for channel in channels:
            release = gateway_api.first_release_serving(channel, needs, since)
            if release is None:
                continue
            if release == installed:
                return f"Install the {channel} channel of Gateway API {release} (gatewayApi.channel)"
            return f"Install Gateway API {release} or newer ({channel} channel; gatewayApi.version)"
    return "No Gateway API release eksnet knows serves them all"


def _external_dns_serving(served: ServedApis, source: str, version: str) -> str | None:
    later = external_dns.RELEASES[external_dns.RELEASES.index(external_dns.table_release(version)) + 1 :]
    for release in later:
        needs = external_dns.source_watches(release, source)
        if all(api in served.versions(GATEWAY_GROUP, kind) for kind, api in needs):
            return release
    return None


LBC_GATEWAY_API = Lint("lbc-gateway-api", (LBC_UNSERVED, LBC_GATE_TURNED_OFF), check_lbc_gateway_api)
EXTERNAL_DNS_GATEWAY_API = Lint(
    "external-dns-gateway-api", (EXTERNAL_DNS_UNSERVED,), check_external_dns_gateway_api
)
