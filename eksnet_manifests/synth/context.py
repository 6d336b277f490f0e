"""Facts every builder shares, computed once per profile."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from eksnet_manifests.errors import BuildError, Location
from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.attachment import Attachment, attachment
from eksnet_manifests.profile.exposure import GatewayExposure
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.helm.features import gateway_aws_api_version
from eksnet_manifests.versions import external_dns, gateway_api
from eksnet_manifests.versions.release import UnknownRelease

T = TypeVar("T")
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

    _memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def api_version(self, kind: str) -> str:
        return self.api_versions[kind]

    def memo(self, key: str, compute: Callable[[BuildContext], T]) -> T:
        """``compute(self)``, once per context: for facts several builders derive from all apps."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        result: T = self._memo[key]
        return result

    @cached_property
    def apps(self) -> Mapping[str, App]:
        """The profile's apps, defaults filled in, by name."""
        return {app.name: app for app in self.profile.resolved_apps()}

    def attachment(self, app: App) -> Attachment:
        """Where the gateway app ``app`` attaches (the profile's rules guarantee it exists)."""
        expose = app.expose
        assert isinstance(expose, GatewayExposure)
        found = attachment(self.profile.gateway_api, expose)
        if found is None:
            raise BuildError(f"app {app.name!r}: its Gateway listener does not exist", Location(field="apps"))
        return found


def build_context(profile: Profile) -> BuildContext:
    """The context of ``profile``: apiVersions of the pinned Gateway API release and channel and of the
    pinned controller (only when an app uses gateway exposure), and the ExternalDNS annotation prefix."""
    api_versions: dict[str, str] = {}
    if "gateway" in profile.exposure_kinds() or profile.gateway_api.gateways:
        api_versions |= _gateway_api_versions(
            profile, (*GATEWAY_API_KINDS, *_used_gateway_api_kinds(profile))
        )
        version = profile.load_balancer_controller.version
        api_versions |= {
            kind: gateway_aws_api_version(version, kind)
            for kind in (*GATEWAY_AWS_KINDS, *_used_aws_kinds(profile))
        }
    try:
        prefix = external_dns.annotation_prefix(profile.external_dns.release)
    except UnknownRelease as exc:
        raise BuildError(str(exc), Location(field="externalDns.version")) from None
    return BuildContext(profile, api_versions, prefix)


def _gateway_exposures(profile: Profile) -> list[GatewayExposure]:
    return [app.expose for app in profile.apps if isinstance(app.expose, GatewayExposure)]


def _used_gateway_api_kinds(profile: Profile) -> list[str]:
    """Gateway API kinds beyond GatewayClass, Gateway and HTTPRoute that the profile's objects use."""
    kinds = set()
    apps = {app.name: app.resolved(profile.defaults) for app in profile.apps}
    for app in apps.values():
        expose = app.expose
        if not isinstance(expose, GatewayExposure):
            continue
        found = attachment(profile.gateway_api, expose)
        if found is not None:
            kinds.add(found.kind)
        for rule in expose.rules:
            if any(
                backend.app in apps and apps[backend.app].namespace != app.namespace
                for backend in rule.backends
            ):
                kinds.add("ReferenceGrant")
    if any(gateway.listener_sets for gateway in profile.gateway_api.gateways):
        kinds.add("ListenerSet")
    return sorted(kinds - set(GATEWAY_API_KINDS))


def _used_aws_kinds(profile: Profile) -> list[str]:
    uses_rules = any(
        rule.listener_rule is not None for expose in _gateway_exposures(profile) for rule in expose.rules
    )
    return ["ListenerRuleConfiguration"] if uses_rules else []


def _gateway_api_versions(profile: Profile, kinds: tuple[str, ...]) -> dict[str, str]:
    gateway = profile.gateway_api
    try:
        gateway_api.table_release(gateway.version)
    except UnknownRelease as exc:
        raise BuildError(str(exc), Location(field="gatewayApi.version")) from None
    versions = {}
    for kind in kinds:
        api_version = gateway_api.api_version(gateway.version, gateway.channel, kind)
        if api_version is None:
            raise BuildError(
                f"Gateway API {gateway.version} ({gateway.channel}) does not install {kind}"
                + _channel_hint(gateway.version, gateway.channel, kind),
                Location(field="gatewayApi.version"),
            )
        versions[kind] = api_version
    return versions


def _channel_hint(version: str, channel: str, kind: str) -> str:
    other = "experimental" if channel == "standard" else "standard"
    if gateway_api.api_version(version, other, kind) is not None:
        return f"; its {other} channel does (gatewayApi.channel)"
    return "; use a newer release (gatewayApi.version)"


def app_labels(name: str, extra: dict[str, str]) -> dict[str, str]:
    """Labels on every object of an app; the selector uses only ``app.kubernetes.io/name``."""
    return {**extra, "app.kubernetes.io/name": name, **MANAGED_BY}


def selector(name: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": name}
