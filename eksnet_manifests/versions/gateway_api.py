"""Gateway API releases: the kinds each release serves per channel, with their API versions.

Source: kubernetes-sigs/gateway-api at the tags in ``RELEASES`` (v1.0.0 to v1.6.1),
``config/crd/<channel>/*.yaml`` (``spec.versions[].served``, ``storage``); the install manifest
of a release is its asset ``<channel>-install.yaml``, built from those files. Each history gives
the release a kind's served versions took effect in; ``None`` means the kind left the channel.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from eksnet_manifests.versions.release import History, in_force, nearest_known, newest_api_version

PRODUCT = "Gateway API"
GROUP = "gateway.networking.k8s.io"
EXPERIMENTAL_GROUP = "gateway.networking.x-k8s.io"
CHANNELS = ("standard", "experimental")
RELEASE_ASSET_URL = (
    "https://github.com/kubernetes-sigs/gateway-api/releases/download/{version}/{channel}-install.yaml"
)

RELEASES: tuple[str, ...] = (
    "v1.0.0", "v1.1.0", "v1.1.1", "v1.2.0", "v1.2.1", "v1.3.0", "v1.4.0", "v1.4.1", "v1.5.0", "v1.5.1",
    "v1.6.0", "v1.6.1",
)  # fmt: skip


@dataclass(frozen=True)
class ServedKind:
    group: str
    served: tuple[str, ...]
    storage: str

    @property
    def preferred(self) -> str:
        """The version to write: the most stable and newest one served."""
        return newest_api_version(self.served)


def _kind(served: str, group: str = GROUP) -> ServedKind:
    """``"v1* v1beta1"``: the served versions, the storage one marked with ``*``."""
    versions = served.split()
    storage = next(version.rstrip("*") for version in versions if version.endswith("*"))
    return ServedKind(group, tuple(sorted(version.rstrip("*") for version in versions)), storage)


# kind -> channel -> (release, what it serves from then on).
_SERVED: dict[str, dict[str, History[ServedKind | None]]] = {
    "GatewayClass": {
        "standard": (("v1.0.0", _kind("v1 v1beta1*")), ("v1.1.0", _kind("v1* v1beta1"))),
        "experimental": (("v1.0.0", _kind("v1 v1beta1*")), ("v1.1.0", _kind("v1* v1beta1"))),
    },
    "Gateway": {
        "standard": (("v1.0.0", _kind("v1 v1beta1*")), ("v1.1.0", _kind("v1* v1beta1"))),
        "experimental": (("v1.0.0", _kind("v1 v1beta1*")), ("v1.1.0", _kind("v1* v1beta1"))),
    },
    "HTTPRoute": {
        "standard": (("v1.0.0", _kind("v1 v1beta1*")), ("v1.1.0", _kind("v1* v1beta1"))),
        "experimental": (("v1.0.0", _kind("v1 v1beta1*")), ("v1.1.0", _kind("v1* v1beta1"))),
    },
    "GRPCRoute": {
        "standard": (("v1.1.0", _kind("v1*")),),
        "experimental": (
            ("v1.0.0", _kind("v1alpha2*")),
            ("v1.1.0", _kind("v1* v1alpha2")),
            ("v1.2.0", _kind("v1*")),
        ),
    },
    "ReferenceGrant": {
        "standard": (
            ("v1.0.0", _kind("v1alpha2 v1beta1*")),
            ("v1.1.0", _kind("v1beta1*")),
            ("v1.5.0", _kind("v1 v1beta1*")),
        ),
        "experimental": (
            ("v1.0.0", _kind("v1alpha2 v1beta1*")),
            ("v1.2.0", _kind("v1beta1*")),
            ("v1.5.0", _kind("v1 v1beta1*")),
        ),
    },
    "BackendTLSPolicy": {
        "standard": (("v1.4.0", _kind("v1*")),),
        "experimental": (
            ("v1.0.0", _kind("v1alpha2*")),
            ("v1.1.0", _kind("v1alpha3*")),
            ("v1.4.0", _kind("v1* v1alpha3")),
        ),
    },
    "BackendLBPolicy": {
        "experimental": (("v1.1.0", _kind("v1alpha2*")), ("v1.3.0", None)),
    },
    "ListenerSet": {
        "standard": (("v1.5.0", _kind("v1*")),),
        "experimental": (("v1.5.0", _kind("v1*")),),
    },
    "TLSRoute": {
        "standard": (("v1.5.0", _kind("v1*")),),
        "experimental": (
            ("v1.0.0", _kind("v1alpha2*")),
            ("v1.4.0", _kind("v1alpha2 v1alpha3*")),
            ("v1.5.0", _kind("v1* v1alpha2 v1alpha3")),
        ),
    },
    "TCPRoute": {
        "standard": (("v1.6.0", _kind("v1*")),),
        "experimental": (("v1.0.0", _kind("v1alpha2*")), ("v1.6.0", _kind("v1* v1alpha2"))),
    },
    "UDPRoute": {
        "standard": (("v1.6.0", _kind("v1*")),),
        "experimental": (("v1.0.0", _kind("v1alpha2*")), ("v1.6.0", _kind("v1* v1alpha2"))),
    },
    "XBackendTrafficPolicy": {"experimental": (("v1.3.0", _kind("v1alpha1*", EXPERIMENTAL_GROUP)),)},
    "XListenerSet": {
        "experimental": (("v1.3.0", _kind("v1alpha1*", EXPERIMENTAL_GROUP)), ("v1.5.0", None)),
    },
    "XMesh": {"experimental": (("v1.4.0", _kind("v1alpha1*", EXPERIMENTAL_GROUP)),)},
    "XBackend": {"experimental": (("v1.6.0", _kind("v1alpha1*", EXPERIMENTAL_GROUP)),)},
}


def known_release(version: str) -> bool:
    return version in RELEASES


def table_release(version: str) -> str:
    """``version`` itself when listed, else the nearest lower listed release (UnknownRelease if none)."""
    return nearest_known(version, RELEASES, PRODUCT)


def served_kinds(version: str, channel: str) -> dict[str, ServedKind]:
    """Every kind the release's ``channel`` installs, by name."""
    release = table_release(version)
    found: dict[str, ServedKind] = {}
    for kind, channels in sorted(_SERVED.items()):
        served = in_force(channels.get(channel, ()), release)
        if served is not None:
            found[kind] = served
    return found


def served_versions(version: str, channel: str, group: str, kind: str) -> frozenset[str]:
    """API versions of ``group``/``kind`` the release's channel serves (empty when not installed)."""
    served = served_kinds(version, channel).get(kind)
    return frozenset(served.served) if served is not None and served.group == group else frozenset()


def api_version(version: str, channel: str, kind: str) -> str | None:
    """``group/version`` to write for ``kind`` under the release and channel; None when not installed."""
    served = served_kinds(version, channel).get(kind)
    return f"{served.group}/{served.preferred}" if served is not None else None


def first_release_serving(
    channel: str, needs: Iterable[tuple[str, str]], since: str | None = None
) -> str | None:
    """The oldest release (at or after ``since``) whose channel serves every (kind, version) of ``needs``."""
    wanted = tuple(needs)
    start = RELEASES.index(table_release(since)) if since else 0
    for release in RELEASES[start:]:
        kinds = served_kinds(release, channel)
        if all(kind in kinds and api in kinds[kind].served for kind, api in wanted):
            return release
    return None


def install_url(version: str, channel: str) -> str:
    return RELEASE_ASSET_URL.format(version=version, channel=channel)
