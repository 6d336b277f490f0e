"""The feature gates eksnet passes to the AWS Load Balancer Controller, from the facts in versions.lbc.

Every lookup here turns an unknown release into a BuildError at ``loadBalancerController.version``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from eksnet_manifests.errors import BuildError, Location
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.versions import lbc
from eksnet_manifests.versions.release import UnknownRelease

VERSION_FIELD = "loadBalancerController.version"
_GATES_FIELD = "loadBalancerController.featureGates"


def table_release(version: str) -> str:
    """The release whose facts stand for ``version`` (see ``versions.lbc.table_release``)."""
    try:
        return lbc.table_release(version)
    except UnknownRelease as exc:
        raise BuildError(str(exc), Location(field=VERSION_FIELD)) from None


def feature_gates(version: str) -> dict[str, bool]:
    """Every gate of ``version`` with its default."""
    table_release(version)
    return lbc.feature_gates(version)


def gateway_aws_api_version(version: str, kind: str) -> str:
    """The apiVersion eksnet writes for a gateway.k8s.aws ``kind`` under controller ``version``.

    Helm does not upgrade a chart's CRDs on ``helm upgrade``: the cluster must have the CRDs of
    the pinned release.
    """
    table_release(version)
    api_version = lbc.gateway_aws_api_version(version, kind)
    if api_version is None:
        raise BuildError(
            f"{lbc.GROUP} {kind} is not served by {lbc.PRODUCT} {version}", Location(field=VERSION_FIELD)
        )
    return api_version


def effective_feature_gates(profile: Profile) -> dict[str, bool]:
    """The gates to pass explicitly: the profile's, plus the ones gateway exposure needs.

    With a gateway-exposed app or an ALB Gateway in ``gatewayApi.gateways``, ``ALBGatewayAPI`` is
    set to true even where the release defaults to true, so the values say what the apps rely on;
    an NLB Gateway sets ``NLBGatewayAPI`` and a ListenerSet ``GatewayListenerSet`` (where the release
    has it) the same way, and the profile setting one of them false is an error. The Gateway gates
    not needed keep the profile's value, else false. Every name must exist in the pinned release,
    because an unknown gate stops the controller at start-up.
    """
    controller = profile.load_balancer_controller
    known = feature_gates(controller.version)
    for name in sorted(controller.feature_gates):
        if name not in known:
            message = _unknown_gate_message(name, controller.version, known)
            raise BuildError(message, Location(field=f"{_GATES_FIELD}.{name}"))
    gates = dict(controller.feature_gates)
    gateway_types = {gateway.type for gateway in profile.gateway_api.gateways}
    if "gateway" in profile.exposure_kinds() or gateway_types:
        needed = [lbc.ALB_GATE] if "gateway" in profile.exposure_kinds() or "alb" in gateway_types else []
        needed += [lbc.NLB_GATE] if "nlb" in gateway_types else []
        if (
            any(gateway.listener_sets for gateway in profile.gateway_api.gateways)
            and lbc.LISTENER_SET_GATE in known
        ):
            needed.append(lbc.LISTENER_SET_GATE)
        for gate in needed:
            _require_gate(gate, gates, known, controller.version)
            gates[gate] = True
        gates.setdefault(lbc.ALB_GATE, False)
        gates.setdefault(lbc.NLB_GATE, False)
    return dict(sorted(gates.items()))


def _require_gate(gate: str, gates: Mapping[str, bool], known: Mapping[str, bool], version: str) -> None:
    if gate not in known:
        raise BuildError(
            f"the Gateways need the {gate} gate, which {lbc.PRODUCT} {version} does not have",
            Location(field=VERSION_FIELD),
        )
    if gates.get(gate) is False:
        raise BuildError(
            f"the Gateways need {gate}: true (apps use gateway exposure or gatewayApi.gateways declares "
            "them)",
            Location(field=f"{_GATES_FIELD}.{gate}"),
        )


def _unknown_gate_message(name: str, version: str, known: Mapping[str, bool]) -> str:
    release = table_release(version)
    where = version if release == version else f"{version} (gates of {release}, the nearest known release)"
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    return (
        f"feature gate {name!r} does not exist in {lbc.PRODUCT} {where}: "
        f"an unknown gate stops the controller at start-up{hint}"
    )
