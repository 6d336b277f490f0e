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

    With any gateway-exposed app, ``ALBGatewayAPI`` is set to true even where the release
    defaults to true, so the values say what the apps rely on; the profile setting it to false
    is an error. ``NLBGatewayAPI`` is then set explicitly too: eksnet emits no L4 (TCP/UDP/TLS)
    routes, so it keeps the profile's value, else false. Every name must exist in the pinned
    release, because an unknown gate stops the controller at start-up.
    """
    controller = profile.load_balancer_controller
    known = feature_gates(controller.version)
    for name in sorted(controller.feature_gates):
        if name not in known:
            message = _unknown_gate_message(name, controller.version, known)
            raise BuildError(message, Location(field=f"{_GATES_FIELD}.{name}"))
    gates = dict(controller.feature_gates)
    if "gateway" in profile.exposure_kinds():
        if lbc.ALB_GATE not in known:
            raise BuildError(
                f"gateway exposure needs the {lbc.ALB_GATE} gate, which {lbc.PRODUCT} "
                f"{controller.version} does not have",
                Location(field=VERSION_FIELD),
            )
        if gates.get(lbc.ALB_GATE) is False:
            raise BuildError(
                f"apps use gateway exposure, which needs {lbc.ALB_GATE}: true",
                Location(field=f"{_GATES_FIELD}.{lbc.ALB_GATE}"),
            )
        gates[lbc.ALB_GATE] = True
        gates.setdefault(lbc.NLB_GATE, False)
    return dict(sorted(gates.items()))


def _unknown_gate_message(name: str, version: str, known: Mapping[str, bool]) -> str:
    release = table_release(version)
    where = version if release == version else f"{version} (gates of {release}, the nearest known release)"
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    return (
        f"feature gate {name!r} does not exist in {lbc.PRODUCT} {where}: "
        f"an unknown gate stops the controller at start-up{hint}"
    )
