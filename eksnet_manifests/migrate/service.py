"""NLB Services (``type: LoadBalancer`` that LBC reconciles): annotations and spec, for an ``nlb`` app or
an NLB Gateway with TCP, UDP and TLS listeners.

Keys with a typed profile field (the catalogue's ``field``) become it; deprecated keys become the field
of their replacement; the rest stay in ``expose.annotations`` of a profile and become
LoadBalancerConfiguration, listener or TargetGroupConfiguration fields on Gateway API (LBC docs
``guide/service/annotations.md``, ``guide/gateway/loadbalancerconfig.md``, v3.5.0).
"""

from __future__ import annotations

from eksnet_manifests.migrate.alb.common import keep, note, parsed, typed
from eksnet_manifests.migrate.alb.metadata import BOOKKEEPING, DNS_PREFIXES
from eksnet_manifests.migrate.draft import ServiceDraft, ServicePort
from eksnet_manifests.migrate.fields import gateway_field
from eksnet_manifests.migrate.inputs import NLB_CLASS, Resource, _list, _map
from eksnet_manifests.migrate.report import Report, approximated, dropped, translated, unknown
from eksnet_manifests.migrate.values import BadValue, as_int, as_list
from eksnet_manifests.profile.exposure import NlbExposure
from eksnet_manifests.versions import lbc_annotations as catalogue
from eksnet_manifests.versions.lbc_annotations import NLB_PREFIX, SERVICE_PREFIX

P = NLB_PREFIX
TYPE = P + "type"
SSL_CERT, SSL_PORTS = P + "ssl-cert", P + "ssl-ports"
HEALTH_PROTOCOL = P + "healthcheck-protocol"
PROXY_PROTOCOL = P + "proxy-protocol"
INTERNAL = P + "internal"
LB = "LoadBalancerConfiguration spec."
TG = "TargetGroupConfiguration spec.defaultConfiguration."
# Untyped keys with a Gateway API field: key -> (draft.gateway key, where it goes).
GATEWAY_ONLY = {
    P + "enable-icmp-for-path-mtu-discovery": ("loadBalancer.enableIcmp", LB + "enableICMP"),
    P + "inbound-sg-rules-on-private-link-traffic": (
        "loadBalancer.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
        LB + "enforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
    ),
    P + "disable-nlb-sg": ("loadBalancer.disableSecurityGroup", LB + "disableSecurityGroup"),
    P + "multi-cluster-target-group": ("targetGroup.enableMultiCluster", TG + "enableMultiCluster"),
    P + "backend-protocol": ("targetGroup.protocol", TG + "protocol"),
    P + "eip-allocations": ("subnets.eipAllocation", LB + "loadBalancerSubnets[].eipAllocation"),
    P + "private-ipv4-addresses": (
        "subnets.privateIpv4Allocation",
        LB + "loadBalancerSubnets[].privateIPv4Allocation",
    ),
    P + "ipv6-addresses": ("subnets.ipv6Allocation", LB + "loadBalancerSubnets[].ipv6Allocation"),
    P + "source-nat-ipv6-prefixes": (
        "subnets.sourceNatIpv6Prefix",
        LB + "loadBalancerSubnets[].sourceNatIPv6Prefix",
    ),
    P + "target-node-labels": ("targetGroup.nodeSelector", TG + "nodeSelector.matchLabels"),
    P + "minimum-load-balancer-capacity": (
        "loadBalancer.minimumCapacityUnits",
        LB + "minimumLoadBalancerCapacity",
    ),
    P + "quic-enabled-ports": ("listeners.quic", LB + "listenerConfigurations[].quicEnabled"),
}
NO_GATEWAY = {
    P + "enable-prefix-for-ipv6-source-nat": "set the subnets' sourceNatIpv6Prefix instead",
    P
    + "proxy-protocol-per-target-group": "give the TargetGroupConfiguration the proxy_protocol_v2 attribute",
    P + "enable-tcp-udp-listener": "",
}
STEMS = {
    P + "listener-attributes.": "listener",
    P + "target-group-attributes.": "per-port target group attributes",
    SERVICE_PREFIX + "actions.": "listener default action",
}
NODE_PORTS = "LBC registers pod IPs (ip targets) or node ports it reads from the Service; nothing to carry"


def translate_service(service: Resource, report: Report) -> ServiceDraft:
    """The draft of one NLB Service (annotations, ports, source ranges)."""
    draft = ServiceDraft(service.source)
    for key in sorted(service.annotations):
        _annotation(service, key, draft, report)
    _ports(service, draft, report)
    _spec(service, draft, report)
    return draft


def _annotation(service: Resource, key: str, draft: ServiceDraft, report: Report) -> None:
    entry = catalogue.lookup(key)
    family = catalogue.family_of(key)
    if family is None:
        _other(service, key, draft, report)
    elif entry is None:
        note(report, service, key, unknown(key))
    elif key == TYPE:
        value = service.annotations[key]
        profile = approximated(
            "spec.loadBalancerClass",
            f"eksnet sets loadBalancerClass {NLB_CLASS} instead of {value}; the class of a Service "
            "cannot change, so the Service is created anew (see the cut-over plan)",
        )
        note(report, service, key, profile, translated("GatewayClass gateway.k8s.aws/nlb"))
    elif key == HEALTH_PROTOCOL:
        value = service.annotations[key].upper()
        draft.settings["expose.healthCheck.protocol"] = value
        note(
            report,
            service,
            key,
            translated("expose.healthCheck.protocol"),
            translated(gateway_field("expose.healthCheck.protocol")),
        )
    elif key == PROXY_PROTOCOL:
        draft.settings["expose.targetGroupAttributes.proxyProtocolV2"] = True
        note(
            report,
            service,
            key,
            translated("expose.targetGroupAttributes.proxyProtocolV2"),
            translated(TG + "targetGroupAttributes", "proxy_protocol_v2.enabled"),
        )
    elif key == INTERNAL:
        internal = parsed(service, key, report)
        if internal is not None:
            draft.settings["expose.scheme"] = "internal" if internal else "internet-facing"
            profile = approximated("expose.scheme", "deprecated: written as aws-load-balancer-scheme")
            note(report, service, key, profile, translated(LB + "scheme"))
    elif key == SSL_PORTS:
        note(
            report,
            service,
            key,
            translated("expose.certificateArns", "TLS on the Service port"),
            translated("Gateway spec.listeners", "TLS listeners"),
        )
    elif key in GATEWAY_ONLY:
        _gateway_only(service, key, draft, report)
    elif key in NO_GATEWAY:
        reason = NO_GATEWAY[key]
        gateway = (
            translated("Gateway spec.listeners", "TCP and UDP listeners on one port are one TCP_UDP listener")
            if not reason
            else dropped(f"no Gateway API form: {reason}")
        )
        keep(service, key, draft, report, gateway)
    elif any(key.startswith(stem) for stem in STEMS):
        what = next(what for stem, what in STEMS.items() if key.startswith(stem))
        if what == "listener":
            value = parsed(service, key, report)
            if value is not None:
                draft.gateway[f"listener.{key.rpartition('.')[2]}.attributes"] = dict(value)
                keep(
                    service,
                    key,
                    draft,
                    report,
                    translated(LB + "listenerConfigurations[].listenerAttributes"),
                )
        else:
            keep(service, key, draft, report, dropped(f"no Gateway API form for the {what}"))
    elif entry.field is not None:
        typed(service, key, draft, report, model=NlbExposure)
    else:
        keep(service, key, draft, report, dropped("no Gateway API form"))


def _gateway_only(service: Resource, key: str, draft: ServiceDraft, report: Report) -> None:
    target, where = GATEWAY_ONLY[key]
    value = parsed(service, key, report)
    if value is None:
        return
    if target == "loadBalancer.minimumCapacityUnits":
        value = int(value.get("CapacityUnits", "0") or 0)
    elif target == "targetGroup.nodeSelector":
        value = {"matchLabels": dict(value)}
    elif target == "targetGroup.protocol":
        value = "TLS" if value == "ssl" else "TCP"
    elif target == "loadBalancer.enableIcmp":
        value = str(value).lower() in ("on", "true")
    draft.gateway[target] = value
    keep(service, key, draft, report, translated(where))


def _other(service: Resource, key: str, draft: ServiceDraft, report: Report) -> None:
    if key in BOOKKEEPING:
        note(report, service, key, dropped("kubectl's record of the last apply; kubectl writes it again"))
        return
    name = key.rpartition("/")[2]
    on_routes = translated("TCPRoute/UDPRoute metadata.annotations", f"ExternalDNS {name} on each route")
    if key.startswith(DNS_PREFIXES) and name == "hostname":
        draft.hostname_annotation = as_list(service.annotations[key])
        note(report, service, key, translated("expose.hosts"), on_routes)
    elif key.startswith(DNS_PREFIXES) and name == "ttl":
        try:
            draft.ttl = as_int(service.annotations[key])
        except BadValue as exc:
            note(report, service, key, dropped(f"ExternalDNS ignores it: {exc}"))
            return
        note(report, service, key, translated("expose.ttl"), on_routes)
    else:
        gateway = (
            on_routes
            if key.startswith(DNS_PREFIXES)
            else dropped(
                "an annotation of the Service: the Gateway API objects are new; carry it over if a "
                "tool reads it"
            )
        )
        keep(service, key, draft, report, gateway, "kept as written on the Service")


def _ports(service: Resource, draft: ServiceDraft, report: Report) -> None:
    for index, raw in enumerate(_list(service.spec.get("ports"))):
        port = _map(raw)
        at = f"spec.ports[{index}]"
        number = port.get("port")
        if not isinstance(number, int):
            continue
        target = port.get("targetPort", number)
        draft.ports.append(
            ServicePort(
                str(port["name"]) if port.get("name") else None,
                number,
                target if isinstance(target, int | str) else number,
                str(port.get("protocol") or "TCP"),
                at,
            )
        )
    if SSL_CERT not in service.annotations:
        return
    # pkg/service/model_build_listener.go (LBC v3.5.0): ssl-ports names ports by number or name; without
    # it every TCP port is a TLS listener.
    named = as_list(service.annotations.get(SSL_PORTS, "")) or None
    draft.tls_ports = [
        port.port
        for port in draft.ports
        if port.protocol == "TCP" and (named is None or str(port.port) in named or port.name in named)
    ]


def _spec(service: Resource, draft: ServiceDraft, report: Report) -> None:
    spec = service.spec
    source = service.source
    ranges = [str(cidr) for cidr in _list(spec.get("loadBalancerSourceRanges"))]
    if ranges:
        draft.settings["expose.sourceRanges"] = ranges
        report.add(
            source,
            "spec.loadBalancerSourceRanges",
            translated("expose.sourceRanges"),
            translated(LB + "sourceRanges"),
            service.line_of("spec.loadBalancerSourceRanges"),
        )
    outcomes = {
        "loadBalancerClass": (
            translated("expose.type", "nlb"),
            translated("GatewayClass gateway.k8s.aws/nlb"),
        ),
        "allocateLoadBalancerNodePorts": (
            translated("expose.targetType", "false with ip targets"),
            dropped(NODE_PORTS),
        ),
        "externalTrafficPolicy": (
            dropped(
                "eksnet leaves it to Kubernetes (Cluster); with ip targets the NLB reaches pods directly"
            ),
            dropped("a Service setting: Gateway targets are the Service's endpoints"),
        ),
        "loadBalancerIP": (
            dropped("LBC does not read it: give addresses with aws-load-balancer-eip-allocations"),
            dropped("LBC does not read it: give subnets[].eipAllocation"),
        ),
        "healthCheckNodePort": (dropped("assigned by the API server"), dropped("assigned by the API server")),
    }
    for key, (profile, gateway) in outcomes.items():
        if key in spec:
            report.add(source, f"spec.{key}", profile, gateway, service.line_of(f"spec.{key}"))
