"""AWS Load Balancer Controller facts per release.

Source: kubernetes-sigs/aws-load-balancer-controller at the tags in ``RELEASES`` (v2.12.0 to v3.5.0):
chart version from ``helm/aws-load-balancer-controller/Chart.yaml``; gate names and defaults from
``pkg/config/feature_gates.go`` (``NewFeatureGates``); served gateway.k8s.aws versions and enum
casing from ``config/crd/gateway/``; the Gateway API kinds each gateway controller watches from
``controllers/gateway/gateway_controller.go`` (``setup*ControllerWatches``); the CRD auto-detection
from ``pkg/gateway/crddetect/gateway_feature_flags.go``; the Gateway API module from ``go.mod``.
Histories give the release a value took effect in; extend them when a release is added.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from eksnet_manifests.versions.release import (
    History,
    in_force,
    nearest_known,
    newest_api_version,
    parse_release,
)

PRODUCT = "AWS Load Balancer Controller"
GATEWAY_API_GROUP = "gateway.networking.k8s.io"
GROUP = "gateway.k8s.aws"
ALB_GATE = "ALBGatewayAPI"
NLB_GATE = "NLBGatewayAPI"
LISTENER_SET_GATE = "GatewayListenerSet"
GATEWAY_GATES = (ALB_GATE, NLB_GATE, LISTENER_SET_GATE)

RELEASES: tuple[str, ...] = (
    "v2.12.0", "v2.13.0", "v2.13.3", "v2.14.0", "v2.14.1", "v2.15.0", "v2.16.0", "v2.17.0", "v2.17.1",
    "v3.0.0", "v3.1.0", "v3.2.0", "v3.2.2", "v3.3.0", "v3.4.0", "v3.4.3", "v3.5.0",
)  # fmt: skip

# Chart.yaml version per controller tag: v2.x ships chart 1.x; v2.17.0 kept chart 1.16.0.
_CHART_VERSIONS: dict[str, str] = {
    "v2.12.0": "1.12.0", "v2.13.0": "1.13.0", "v2.13.3": "1.13.3", "v2.14.0": "1.14.0",
    "v2.14.1": "1.14.1", "v2.15.0": "1.15.0", "v2.16.0": "1.16.0", "v2.17.0": "1.16.0",
    "v2.17.1": "1.17.1", "v3.0.0": "3.0.0", "v3.1.0": "3.1.0", "v3.2.0": "3.2.0", "v3.2.2": "3.2.2",
    "v3.3.0": "3.3.0", "v3.4.0": "3.4.0", "v3.4.3": "3.4.3", "v3.5.0": "3.5.0",
}  # fmt: skip
# Chart major per controller major, for releases between table entries.
_CHART_MAJOR = {2: 1, 3: 3}

# go.mod sigs.k8s.io/gateway-api: the Gateway API release the controller was built against.
_GATEWAY_API_MODULE: History[str | None] = (
    ("v2.12.0", None),
    ("v2.13.0", "v1.2.0"),
    ("v2.14.0", "v1.3.0"),
    ("v3.2.0", "v1.5.0"),
    ("v3.5.0", "v1.6.0"),
)

# gate -> (release, default from that release on); None: the gate was removed in that release.
_GATES: dict[str, History[bool | None]] = {
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
    ALB_GATE: (("v2.13.0", False), ("v3.2.0", True)),
    NLB_GATE: (("v2.13.0", False), ("v3.2.0", True)),
    "EnableTCPUDPListener": (("v2.13.0", False),),
    "SubnetDiscoveryByReachability": (("v2.13.0", True),),
    "EnhancedDefaultBehavior": (("v2.14.0", False),),
    # Renamed to GlobalAcceleratorController in v2.17.0.
    "AGAController": (("v2.14.1", True), ("v2.15.0", False), ("v2.17.0", None)),
    "EnableDefaultTagsLowPriority": (("v2.14.1", False),),
    "ALBTargetControlAgent": (("v2.16.0", False),),
    "GlobalAcceleratorController": (("v2.17.0", False),),
    LISTENER_SET_GATE: (("v3.2.2", True),),
    "EnableCertificateManagement": (("v3.3.0", False),),
    "IngressPlanAnnotation": (("v3.4.0", False),),
}

# kind -> (release, served versions from that release on).
_GATEWAY_AWS_CRDS: dict[str, History[tuple[str, ...]]] = {
    "LoadBalancerConfiguration": (("v2.13.0", ("v1beta1",)), ("v3.5.0", ("v1", "v1beta1"))),
    "TargetGroupConfiguration": (("v2.13.0", ("v1beta1",)), ("v3.5.0", ("v1", "v1beta1"))),
    "ListenerRuleConfiguration": (("v2.14.0", ("v1beta1",)), ("v3.5.0", ("v1", "v1beta1"))),
}
# TargetGroupConfiguration healthCheckConfig.healthCheckProtocol enum: http/https/tcp until v2.14.x.
_HEALTH_CHECK_PROTOCOL_CASE: History[str] = (("v2.13.0", "lower"), ("v2.15.0", "upper"))

Watched = frozenset[tuple[str, str]]  # (Gateway API kind, version)
_V1 = ("Gateway", "v1"), ("GatewayClass", "v1")
_REFERENCE_GRANT = ("ReferenceGrant", "v1beta1")
_LISTENER_SET = ("ListenerSet", "v1")
# Per gate, the Gateway API kinds (and versions) its controller watches; an informer on a kind the
# cluster does not serve at that version never syncs, and the controller does not start.
_WATCHES: dict[str, History[Watched]] = {
    ALB_GATE: (
        ("v2.13.0", frozenset({*_V1, ("HTTPRoute", "v1"), ("GRPCRoute", "v1")})),
        ("v2.14.0", frozenset({*_V1, ("HTTPRoute", "v1"), ("GRPCRoute", "v1"), _REFERENCE_GRANT})),
        (
            "v3.2.0",
            frozenset({*_V1, ("HTTPRoute", "v1"), ("GRPCRoute", "v1"), _REFERENCE_GRANT, _LISTENER_SET}),
        ),
        ("v3.2.2", frozenset({*_V1, ("HTTPRoute", "v1"), ("GRPCRoute", "v1"), _REFERENCE_GRANT})),
    ),
    NLB_GATE: (
        (
            "v2.13.0",
            frozenset({*_V1, ("TCPRoute", "v1alpha2"), ("UDPRoute", "v1alpha2"), ("TLSRoute", "v1alpha2")}),
        ),
        (
            "v2.14.0",
            frozenset(
                {
                    *_V1,
                    ("TCPRoute", "v1alpha2"),
                    ("UDPRoute", "v1alpha2"),
                    ("TLSRoute", "v1alpha2"),
                    _REFERENCE_GRANT,
                }
            ),
        ),
        (
            "v3.2.0",
            frozenset(
                {
                    *_V1,
                    ("TCPRoute", "v1alpha2"),
                    ("UDPRoute", "v1alpha2"),
                    ("TLSRoute", "v1"),
                    _REFERENCE_GRANT,
                    _LISTENER_SET,
                }
            ),
        ),
        (
            "v3.2.2",
            frozenset(
                {
                    *_V1,
                    ("TCPRoute", "v1alpha2"),
                    ("UDPRoute", "v1alpha2"),
                    ("TLSRoute", "v1"),
                    _REFERENCE_GRANT,
                }
            ),
        ),
        (
            "v3.5.0",
            frozenset({*_V1, ("TCPRoute", "v1"), ("UDPRoute", "v1"), ("TLSRoute", "v1"), _REFERENCE_GRANT}),
        ),
    ),
    # Watched by whichever gateway controller runs (inside its setup), only while the gate is on.
    LISTENER_SET_GATE: (("v3.2.2", frozenset({_LISTENER_SET})),),
}

ApiKind = tuple[str, str, str]  # (group, kind, version)
_LBC_KINDS_V1BETA1 = frozenset((GROUP, kind, "v1beta1") for kind in _GATEWAY_AWS_CRDS)
_LBC_KINDS_V1 = frozenset((GROUP, kind, "v1") for kind in _GATEWAY_AWS_CRDS)


def _gw(*kinds: tuple[str, str]) -> frozenset[ApiKind]:
    return frozenset((GATEWAY_API_GROUP, kind, version) for kind, version in kinds)


@dataclass(frozen=True)
class CrdDetection:
    """At start-up the controller turns off gateway gates whose CRDs the cluster does not serve."""

    runs_unless_explicit: tuple[str, ...]
    """Detection is skipped when every one of these gates is set explicitly."""
    required: Mapping[str, frozenset[ApiKind]]
    """Per gate, the kinds (at these versions) whose absence turns it off."""
    disables_explicit: frozenset[str]
    """Gates turned off on missing CRDs even when set explicitly."""


_ALB_REQUIRED = _gw(*_V1, ("HTTPRoute", "v1"), ("GRPCRoute", "v1"))
_NLB_REQUIRED_V3_2 = _gw(*_V1, ("TLSRoute", "v1"), ("TCPRoute", "v1alpha2"), ("UDPRoute", "v1alpha2"))
_DETECTION: History[CrdDetection] = (
    (
        "v3.2.0",
        CrdDetection(
            (ALB_GATE, NLB_GATE),
            {ALB_GATE: _ALB_REQUIRED, NLB_GATE: _NLB_REQUIRED_V3_2},
            frozenset({ALB_GATE}),
        ),
    ),
    (
        "v3.2.2",
        CrdDetection(
            GATEWAY_GATES,
            {ALB_GATE: _ALB_REQUIRED, NLB_GATE: _NLB_REQUIRED_V3_2, LISTENER_SET_GATE: _gw(_LISTENER_SET)},
            frozenset({ALB_GATE}),
        ),
    ),
    (
        "v3.3.0",
        CrdDetection(
            GATEWAY_GATES,
            {
                ALB_GATE: _ALB_REQUIRED | _LBC_KINDS_V1BETA1,
                NLB_GATE: _NLB_REQUIRED_V3_2 | _LBC_KINDS_V1BETA1,
                LISTENER_SET_GATE: _gw(_LISTENER_SET),
            },
            frozenset({ALB_GATE}),
        ),
    ),
    (
        "v3.5.0",
        CrdDetection(
            GATEWAY_GATES,
            {
                ALB_GATE: _ALB_REQUIRED | _LBC_KINDS_V1,
                NLB_GATE: _gw(*_V1, ("TLSRoute", "v1"), ("TCPRoute", "v1"), ("UDPRoute", "v1"))
                | _LBC_KINDS_V1,
                LISTENER_SET_GATE: _gw(_LISTENER_SET),
            },
            frozenset({ALB_GATE}),
        ),
    ),
)


def known_release(version: str) -> bool:
    """True when ``version`` is one of the releases the tables were written from."""
    return version in RELEASES


def table_release(version: str) -> str:
    """The table release that stands for ``version``: itself, else the nearest lower known release.

    A release between two entries (v3.1.1) or newer than the last one of a known major (v3.6.0)
    gets the facts of the nearest lower entry (v3.1.0, v3.5.0). Other majors, releases older than
    v2.12.0 and non-versions raise UnknownRelease.
    """
    return nearest_known(version, RELEASES, PRODUCT)


def chart_version(version: str) -> str | None:
    """The eks/aws-load-balancer-controller chart version shipping ``version``; None when unknown."""
    return _CHART_VERSIONS.get(version)


def chart_major(version: str) -> int:
    """The chart major any release of ``version``'s major ships with (v2.x: 1, v3.x: 3)."""
    return _CHART_MAJOR[parse_release(table_release(version))[0]]


def gateway_api_module(version: str) -> str | None:
    """The Gateway API release the controller was built against (None before Gateway support)."""
    return in_force(_GATEWAY_API_MODULE, table_release(version))


def feature_gates(version: str) -> dict[str, bool]:
    """Every feature gate of ``version`` with its default, sorted by name (see ``table_release``)."""
    release = table_release(version)
    gates: dict[str, bool] = {}
    for name in sorted(_GATES):
        default = in_force(_GATES[name], release)
        if default is not None:
            gates[name] = default
    return gates


def served_gateway_aws_versions(version: str) -> dict[str, tuple[str, ...]]:
    """Served API versions of each gateway.k8s.aws CRD kind in ``version`` (see ``table_release``)."""
    release = table_release(version)
    served: dict[str, tuple[str, ...]] = {}
    for kind in sorted(_GATEWAY_AWS_CRDS):
        versions = in_force(_GATEWAY_AWS_CRDS[kind], release)
        if versions is not None:
            served[kind] = versions
    return served


def gateway_aws_api_version(version: str, kind: str) -> str | None:
    """The newest apiVersion of a gateway.k8s.aws ``kind`` the release serves; None when not served.

    ``v1beta1`` before v3.5.0 (the only one served) and ``v1`` from v3.5.0, which serves both but
    marks v1beta1 deprecated (a warning on every apply).
    """
    served = served_gateway_aws_versions(version).get(kind)
    return f"{GROUP}/{newest_api_version(served)}" if served else None


def health_check_protocol(version: str, protocol: str) -> str:
    """A TargetGroupConfiguration ``healthCheckProtocol`` in the casing the release's CRD accepts."""
    case = in_force(_HEALTH_CHECK_PROTOCOL_CASE, table_release(version))
    return protocol.lower() if case == "lower" else protocol.upper()


ServedLookup = Callable[[str, str], frozenset[str]]
"""(group, kind) -> the API versions the cluster serves for it (empty when not installed)."""


@dataclass(frozen=True)
class Watch:
    kind: str
    version: str
    gates: tuple[str, ...]
    """The gates whose controllers watch it."""


@dataclass(frozen=True)
class GatewayControllers:
    """What the Gateway API side of one controller release does with given gates and CRDs."""

    gates: dict[str, bool]
    """ALBGatewayAPI, NLBGatewayAPI, GatewayListenerSet as in effect after CRD detection."""
    disabled: dict[str, tuple[str, ...]]
    """Gates the start-up CRD detection turns off, with the kinds it found missing."""
    watches: tuple[Watch, ...]
    """The Gateway API kinds the enabled controllers watch, sorted by kind."""

    def unserved(self, served: ServedLookup) -> tuple[Watch, ...]:
        """Watches the cluster cannot serve: their informers never sync and the controller stops."""
        return tuple(w for w in self.watches if w.version not in served(GATEWAY_API_GROUP, w.kind))


def gateway_controllers(
    version: str, explicit: Mapping[str, bool], served: ServedLookup
) -> GatewayControllers:
    """Gateway gates in effect for ``version`` with the ``explicit`` gates given and the CRDs ``served``,
    and what the running controllers watch."""
    release = table_release(version)
    defaults = feature_gates(version)
    gates = {gate: explicit.get(gate, defaults[gate]) for gate in GATEWAY_GATES if gate in defaults}
    disabled: dict[str, tuple[str, ...]] = {}
    detection = in_force(_DETECTION, release)
    if detection is not None and not all(gate in explicit for gate in detection.runs_unless_explicit):
        for gate, required in sorted(detection.required.items()):
            missing = sorted({kind for group, kind, api in required if api not in served(group, kind)})
            may_disable = gate not in explicit or gate in detection.disables_explicit
            if gates.get(gate) and missing and may_disable:
                gates[gate] = False
                disabled[gate] = tuple(missing)
    watched: dict[tuple[str, str], list[str]] = {}
    if gates.get(ALB_GATE) or gates.get(NLB_GATE):
        for gate in GATEWAY_GATES:
            for kind_version in sorted(in_force(_WATCHES[gate], release) or ()) if gates.get(gate) else ():
                watched.setdefault(kind_version, []).append(gate)
    watches = tuple(Watch(kind, api, tuple(by)) for (kind, api), by in sorted(watched.items()))
    return GatewayControllers(gates, disabled, watches)
