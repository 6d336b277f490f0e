"""Each exposure kind produces the objects LBC and ExternalDNS act on."""

from __future__ import annotations

import json

import pytest

from eksnet_manifests.errors import BuildError
from eksnet_manifests.synth.expose import EXPOSURES, expose
from eksnet_manifests.synth.expose.gateway import build_gateway_platform

NLB = "service.beta.kubernetes.io/aws-load-balancer-"
ALB = "alb.ingress.kubernetes.io/"
CERT = "arn:aws:acm:ap-northeast-2:111122223333:certificate/0a1b2c3d-0000-1111-2222-333344445555"


def by_kind(objects):
    return {obj["kind"]: obj for obj in objects}


def test_every_exposure_kind_has_a_builder() -> None:
    assert set(EXPOSURES) == {"nlb", "alb", "gateway", "none"}


def test_nlb_service_is_owned_by_lbc_with_ip_targets_and_no_node_ports(build_app) -> None:
    app, ctx = build_app(
        {
            "name": "echo",
            "port": 8080,
            "expose": {
                "type": "nlb",
                "hosts": ["echo.example.com"],
                "ttl": 60,
                "healthCheck": {"port": 8080},
            },
        }
    )
    (service,) = expose(app, ctx)
    annotations = service["metadata"]["annotations"]
    assert service["spec"]["type"] == "LoadBalancer"
    assert service["spec"]["loadBalancerClass"] == "service.k8s.aws/nlb"
    assert service["spec"]["allocateLoadBalancerNodePorts"] is False
    assert service["spec"]["ports"] == [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]
    assert annotations[NLB + "nlb-target-type"] == "ip"
    assert annotations[NLB + "scheme"] == "internal"  # LBC's default
    assert annotations[NLB + "attributes"] == "load_balancing.cross_zone.enabled=false"  # ELB's default
    assert annotations[NLB + "healthcheck-port"] == "8080"
    assert annotations["external-dns.alpha.kubernetes.io/hostname"] == "echo.example.com"
    assert annotations["external-dns.alpha.kubernetes.io/ttl"] == "60"


def test_nlb_tls_listener_uses_the_certificate_on_the_service_port(build_app) -> None:
    app, ctx = build_app(
        {"name": "tls", "servicePort": 443, "expose": {"type": "nlb", "certificateArns": [CERT]}}
    )
    annotations = expose(app, ctx)[0]["metadata"]["annotations"]
    assert annotations[NLB + "ssl-cert"] == CERT
    assert annotations[NLB + "ssl-ports"] == "443"


def test_alb_ingress_routes_hosts_to_the_service_with_ip_targets(build_app) -> None:
    app, ctx = build_app(
        {
            "name": "game",
            "namespace": "game-2048",
            "expose": {
                "type": "alb",
                "hosts": ["game.example.com"],
                "pathPrefix": "/play",
                "groupName": "shared",
            },
        }
    )
    objects = by_kind(expose(app, ctx))
    ingress = objects["Ingress"]
    annotations = ingress["metadata"]["annotations"]
    assert ingress["spec"]["ingressClassName"] == "alb"
    assert annotations[ALB + "target-type"] == "ip"
    assert annotations[ALB + "group.name"] == "shared"
    assert json.loads(annotations[ALB + "listen-ports"]) == [{"HTTP": 80}]
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == "game.example.com"
    assert rule["http"]["paths"] == [
        {
            "path": "/play",
            "pathType": "Prefix",
            "backend": {"service": {"name": "game", "port": {"number": 80}}},
        }
    ]
    assert objects["Service"]["spec"]["type"] == "ClusterIP"


def test_alb_https_adds_listener_certificate_and_redirect(build_app) -> None:
    app, ctx = build_app(
        {
            "name": "web",
            "expose": {
                "type": "alb",
                "hosts": ["web.example.com"],
                "certificateArns": [CERT],
                "sslRedirect": True,
            },
        }
    )
    ingress = by_kind(expose(app, ctx))["Ingress"]
    annotations = ingress["metadata"]["annotations"]
    assert json.loads(annotations[ALB + "listen-ports"]) == [{"HTTP": 80}, {"HTTPS": 443}]
    assert annotations[ALB + "certificate-arn"] == CERT
    assert annotations[ALB + "ssl-redirect"] == "443"
    assert ingress["spec"]["tls"] == [{"hosts": ["web.example.com"]}]


def test_alb_without_hosts_matches_every_host(build_app) -> None:
    app, ctx = build_app({"name": "game", "expose": {"type": "alb"}})
    ingress = by_kind(expose(app, ctx))["Ingress"]
    assert "host" not in ingress["spec"]["rules"][0]


def test_gateway_route_attaches_to_the_shared_gateway_listener_and_service(build_app) -> None:
    app, ctx = build_app({"name": "gwapi", "expose": {"type": "gateway", "hosts": ["gwapi.example.com"]}})
    objects = by_kind(expose(app, ctx))
    route = objects["HTTPRoute"]
    assert route["spec"]["parentRefs"] == [
        {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "alb-http", "sectionName": "http"}
    ]
    assert route["spec"]["hostnames"] == ["gwapi.example.com"]
    assert route["spec"]["rules"][0]["backendRefs"] == [{"name": "gwapi", "port": 80}]
    service = objects["Service"]
    assert service["metadata"]["name"] == "gwapi"
    assert service["spec"]["ports"][0]["port"] == 80


def test_target_group_configuration_sets_ip_targets_explicitly(build_app) -> None:
    app, ctx = build_app(
        {
            "name": "gwapi",
            "expose": {"type": "gateway", "healthCheck": {"path": "/healthz", "protocol": "HTTP"}},
        }
    )
    tgc = by_kind(expose(app, ctx))["TargetGroupConfiguration"]
    assert tgc["apiVersion"] == "gateway.k8s.aws/v1"
    assert tgc["spec"] == {
        "targetReference": {"name": "gwapi"},
        "defaultConfiguration": {
            "targetType": "ip",
            "protocol": "HTTP",
            "healthCheckConfig": {"healthCheckPath": "/healthz", "healthCheckProtocol": "HTTP"},
        },
    }


def test_route_in_another_namespace_names_the_gateway_namespace(build_app) -> None:
    app, ctx = build_app({"name": "shop", "namespace": "shop", "expose": {"type": "gateway"}})
    route = by_kind(expose(app, ctx))["HTTPRoute"]
    assert route["spec"]["parentRefs"][0]["namespace"] == "default"


def test_gateway_platform_chains_class_to_load_balancer_configuration(build_app) -> None:
    _, ctx = build_app({"name": "gwapi", "expose": {"type": "gateway"}})
    objects = by_kind(build_gateway_platform(ctx))
    gateway_class = objects["GatewayClass"]
    assert gateway_class["spec"]["controllerName"] == "gateway.k8s.aws/alb"
    assert gateway_class["spec"]["parametersRef"] == {
        "group": "gateway.k8s.aws",
        "kind": "LoadBalancerConfiguration",
        "name": "lbc-config",
        "namespace": "default",
    }
    assert objects["LoadBalancerConfiguration"]["spec"] == {"scheme": "internal"}
    gateway = objects["Gateway"]
    assert gateway["spec"]["gatewayClassName"] == "aws-alb"
    assert [listener["name"] for listener in gateway["spec"]["listeners"]] == ["http"]


def test_gateway_tls_adds_https_listener_and_certificates(build_app) -> None:
    _, ctx = build_app(
        {"name": "gwapi", "expose": {"type": "gateway", "sectionName": "https"}},
        gatewayApi={"tls": {"certificateArns": [CERT]}},
    )
    objects = by_kind(build_gateway_platform(ctx))
    listeners = objects["Gateway"]["spec"]["listeners"]
    assert [(item["name"], item["protocol"], item["port"]) for item in listeners] == [
        ("http", "HTTP", 80),
        ("https", "HTTPS", 443),
    ]
    assert "tls" not in listeners[1]  # LBC takes certificates from the LoadBalancerConfiguration
    assert objects["LoadBalancerConfiguration"]["spec"]["listenerConfigurations"] == [
        {"protocolPort": "HTTPS:443", "defaultCertificate": CERT}
    ]


def test_none_exposure_is_a_cluster_ip_service_only(build_app) -> None:
    app, ctx = build_app({"name": "netshoot"})
    (service,) = expose(app, ctx)
    assert service["spec"]["type"] == "ClusterIP"


def test_extra_annotations_reach_the_exposing_object(build_app) -> None:
    app, ctx = build_app(
        {"name": "echo", "expose": {"type": "nlb", "annotations": {NLB + "ip-address-type": "dualstack"}}}
    )
    assert expose(app, ctx)[0]["metadata"]["annotations"][NLB + "ip-address-type"] == "dualstack"


@pytest.mark.parametrize(
    ("expose_spec", "kind", "scheme_of"),
    [
        ({"type": "nlb"}, "Service", lambda obj: obj["metadata"]["annotations"][NLB + "scheme"]),
        ({"type": "alb"}, "Ingress", lambda obj: obj["metadata"]["annotations"][ALB + "scheme"]),
    ],
    ids=["nlb", "alb"],
)
@pytest.mark.parametrize("given", [None, "internet-facing"], ids=["default", "stated"])
def test_scheme_defaults_to_lbcs_internal_and_the_profile_may_say_otherwise(
    build_app, expose_spec, kind, scheme_of, given
) -> None:
    spec = {**expose_spec, **({"scheme": given} if given else {})}
    app, ctx = build_app({"name": "web", "expose": spec})
    assert scheme_of(by_kind(expose(app, ctx))[kind]) == (given or "internal")


def test_gateway_objects_use_the_apiversions_of_the_pinned_releases(build_app) -> None:
    # GIVEN LBC v2.14.1 (v1beta1 CRDs, lower-case health-check protocols) and Gateway API v1.3.0
    app, ctx = build_app(
        {"name": "gwapi", "expose": {"type": "gateway", "healthCheck": {"protocol": "HTTP"}}},
        loadBalancerController={"version": "v2.14.1"},
        gatewayApi={"version": "v1.3.0"},
    )
    objects = by_kind([*expose(app, ctx), *build_gateway_platform(ctx)])
    # THEN each kind is written at the version those releases serve, in the casing the CRD accepts
    assert {kind: obj["apiVersion"] for kind, obj in objects.items() if kind != "Service"} == {
        "HTTPRoute": "gateway.networking.k8s.io/v1",
        "GatewayClass": "gateway.networking.k8s.io/v1",
        "Gateway": "gateway.networking.k8s.io/v1",
        "TargetGroupConfiguration": "gateway.k8s.aws/v1beta1",
        "LoadBalancerConfiguration": "gateway.k8s.aws/v1beta1",
    }
    health = objects["TargetGroupConfiguration"]["spec"]["defaultConfiguration"]["healthCheckConfig"]
    assert health == {"healthCheckProtocol": "http"}


@pytest.mark.parametrize(
    ("external_dns", "prefix"),
    [({}, "external-dns.alpha.kubernetes.io/"), ({"version": "v0.22.0"}, "external-dns.kubernetes.io/")],
    ids=["chart-1.21.1-runs-0.21", "pinned-0.22"],
)
def test_dns_annotations_use_the_prefix_the_pinned_external_dns_reads(
    build_app, external_dns, prefix
) -> None:
    app, ctx = build_app(
        {"name": "echo", "expose": {"type": "nlb", "hosts": ["echo.example.com"], "ttl": 60}},
        externalDns=external_dns,
    )
    annotations = expose(app, ctx)[0]["metadata"]["annotations"]
    assert {key for key in annotations if "external-dns" in key} == {f"{prefix}hostname", f"{prefix}ttl"}


def test_an_unknown_gateway_api_release_is_a_build_error_at_its_field(build_app) -> None:
    with pytest.raises(BuildError, match=r"Gateway API v2\.0\.0: major version 2") as raised:
        build_app({"name": "gwapi", "expose": {"type": "gateway"}}, gatewayApi={"version": "v2.0.0"})
    assert raised.value.location.field == "gatewayApi.version"
