"""Cross-field rules of the Gateways (``gatewayApi.gateways``, ``gatewayClasses``); the apps on them
are ``profile/route_problems.py``.

What the generated objects can tell (route admission, listener conflicts, TargetGroupConfiguration
protocols, the route features the pinned LBC programs) is checked on the objects by ``check/rules`` and
shown at the profile line; these rules cover what only the profile knows, or what synthesis needs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from eksnet_manifests.profile.controllers import GatewayApi
from eksnet_manifests.profile.gateway import (
    PROTOCOLS,
    ROUTE_KINDS_BY_PROTOCOL,
    SECURE_PROTOCOLS,
    Gateway,
    Listener,
)
from eksnet_manifests.profile.gateway_load_balancer import LoadBalancerSettings
from eksnet_manifests.profile.namespaces import NamespaceSettings
from eksnet_manifests.profile.selectors import LabelSelector
from eksnet_manifests.versions import gateway_api as gateway_api_facts
from eksnet_manifests.versions import lbc, lbc_gateway
from eksnet_manifests.versions.release import UnknownRelease

Path = tuple[str | int, ...]
Found = Iterator[tuple[Path, str]]

# loadbalancerconfig.md (LBC v3.5.0): settings that apply to one load balancer type only.
ALB_ONLY = ("wafWebAcl", "shieldAdvanced", "idleTimeout", "customerOwnedIpv4Pool", "ipv4IpamPoolId")
NLB_ONLY = (
    "disableSecurityGroup",
    "enableIcmp",
    "enforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
    "crossZone",
)
NLB_SUBNET_ONLY = ("eipAllocation", "privateIpv4Allocation", "ipv6Allocation", "sourceNatIpv6Prefix")
# Profile settings whose CRD field came with a later LBC release (versions.lbc_gateway.CRD_FIELDS).
_LB_FIELDS = {
    "wafWebAcl": "wafV2",
    "shieldAdvanced": "shieldConfiguration",
    "disableSecurityGroup": "disableSecurityGroup",
}
_LISTENER_FIELDS = {"quic": "quicEnabled", "targetGroupStickiness": "targetGroupStickiness"}


def given_fields(model: object) -> dict[str, object]:
    """The profile keys a model was given, other than empty values."""
    data = model.model_dump(by_alias=True, exclude_unset=True)  # type: ignore[attr-defined]
    return {key: value for key, value in data.items() if value not in (None, {}, (), [])}


def table_release(version: str) -> str | None:
    try:
        return lbc.table_release(version)
    except UnknownRelease:
        return None  # reported at loadBalancerController.version


def needs_release(release: str | None, kind: str, crd_path: str, what: str, version: str) -> str | None:
    if release is None or lbc_gateway.accepts_crd_field(release, kind, crd_path):
        return None
    since = lbc_gateway.crd_field_since(kind, crd_path)
    return (
        f"{what} needs AWS Load Balancer Controller {since} or newer: the {kind} CRD of {version} has no "
        f"{crd_path} (loadBalancerController.version)"
    )


def gateways_problems(
    gateway_api: GatewayApi, lbc_version: str, namespaces: Mapping[str, NamespaceSettings]
) -> Found:
    """Rules of ``gatewayApi.gateways`` and ``gatewayClasses``, as (path under gatewayApi, message)."""
    release = table_release(lbc_version)
    seen: dict[str, int] = {}
    for index, gateway in enumerate(gateway_api.gateways):
        at: Path = ("gateways", index)
        if gateway.name in seen or gateway.name == gateway_api.gateway_name:
            first = f"gateways[{seen[gateway.name]}]" if gateway.name in seen else "gatewayName"
            yield (
                (*at, "name"),
                f"Gateway name {gateway.name!r} is already used by {first}: apps choose Gateways by name",
            )
        seen.setdefault(gateway.name, index)
        if gateway_api.gateway_class(gateway) == gateway_api.gateway_class_name:
            yield (
                (*at, "gatewayClassName"),
                (
                    f"GatewayClass {gateway_api.gateway_class_name!r} is the shared Gateway's: its "
                    "LoadBalancerConfiguration would take precedence over this Gateway's own "
                    "(LBC mergingMode prefer-gateway-class); use another class"
                ),
            )
        yield from _listeners_problems(gateway, at, release, lbc_version)
        yield from _load_balancer_problems(
            gateway.load_balancer, gateway.type, (*at, "loadBalancer"), release, lbc_version
        )
        if gateway.redirect_http_to_https:
            protocols = {listener.protocol for listener in gateway.listeners}
            if gateway.type != "alb" or not {"HTTP", "HTTPS"} <= protocols:
                yield (
                    (*at, "redirectHttpToHttps"),
                    ("redirectHttpToHttps needs an ALB Gateway with an HTTP and an HTTPS listener"),
                )
        if gateway.target_group_defaults is not None:
            message = needs_release(release, "LoadBalancerConfiguration", "defaultTargetGroupConfiguration",
                             "targetGroupDefaults", lbc_version)  # fmt: skip
            if message:
                yield (*at, "targetGroupDefaults"), message
        yield from _listener_set_problems(gateway_api, gateway, at, namespaces, release, lbc_version)
    for index, settings in enumerate(gateway_api.gateway_classes):
        at = ("gatewayClasses", index)
        users = [
            gateway for gateway in gateway_api.gateways if gateway_api.gateway_class(gateway) == settings.name
        ]
        types = sorted({gateway.type for gateway in users})
        if not users:
            yield (*at, "name"), f"no Gateway of gatewayApi.gateways uses GatewayClass {settings.name!r}"
        elif len(types) > 1:
            yield (
                (*at, "name"),
                f"GatewayClass {settings.name!r} is used by ALB and NLB Gateways: one controller each",
            )
        else:
            yield from _load_balancer_problems(
                settings.load_balancer, types[0], (*at, "loadBalancer"), release, lbc_version
            )
        if settings.target_group_defaults is not None:
            message = needs_release(release, "LoadBalancerConfiguration", "defaultTargetGroupConfiguration",
                             "targetGroupDefaults", lbc_version)  # fmt: skip
            if message:
                yield (*at, "targetGroupDefaults"), message


def _listeners_problems(gateway: Gateway, at: Path, release: str | None, version: str) -> Found:
    by_port: dict[int, list[tuple[int, Listener]]] = {}
    for position, listener in enumerate(gateway.listeners):
        path: Path = (*at, "listeners", position)
        yield from _listener_problems(gateway.type, listener, path, release, version)
        by_port.setdefault(listener.port, []).append((position, listener))
    for port, sharing in by_port.items():
        configured = [
            (position, _first_setting(listener)) for position, listener in sharing if listener.has_settings()
        ]
        protocols = {listener.protocol for _, listener in sharing}
        if (
            protocols == {"TCP", "UDP"}
            and configured
            and release is not None
            and not lbc_gateway.at_least(release, lbc_gateway.PROTOCOL_PORT_TCP_UDP_SINCE)
        ):
            yield (
                (*at, "listeners", *configured[0]),
                (
                    f"listener settings of the TCP_UDP port {port} need AWS Load Balancer Controller "
                    f"{lbc_gateway.PROTOCOL_PORT_TCP_UDP_SINCE} or newer: the LoadBalancerConfiguration CRD "
                    f"of {version} takes no TCP_UDP protocolPort (loadBalancerController.version)"
                ),
            )
        if protocols == {"TCP", "UDP"} and len(configured) > 1:
            # model_build_listener.go mapLoadBalancerListenerConfigsByPort (LBC v3.5.0): one per TCP_UDP port.
            yield (
                (*at, "listeners", *configured[1]),
                (
                    f"the TCP and UDP listeners on port {port} become one TCP_UDP listener, which takes "
                    "one set of listener settings: set them on one of the two"
                ),
            )


def _first_setting(listener: Listener) -> str:
    """The first listener setting (a ``listenerConfigurations`` field) the listener sets."""
    settings = ("certificateArns", "sslPolicy", "alpnPolicy", "mutualTls", "attributes", "quic")
    given = given_fields(listener)
    return next((key for key in settings if key in given), "targetGroupStickiness")


def _listener_problems(kind: str, listener: Listener, at: Path, release: str | None, version: str) -> Found:
    if listener.protocol not in PROTOCOLS[kind]:
        yield (
            (*at, "protocol"),
            (
                f"an {kind.upper()} Gateway serves {'/'.join(PROTOCOLS[kind])} listeners, "
                f"not {listener.protocol}"
            ),
        )
        return
    # model_build_listener.go mapGatewayListenerConfigsByPort (LBC v3.5.0): TLS passthrough is a TCP listener.
    secure = listener.protocol in SECURE_PROTOCOLS and listener.tls_mode == "Terminate"
    # model_build_listener.go buildCertificates, buildSSLPolicy (LBC v3.5.0): only on HTTPS and TLS.
    for key, value in (("certificateArns", listener.certificate_arns), ("sslPolicy", listener.ssl_policy)):
        if value and not secure:
            yield (
                (*at, key),
                f"{key} applies to HTTPS and terminating TLS listeners; LBC ignores it on {listener.protocol}"
                + (" passthrough" if listener.tls_mode == "Passthrough" else ""),
            )
    only = {"alpnPolicy": ("nlb", "TLS"), "mutualTls": ("alb", "HTTPS"), "quic": ("nlb", "UDP")}
    for key, (lb, protocol) in only.items():
        if given_fields(listener).get(key) is not None and (kind, listener.protocol) != (lb, protocol):
            yield (*at, key), f"{key} applies to {lb.upper()} {protocol} listeners only"
    for key, crd_field in _LISTENER_FIELDS.items():
        if given_fields(listener).get(key) is not None:
            message = needs_release(
                release, "LoadBalancerConfiguration", f"listenerConfigurations[].{crd_field}", key, version
            )
            if message:
                yield (*at, key), message
    for position, route_kind in enumerate(listener.kinds):
        if route_kind not in ROUTE_KINDS_BY_PROTOCOL[listener.protocol]:
            yield (
                (*at, "kinds", position),
                (
                    f"{listener.protocol} listeners take "
                    f"{', '.join(ROUTE_KINDS_BY_PROTOCOL[listener.protocol])}, not {route_kind}"
                ),
            )


def _load_balancer_problems(
    settings: LoadBalancerSettings, kind: str, at: Path, release: str | None, version: str
) -> Found:
    given = given_fields(settings)
    foreign, other = (NLB_ONLY, "NLB") if kind == "alb" else (ALB_ONLY, "ALB")
    for key in foreign:
        if key in given:
            yield (*at, key), f"{key} applies to {other} Gateways only; LBC ignores it on an {kind.upper()}"
    if kind == "nlb" and settings.ip_address_type == "dualstack-without-public-ipv4":
        yield (*at, "ipAddressType"), "dualstack-without-public-ipv4 applies to ALB Gateways only"
    if kind == "alb":
        for position, subnet in enumerate(settings.subnets):
            for key in NLB_SUBNET_ONLY:
                if key in given_fields(subnet):
                    yield (*at, "subnets", position, key), f"{key} applies to NLB Gateways only"
    for key, crd_field in _LB_FIELDS.items():
        if key in given:
            message = needs_release(release, "LoadBalancerConfiguration", crd_field, key, version)
            if message:
                yield (*at, key), message


def _listener_set_problems(
    gateway_api: GatewayApi,
    gateway: Gateway,
    at: Path,
    namespaces: Mapping[str, NamespaceSettings],
    release: str | None,
    version: str,
) -> Found:
    if not gateway.listener_sets:
        return
    path: Path = (*at, "listenerSets")
    if release is not None and not lbc_gateway.at_least(release, lbc_gateway.LISTENER_SETS_SINCE):
        yield (
            path,
            (
                f"ListenerSets need AWS Load Balancer Controller {lbc_gateway.LISTENER_SETS_SINCE} or newer "
                f"({version} does not watch them; loadBalancerController.version)"
            ),
        )
    served = (
        gateway_api_facts.served_versions(
            gateway_api.version, gateway_api.channel, gateway_api_facts.GROUP, "ListenerSet"
        )
        if gateway_api_facts.known_release(gateway_api.version)
        else frozenset({"v1"})
    )
    if "v1" not in served:
        yield (
            path,
            (
                f"ListenerSets need Gateway API v1.5.0 or newer: {gateway_api.version} "
                f"({gateway_api.channel}) does not serve ListenerSet gateway.networking.k8s.io/v1, which LBC "
                "watches (gatewayApi.version)"
            ),
        )
    gateway_namespace = gateway_api.gateway_namespace(gateway)
    for position, listener_set in enumerate(gateway.listener_sets):
        namespace = listener_set.namespace or gateway_namespace
        if not _admits(
            gateway.allowed_listeners,
            gateway.allowed_listeners_selector,
            gateway_namespace,
            namespace,
            namespaces,
        ):
            # routeutils/listener_set.go (LBC v3.5.0): a Gateway accepts ListenerSets per allowedListeners.
            yield (
                (*path, position, "namespace"),
                (
                    f"the Gateway's allowedListeners ({gateway.allowed_listeners}) does not admit "
                    f"ListenerSets from {namespace!r}: Accepted=False (NotAllowed); set the Gateway's "
                    "allowedListeners"
                ),
            )
        for listener_position, listener in enumerate(listener_set.listeners):
            yield from _listener_problems(
                gateway.type, listener, (*path, position, "listeners", listener_position), release, version
            )


def _admits(
    source: str,
    selector: LabelSelector | None,
    own: str,
    namespace: str,
    namespaces: Mapping[str, NamespaceSettings],
) -> bool:
    if source == "All":
        return True
    if source == "Same":
        return namespace == own
    if source == "Selector" and selector is not None:
        labels = {
            **(namespaces[namespace].labels if namespace in namespaces else {}),
            "kubernetes.io/metadata.name": namespace,
        }
        return selector_matches(selector, labels)
    return False


def selector_matches(selector: LabelSelector, labels: Mapping[str, str]) -> bool:
    """Whether ``labels`` satisfy ``selector`` (metav1.LabelSelector semantics)."""
    if any(labels.get(key) != value for key, value in selector.match_labels.items()):
        return False
    for requirement in selector.match_expressions:
        present = requirement.key in labels
        value = labels.get(requirement.key)
        holds = {
            "In": present and value in requirement.values,
            "NotIn": not present or value not in requirement.values,
            "Exists": present,
            "DoesNotExist": not present,
        }[requirement.operator]
        if not holds:
            return False
    return True
