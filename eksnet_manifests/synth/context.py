"""Facts every builder shares, computed once per profile."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from eksnet_manifests.errors import BuildError, Location
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.helm.features import gateway_aws_api_version
from eksnet_manifests.versions import external_dns, gateway_api
from eksnet_manifests.versions.release import UnknownRelease

MANAGED_BY = {"app.kubernetes.io/managed-by": "eksnet"}
GATEWAY_API_KINDS = ("GatewayClass", "Gateway", "HTTPRoute")
GATEWAY_AWS_KINDS = ("LoadBalancerConfiguration", "TargetGroupConfiguration")


@dataclass(frozen=True)
class BuildContext:
    profile: Profile
    api_versions: Mapping[str, str] = field(default_factory=dict)
    """apiVersion per Gateway API and gateway.k8s.aws kind written, as the pinned releases serve them."""
    dns_prefix: str = external_dns.ALPHA_PREFIX
    """Prefix of the ExternalDNS annotations the pinned ExternalDNS reads."""

    def api_version(self, kind: str) -> str:
        return self.api_versions[kind]


def build_context(profile: Profile) -> BuildContext:
    """The context of ``profile``: apiVersions of the pinned Gateway API release and channel and of the
    pinned controller (only when an app uses gateway exposure), and the ExternalDNS annotation prefix."""
    api_versions: dict[str, str] = {}
    if "gateway" in profile.exposure_kinds():
        api_versions |= _gateway_api_versions(profile)
        version = profile.load_balancer_controller.version
        api_versions |= {kind: gateway_aws_api_version(version, kind) for kind in GATEWAY_AWS_KINDS}
    try:
        prefix = external_dns.annotation_prefix(profile.external_dns.release)
    except UnknownRelease as exc:
        raise BuildError(str(exc), Location(field="externalDns.version")) from None
    return BuildContext(profile, api_versions, prefix)


def _gateway_api_versions(profile: Profile) -> dict[str, str]:
    gateway = profile.gateway_api
    try:
        gateway_api.table_release(gateway.version)
    except UnknownRelease as exc:
        raise BuildError(str(exc), Location(field="gatewayApi.version")) from None
    versions = {}
    for kind in GATEWAY_API_KINDS:
        api_version = gateway_api.api_version(gateway.version, gateway.channel, kind)
        if api_version is None:
            raise BuildError(
                f"Gateway API {gateway.version} ({gateway.channel}) does not install {kind}",
                Location(field="gatewayApi.version"),
            )
        versions[kind] = api_version
    return versions


def app_labels(name: str, extra: dict[str, str]) -> dict[str, str]:
    """Labels on every object of an app; the selector uses only ``app.kubernetes.io/name``."""
    return {**extra, "app.kubernetes.io/name": name, **MANAGED_BY}


def selector(name: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": name}
