"""AWS Load Balancer Controller facts per release: feature gates and served gateway.k8s.aws versions.

Hand-written from kubernetes-sigs/aws-load-balancer-controller at each tag in ``RELEASES``
(v2.12.0 to v3.5.0): gate names and defaults from ``pkg/config/feature_gates.go``
(``NewFeatureGates``), served API versions from ``config/crd/gateway/``. Each entry is a
history: the release a value took effect in, and the value from then on. Extend the
histories when a new release is added.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import TypeVar

from eksnet_manifests.errors import BuildError, Location
from eksnet_manifests.profile.names import version_tuple
from eksnet_manifests.profile.profile import Profile

Version = tuple[int, int, int]
T = TypeVar("T")

RELEASES: tuple[str, ...] = (
    "v2.12.0", "v2.13.0", "v2.13.3", "v2.14.0", "v2.14.1", "v2.15.0", "v2.16.0", "v2.17.0", "v2.17.1",
    "v3.0.0", "v3.1.0", "v3.2.0", "v3.2.2", "v3.3.0", "v3.4.0", "v3.4.3", "v3.5.0",
)  # fmt: skip

# gate -> (release, default from that release on); None: the gate was removed in that release.
_GATES: dict[str, tuple[tuple[str, bool | None], ...]] = {
    "ALBSingleSubnet": (("v2.12.0", False),),
    "EnableIPTargetType": (("v2.12.0", True),),
    "EnableRGTAPI": (("v2.12.0", False),),
    "EnableServiceController": (("v2.12.0", True),),
    "EndpointsFailOpen": (("v2.12.0", True),),
    "LBCapacityReservation": (("v2.12.0", True),),
    "ListenerRulesTagging": (("v2.12.0", True),),
    "NLBHealthCheckAdvancedConfig": (("v2.12.0", True),),
    "NLBSecurityGroup": (("v2.12.0", True),),
    "ServiceTypeLoadBalancerOnly": (("v2.12.0", False),),
    "SubnetsClusterTagCheck": (("v2.12.0", True),),
    "WeightedTargetGroups": (("v2.12.0", True),),
    # The Gateway API controllers are opt-in until v3.2.0.
    "ALBGatewayAPI": (("v2.13.0", False), ("v3.2.0", True)),
    "NLBGatewayAPI": (("v2.13.0", False), ("v3.2.0", True)),
    "EnableTCPUDPListener": (("v2.13.0", False),),
    "SubnetDiscoveryByReachability": (("v2.13.0", True),),
    "EnhancedDefaultBehavior": (("v2.14.0", False),),
    # Renamed to GlobalAcceleratorController in v2.17.0.
    "AGAController": (("v2.14.1", True), ("v2.15.0", False), ("v2.17.0", None)),
    "EnableDefaultTagsLowPriority": (("v2.14.1", False),),
    "ALBTargetControlAgent": (("v2.16.0", False),),
    "GlobalAcceleratorController": (("v2.17.0", False),),
    "GatewayListenerSet": (("v3.2.2", True),),
    "EnableCertificateManagement": (("v3.3.0", False),),
    "IngressPlanAnnotation": (("v3.4.0", False),),
}

# kind -> (release, served versions from that release on).
_GATEWAY_AWS_CRDS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "LoadBalancerConfiguration": (("v2.13.0", ("v1beta1",)), ("v3.5.0", ("v1", "v1beta1"))),
    "TargetGroupConfiguration": (("v2.13.0", ("v1beta1",)), ("v3.5.0", ("v1", "v1beta1"))),
    "ListenerRuleConfiguration": (("v2.14.0", ("v1beta1",)), ("v3.5.0", ("v1", "v1beta1"))),
}
# Newest first: v3.5.0 serves both but marks v1beta1 deprecated (a warning on every apply).
_API_VERSION_PREFERENCE = ("v1", "v1beta1")

_GROUP = "gateway.k8s.aws"
_VERSION_FIELD = "loadBalancerController.version"
_GATES_FIELD = "loadBalancerController.featureGates"
_KNOWN = tuple(version_tuple(release) for release in RELEASES)


def known_release(version: str) -> bool:
    """True when ``version`` is one of the releases the tables were written from."""
    return version in RELEASES


def table_release(version: str) -> str:
    """The table release that stands for ``version``: itself, else the nearest lower known release.

    A release between two table entries (v3.1.1) or newer than the last one in a known major
    (v3.6.0) gets the facts of the nearest lower entry (v3.1.0, v3.5.0); gates added after that
    entry are unknown here until the table is extended. Other majors and releases older than
    v2.12.0 raise BuildError.
    """
    try:
        wanted = version_tuple(version)
    except ValueError as exc:
        raise BuildError(str(exc), Location(field=_VERSION_FIELD)) from None
    if wanted[0] not in {known[0] for known in _KNOWN}:
        raise BuildError(
            f"AWS Load Balancer Controller {version}: major version {wanted[0]} is not known to eksnet "
            f"(known releases {RELEASES[0]} to {RELEASES[-1]})",
            Location(field=_VERSION_FIELD),
        )
    if wanted < _KNOWN[0]:
        raise BuildError(
            f"AWS Load Balancer Controller {version} is older than {RELEASES[0]}, "
            "the oldest release eksnet knows",
            Location(field=_VERSION_FIELD),
        )
    # RELEASES ascend, so the last one at or below the wanted version is the nearest lower.
    return [release for release, known in zip(RELEASES, _KNOWN, strict=True) if known <= wanted][-1]


def feature_gates(version: str) -> dict[str, bool]:
    """Every feature gate of ``version`` with its default, sorted by name (see ``table_release``)."""
    release = version_tuple(table_release(version))
    gates: dict[str, bool] = {}
    for name in sorted(_GATES):
        default = _in_force(_GATES[name], release)
        if default is not None:
            gates[name] = default
    return gates


def served_gateway_aws_versions(version: str) -> dict[str, tuple[str, ...]]:
    """Served API versions of each gateway.k8s.aws CRD kind in ``version`` (see ``table_release``)."""
    release = version_tuple(table_release(version))
    served: dict[str, tuple[str, ...]] = {}
    for kind in sorted(_GATEWAY_AWS_CRDS):
        versions = _in_force(_GATEWAY_AWS_CRDS[kind], release)
        if versions is not None:
            served[kind] = versions
    return served


def gateway_aws_api_version(version: str, kind: str) -> str:
    """The apiVersion eksnet writes for a gateway.k8s.aws ``kind`` under controller ``version``.

    The newest served version: ``v1beta1`` before v3.5.0 (the only one served, so clusters
    still on v3.1.0 accept it) and ``v1`` from v3.5.0, which serves both but deprecates v1beta1.
    Helm does not upgrade a chart's CRDs on ``helm upgrade``: the cluster must have the CRDs of
    the pinned release. A version between table releases uses the nearest lower one.
    """
    served = served_gateway_aws_versions(version).get(kind)
    if not served:
        raise BuildError(
            f"{_GROUP} {kind} is not served by AWS Load Balancer Controller {version}",
            Location(field=_VERSION_FIELD),
        )
    newest = next(api for api in _API_VERSION_PREFERENCE if api in served)
    return f"{_GROUP}/{newest}"


def effective_feature_gates(profile: Profile) -> dict[str, bool]:
    """The gates to pass explicitly: the profile's, plus the ones gateway exposure needs.

    With any gateway-exposed app, ``ALBGatewayAPI`` is set to true even where the release
    defaults to true, so the values say what the apps rely on; the profile setting it to false
    is an error. ``NLBGatewayAPI`` is then set explicitly too: eksnet emits no L4 (TCP/UDP/TLS)
    routes, so it keeps the profile's value, else false. Every name must exist in the pinned
    release, because an unknown gate stops the controller at start-up.
    """
    lbc = profile.load_balancer_controller
    known = feature_gates(lbc.version)
    for name in sorted(lbc.feature_gates):
        if name not in known:
            message = _unknown_gate_message(name, lbc.version, known)
            raise BuildError(message, Location(field=f"{_GATES_FIELD}.{name}"))
    gates = dict(lbc.feature_gates)
    if "gateway" in profile.exposure_kinds():
        if "ALBGatewayAPI" not in known:
            raise BuildError(
                f"gateway exposure needs the ALBGatewayAPI gate, which AWS Load Balancer Controller "
                f"{lbc.version} does not have",
                Location(field=_VERSION_FIELD),
            )
        if gates.get("ALBGatewayAPI") is False:
            raise BuildError(
                "apps use gateway exposure, which needs ALBGatewayAPI: true",
                Location(field=f"{_GATES_FIELD}.ALBGatewayAPI"),
            )
        gates["ALBGatewayAPI"] = True
        gates.setdefault("NLBGatewayAPI", False)
    return dict(sorted(gates.items()))


def _unknown_gate_message(name: str, version: str, known: Mapping[str, bool]) -> str:
    release = table_release(version)
    where = version if release == version else f"{version} (gates of {release}, the nearest known release)"
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    return (
        f"feature gate {name!r} does not exist in AWS Load Balancer Controller {where}: "
        f"an unknown gate stops the controller at start-up{hint}"
    )


def _in_force(history: Sequence[tuple[str, T]], release: Version) -> T | None:
    """The value in force at ``release``: the last history entry at or before it, else None."""
    current: T | None = None
    for since, value in history:
        if version_tuple(since) <= release:
            current = value
    return current
