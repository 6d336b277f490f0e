"""The API versions a cluster serves, from the releases it runs (pins) or the CRDs given, for the rules.

Served versions come from the version tables when a release is pinned (so the rules hold offline, without
any CRD file), else from the CRDs given to the check; a group neither source covers is unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from eksnet_manifests.versions import gateway_api, lbc
from eksnet_manifests.versions.pins import Pins
from eksnet_manifests.versions.release import UnknownRelease

GATEWAY_API_GROUPS = frozenset({gateway_api.GROUP, gateway_api.EXPERIMENTAL_GROUP})
LBC_GROUPS = frozenset({lbc.GROUP, "elbv2.k8s.aws", "aga.k8s.aws"})


VersionsOf = Callable[[str], frozenset[str]]  # kind -> served versions


@dataclass(frozen=True)
class ServedApis:
    """Per API group, what the cluster serves and where that is known from."""

    groups: Mapping[str, tuple[str, VersionsOf]] = field(default_factory=dict)
    gateway_api_channel: str | None = None
    """The pinned Gateway API channel, when the Gateway API group is known from a pin."""
    gateway_api_version: str | None = None
    """The pinned Gateway API release, when the Gateway API group is known from a pin."""
    lbc_version: str | None = None
    """The pinned LBC release (the profile's, else the values' ``image.tag``)."""

    def knows(self, group: str) -> bool:
        return group in self.groups

    def source(self, group: str) -> str:
        return self.groups[group][0] if group in self.groups else "unknown"

    def versions(self, group: str, kind: str) -> frozenset[str]:
        return self.groups[group][1](kind) if group in self.groups else frozenset()


def served_apis(pins: Pins | None, crds: Mapping[tuple[str, str], Iterable[str]] | None = None) -> ServedApis:
    """What the cluster serves: the pinned releases' tables first, the CRDs ``crds`` ((group, kind) ->
    served versions) for groups no pin covers."""
    groups: dict[str, tuple[str, VersionsOf]] = {}
    by_group: dict[str, dict[str, frozenset[str]]] = {}
    for (group, kind), versions in (crds or {}).items():
        by_group.setdefault(group, {})[kind] = frozenset(versions)
    for group, kinds in by_group.items():
        groups[group] = ("the CRDs given", _lookup(kinds))
    channel = version = None
    if pins is not None and pins.gateway_api and _known(gateway_api.table_release, pins.gateway_api):
        channel, version = pins.channel, pins.gateway_api
        label = f"{gateway_api.PRODUCT} {pins.gateway_api} ({pins.channel})"
        for group in GATEWAY_API_GROUPS:
            groups[group] = (label, _gateway_api_versions(pins.gateway_api, pins.channel, group))
    if pins is not None and pins.lbc and _known(lbc.table_release, pins.lbc):
        served = lbc.served_gateway_aws_versions(pins.lbc)
        groups[lbc.GROUP] = (
            f"the CRDs of {lbc.PRODUCT} {pins.lbc}",
            lambda kind: frozenset(served.get(kind, ())),
        )
    return ServedApis(groups, channel, version, pins.lbc if pins is not None else None)


def _lookup(kinds: Mapping[str, frozenset[str]]) -> VersionsOf:
    return lambda kind: kinds.get(kind, frozenset())


def _gateway_api_versions(version: str, channel: str, group: str) -> VersionsOf:
    return lambda kind: gateway_api.served_versions(version, channel, group, kind)


def _known(table_release: Callable[[str], str], version: str) -> bool:
    try:
        table_release(version)
    except UnknownRelease:
        return False
    return True
