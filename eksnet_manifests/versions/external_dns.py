"""ExternalDNS facts per release: chart to app version, the annotation prefix, route versions watched.

Source: kubernetes-sigs/external-dns. Chart ``version``/``appVersion`` from
``charts/external-dns/Chart.yaml`` at the tags ``external-dns-helm-chart-<version>``; the annotation
prefix from ``source/annotations/annotations.go`` (``DefaultAnnotationPrefix``; before v0.20.0
``source/source.go``) and the Gateway API versions from the informers in ``source/gateway*.go``
at the app tags in ``RELEASES``.
"""

from __future__ import annotations

from eksnet_manifests.versions.release import History, in_force, nearest_known

PRODUCT = "ExternalDNS"
ALPHA_PREFIX = "external-dns.alpha.kubernetes.io/"
GA_PREFIX = "external-dns.kubernetes.io/"

RELEASES: tuple[str, ...] = (
    "v0.14.0", "v0.14.1", "v0.14.2", "v0.15.0", "v0.15.1", "v0.16.0", "v0.16.1", "v0.17.0", "v0.18.0",
    "v0.19.0", "v0.20.0", "v0.21.0", "v0.22.0",
)  # fmt: skip

# chart version -> the app version it deploys (image tag v<appVersion>).
CHARTS: dict[str, str] = {
    "1.14.3": "v0.14.0", "1.14.4": "v0.14.1", "1.14.5": "v0.14.2", "1.15.0": "v0.15.0", "1.15.1": "v0.15.1",
    "1.15.2": "v0.15.1", "1.16.0": "v0.16.1", "1.16.1": "v0.16.1", "1.17.0": "v0.17.0", "1.18.0": "v0.18.0",
    "1.19.0": "v0.19.0", "1.20.0": "v0.20.0", "1.21.0": "v0.21.0", "1.21.1": "v0.21.0",
}  # fmt: skip

# v0.22.0 switched the default to the GA prefix and reads no other (``--annotation-prefix`` aside).
_ANNOTATION_PREFIX: History[str] = (("v0.14.0", ALPHA_PREFIX), ("v0.22.0", GA_PREFIX))

Watched = tuple[tuple[str, str], ...]  # (Gateway API kind, version)
# Every gateway-* source also watches Gateways; per source, the kinds and versions it lists.
_GATEWAY: History[str] = (
    ("v0.14.0", "v1beta1"),
    ("v0.14.1", "v1"),
    ("v0.15.0", "v1beta1"),
    ("v0.21.0", "v1"),
)
_ROUTES: dict[str, History[str]] = {
    "gateway-httproute": (
        ("v0.14.0", "v1beta1"),
        ("v0.14.1", "v1"),
        ("v0.15.0", "v1beta1"),
        ("v0.21.0", "v1"),
    ),
    "gateway-grpcroute": (("v0.14.0", "v1alpha2"), ("v0.15.0", "v1")),
    "gateway-tlsroute": (("v0.14.0", "v1alpha2"), ("v0.22.0", "v1")),
    "gateway-tcproute": (("v0.14.0", "v1alpha2"),),
    "gateway-udproute": (("v0.14.0", "v1alpha2"),),
}
# Routes attached to ListenerSets: the --gateway-listener-sets flag from v0.21.0, the chart's
# ``enableGatewayListenerSets`` value from chart 1.21.0 (charts/external-dns/values.yaml).
LISTENER_SETS_CHART = "1.21.0"

ROUTE_KINDS = {
    "gateway-httproute": "HTTPRoute",
    "gateway-grpcroute": "GRPCRoute",
    "gateway-tlsroute": "TLSRoute",
    "gateway-tcproute": "TCPRoute",
    "gateway-udproute": "UDPRoute",
}


def table_release(version: str) -> str:
    return nearest_known(version, RELEASES, PRODUCT)


def app_version(chart_version: str) -> str | None:
    """The ExternalDNS release a chart version deploys; None for a chart eksnet does not know."""
    return CHARTS.get(chart_version)


def annotation_prefix(version: str) -> str:
    """The prefix of the annotations (hostname, ttl, target, ...) ``version`` reads."""
    prefix = in_force(_ANNOTATION_PREFIX, table_release(version))
    assert prefix is not None  # the history starts at the first release
    return prefix


def source_watches(version: str, source: str) -> Watched:
    """The Gateway API kinds and versions a ``gateway-*`` source watches; empty for other sources."""
    release = table_release(version)
    if source not in _ROUTES:
        return ()
    return (
        ("Gateway", str(in_force(_GATEWAY, release))),
        (ROUTE_KINDS[source], str(in_force(_ROUTES[source], release))),
    )
