"""Gateways of their own and the routes on them: the objects LBC, Gateway API and ExternalDNS act on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eksnet_manifests.profile.load import load_profile
from eksnet_manifests.synth.artifact import Bundle
from eksnet_manifests.synth.bundle import build_bundle
from eksnet_manifests.synth.helm.external_dns_values import build_external_dns_values
from eksnet_manifests.synth.helm.features import effective_feature_gates
from tests.synth.conftest import make_profile

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def example() -> Bundle:
    """The bundled Gateway example, synthesised once."""
    return build_bundle(load_profile(REPO / "profiles" / "gateways.yaml").profile)


def find(bundle: Bundle, kind: str, name: str, namespace: str | None = None) -> dict[str, Any]:
    for artifact in bundle.artifacts:
        for obj in artifact.content if isinstance(artifact.content, list) else []:
            meta = obj["metadata"]
            if obj["kind"] == kind and meta["name"] == name and namespace in (None, meta.get("namespace")):
                return obj
    raise AssertionError(f"no {kind} {namespace}/{name}")


def test_each_gateway_has_its_own_load_balancer_configuration(example: Bundle) -> None:
    gateway = find(example, "Gateway", "public")
    assert gateway["spec"]["infrastructure"]["parametersRef"] == {
        "group": "gateway.k8s.aws",
        "kind": "LoadBalancerConfiguration",
        "name": "public",
    }
    config = find(example, "LoadBalancerConfiguration", "public", "gateways")["spec"]
    assert config["scheme"] == "internet-facing"
    assert config["wafV2"] == {"webACL": config["wafV2"]["webACL"]}
    assert {"key": "deletion_protection.enabled", "value": "true"} in config["loadBalancerAttributes"]
    assert find(example, "LoadBalancerConfiguration", "internal", "gateways")["spec"]["scheme"] == "internal"
    classes = {
        find(example, "GatewayClass", name)["spec"]["controllerName"]
        for name in ("aws-alb-gateway", "aws-nlb-gateway")
    }
    assert classes == {"gateway.k8s.aws/alb", "gateway.k8s.aws/nlb"}


def test_https_redirect_is_one_route_on_the_http_listener(example: Bundle) -> None:
    redirect = find(example, "HTTPRoute", "public-https-redirect", "gateways")["spec"]
    assert redirect["parentRefs"] == [
        {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "public", "sectionName": "http"}
    ]
    assert redirect["rules"] == [
        {"filters": [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}]}
    ]
    assert redirect["hostnames"] == ["admin.example.com", "grpc.example.com", "shop.example.com"]


def test_canary_split_and_cross_namespace_backend_are_rules_of_one_route(example: Bundle) -> None:
    rules = find(example, "HTTPRoute", "storefront", "web")["spec"]["rules"]
    assert rules[0]["backendRefs"] == [{"name": "catalog", "namespace": "catalog", "port": 80}]
    assert rules[1]["backendRefs"] == [
        {"name": "storefront", "port": 80, "weight": 90},
        {"name": "storefront-canary", "port": 80, "weight": 10},
    ]


def test_reference_grant_allows_exactly_the_routes_that_use_the_backend(example: Bundle) -> None:
    grant = find(example, "ReferenceGrant", "catalog", "catalog")["spec"]
    assert grant == {
        "from": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "namespace": "web"}],
        "to": [{"group": "", "kind": "Service", "name": "catalog"}],
    }
    # the canary lives in the route's namespace: no grant
    with pytest.raises(AssertionError):
        find(example, "ReferenceGrant", "storefront-canary")


def test_backend_only_app_gets_ip_targets(example: Bundle) -> None:
    config = find(example, "TargetGroupConfiguration", "storefront-canary", "web")["spec"]
    assert config == {
        "targetReference": {"name": "storefront-canary"},
        "defaultConfiguration": {"targetType": "ip", "protocol": "HTTP"},
    }


def test_oidc_rule_points_at_its_listener_rule_configuration(example: Bundle) -> None:
    [rule] = find(example, "HTTPRoute", "admin", "admin")["spec"]["rules"]
    assert rule["filters"] == [
        {
            "type": "ExtensionRef",
            "extensionRef": {
                "group": "gateway.k8s.aws",
                "kind": "ListenerRuleConfiguration",
                "name": "admin-rule-0",
            },
        }
    ]
    [action] = find(example, "ListenerRuleConfiguration", "admin-rule-0", "admin")["spec"]["actions"]
    assert action["type"] == "authenticate-oidc"
    assert action["authenticateOIDCConfig"]["secret"] == {"name": "admin-oidc"}
    assert "scope" not in action["authenticateOIDCConfig"]  # CRD defaults are left to the CRD


@pytest.mark.parametrize(
    ("name", "kind", "protocol", "annotated"),
    [
        ("game", "TCPRoute", "TCP", True),
        ("dns", "UDPRoute", "UDP", True),
        ("greeter", "GRPCRoute", "TCP", False),
    ],
)
def test_route_kind_service_ports_and_dns_follow_the_listener(
    example: Bundle, name: str, kind: str, protocol: str, annotated: bool
) -> None:
    route = find(example, kind, name)
    annotations = route["metadata"].get("annotations", {})
    # TCPRoutes and UDPRoutes have no hostnames in their spec: ExternalDNS reads the annotation
    assert ("external-dns.alpha.kubernetes.io/hostname" in annotations) is annotated
    assert ("hostnames" in route["spec"]) is not annotated
    [port] = find(example, "Service", name)["spec"]["ports"]
    assert port["protocol"] == protocol
    [container] = find(example, "Deployment", name)["spec"]["template"]["spec"]["containers"]
    assert [entry["protocol"] for entry in container["ports"]] == [protocol]


def test_external_dns_sources_and_gates_follow_the_route_kinds_and_gateway_types() -> None:
    profile = load_profile(REPO / "profiles" / "gateways.yaml").profile
    sources = build_external_dns_values(profile).content["sources"]
    assert sources == ["gateway-grpcroute", "gateway-httproute", "gateway-tcproute", "gateway-udproute"]
    assert effective_feature_gates(profile) == {"ALBGatewayAPI": True, "NLBGatewayAPI": True}


NLB_GATEWAY = {
    "version": "v1.6.1",
    "channel": "experimental",
    "gateways": [
        {
            "name": "edge",
            "type": "nlb",
            "listeners": [
                {
                    "name": "tcp",
                    "protocol": "TCP",
                    "port": 53,
                    "attributes": {"tcp.idle_timeout.seconds": "60"},
                },
                {"name": "udp", "protocol": "UDP", "port": 53},
            ],
        }
    ],
}


def test_tcp_and_udp_listeners_on_one_port_make_one_tcp_udp_target_group_and_listener() -> None:
    # GIVEN a DNS app on the UDP half of a port shared with a TCP listener
    app = {
        "name": "dns",
        "port": 53,
        "servicePort": 53,
        "expose": {"type": "gateway", "gateway": "edge", "sectionName": "udp"},
    }
    bundle = build_bundle(make_profile(app, gatewayApi=NLB_GATEWAY))
    # THEN the listener settings are keyed TCP_UDP:53, the target group is TCP_UDP and the pods serve both
    config = find(bundle, "LoadBalancerConfiguration", "edge")["spec"]
    assert [entry["protocolPort"] for entry in config["listenerConfigurations"]] == ["TCP_UDP:53"]
    tgc = find(bundle, "TargetGroupConfiguration", "dns")["spec"]["defaultConfiguration"]
    assert tgc["protocol"] == "TCP_UDP"
    ports = find(bundle, "Service", "dns")["spec"]["ports"]
    assert [(port["name"], port["protocol"]) for port in ports] == [("http", "TCP"), ("udp", "UDP")]


def test_a_backend_on_another_load_balancer_type_gets_a_route_configuration() -> None:
    # GIVEN an HTTP app that an NLB TCPRoute of another app also sends traffic to
    gateway_api = {
        **NLB_GATEWAY,
        "gateways": [
            *NLB_GATEWAY["gateways"],
            {"name": "web", "type": "alb", "listeners": [{"name": "http", "protocol": "HTTP", "port": 80}]},
        ],
    }
    web = {"name": "web", "expose": {"type": "gateway", "gateway": "web"}}
    raw = {
        "name": "raw",
        "expose": {
            "type": "gateway",
            "gateway": "edge",
            "sectionName": "tcp",
            "rules": [{"backends": [{"app": "web"}]}],
        },
    }
    bundle = build_bundle(make_profile(web, raw, gatewayApi=gateway_api))
    # THEN the web TargetGroupConfiguration keeps HTTP for its own route and TCP_UDP for the NLB's
    spec = find(bundle, "TargetGroupConfiguration", "web")["spec"]
    assert spec["defaultConfiguration"]["protocol"] == "HTTP"
    assert spec["routeConfigurations"] == [
        {
            "routeIdentifier": {"kind": "TCPRoute", "namespace": "default", "name": "raw"},
            "targetGroupProps": {"protocol": "TCP_UDP"},
        }
    ]


def test_listener_sets_attach_to_their_gateway_and_routes_to_the_listener_set() -> None:
    gateway_api = {
        "version": "v1.6.1",
        "gateways": [
            {
                "name": "web",
                "type": "alb",
                "allowedListeners": "All",
                "listeners": [{"name": "http", "protocol": "HTTP", "port": 80}],
                "listenerSets": [
                    {
                        "name": "team",
                        "namespace": "team",
                        "listeners": [{"name": "team-http", "protocol": "HTTP", "port": 8080}],
                    }
                ],
            }
        ],
    }
    app = {
        "name": "app",
        "namespace": "team",
        "expose": {"type": "gateway", "gateway": "web", "listenerSet": "team", "sectionName": "team-http"},
    }
    profile = make_profile(app, gatewayApi=gateway_api)
    bundle = build_bundle(profile)
    listener_set = find(bundle, "ListenerSet", "team", "team")["spec"]
    assert listener_set["parentRef"] == {
        "group": "gateway.networking.k8s.io",
        "kind": "Gateway",
        "name": "web",
        "namespace": "default",
    }
    assert find(bundle, "Gateway", "web")["spec"]["allowedListeners"] == {"namespaces": {"from": "All"}}
    [parent] = find(bundle, "HTTPRoute", "app", "team")["spec"]["parentRefs"]
    assert parent == {
        "group": "gateway.networking.k8s.io",
        "kind": "ListenerSet",
        "name": "team",
        "sectionName": "team-http",
    }
    assert effective_feature_gates(profile)["GatewayListenerSet"] is True


def test_backend_target_group_settings_become_a_route_configuration_of_that_backend() -> None:
    # GIVEN a canary backend whose target group checks another health path for this route
    web = {
        "name": "web",
        "expose": {
            "type": "gateway",
            "rules": [
                {
                    "backends": [
                        {"app": "web", "weight": 90},
                        {"app": "canary", "weight": 10, "targetGroup": {"healthCheck": {"path": "/canary"}}},
                    ]
                }
            ],
        },
    }
    bundle = build_bundle(make_profile(web, {"name": "canary"}))
    # THEN the canary's TargetGroupConfiguration keeps IP targets and carries the setting for web's route
    spec = find(bundle, "TargetGroupConfiguration", "canary")["spec"]
    assert spec["defaultConfiguration"] == {"targetType": "ip", "protocol": "HTTP"}
    assert spec["routeConfigurations"] == [
        {
            "routeIdentifier": {"kind": "HTTPRoute", "namespace": "default", "name": "web"},
            "targetGroupProps": {"healthCheckConfig": {"healthCheckPath": "/canary"}},
        }
    ]
