"""Gateway API output beyond the golden cases: routes per host set, rule limits, backends LBC reads from
Services, external target groups, NLB TLS listeners."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eksnet_manifests.migrate.migration import MigrateOptions, migrate
from eksnet_manifests.migrate.report import Target
from eksnet_manifests.profile.load import load_profile
from eksnet_manifests.versions import lbc_annotations as catalogue

from .helpers import documents, ingress, service

A = catalogue.INGRESS_PREFIX
BASE = load_profile(Path(__file__).parent / "profile.yaml").profile


def _objects(*objects: dict[str, Any]) -> list[dict[str, Any]]:
    migration = migrate(documents(*objects), MigrateOptions(Target.GATEWAY, BASE))
    assert not migration.failed, [e.profile.detail for e in migration.report.errors(Target.GATEWAY)]
    return migration.objects


def _kind(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [obj for obj in objects if obj["kind"] == kind]


def _two_hosts(second_path: str) -> dict[str, Any]:
    shop = ingress("shop", "shop", paths=[("/", "Prefix", "web", 80)], host="a.example.com")
    other = {"host": "b.example.com", "http": {"paths": [dict(shop["spec"]["rules"][0]["http"]["paths"][0])]}}
    other["http"]["paths"][0] = {**other["http"]["paths"][0], "path": second_path}
    shop["spec"]["rules"].append(other)
    return shop


def test_hosts_with_the_same_paths_share_a_route_and_others_get_their_own() -> None:
    shared = _kind(_objects(_two_hosts("/"), service("web", "shop")), "HTTPRoute")
    assert [route["spec"]["hostnames"] for route in shared] == [["a.example.com", "b.example.com"]]
    apart = _kind(_objects(_two_hosts("/b"), service("web", "shop")), "HTTPRoute")
    assert [route["spec"]["hostnames"] for route in apart] == [["a.example.com"], ["b.example.com"]]


def test_more_paths_than_a_route_takes_go_to_further_routes() -> None:
    paths = [(f"/p{number}", "Prefix", "web", 80) for number in range(20)]
    routes = _kind(_objects(ingress("many", "shop", paths=paths), service("web", "shop")), "HTTPRoute")
    assert [len(route["spec"]["rules"]) for route in routes] == [16, 4]
    assert [route["metadata"]["name"] for route in routes] == ["many", "many-2"]


def test_default_backend_of_an_ingress_with_hosts_is_a_catch_all_route() -> None:
    portal = ingress(
        "portal", "web", defaultBackend={"service": {"name": "fallback", "port": {"number": 80}}}
    )
    routes = _kind(_objects(portal, service("portal", "web"), service("fallback", "web")), "HTTPRoute")
    catch_all = routes[-1]["spec"]
    assert "hostnames" not in catch_all
    assert catch_all["rules"] == [{"backendRefs": [{"name": "fallback", "port": 80}]}]


def test_a_backend_services_own_lbc_keys_win_in_its_target_group_configuration() -> None:
    # GIVEN an Ingress health check and a Service behind it with its own
    api = ingress("api", "shop", {A + "healthcheck-path": "/healthz", A + "target-type": "ip"})
    backend = service("api", "shop", annotations={A + "healthcheck-path": "/ready"})
    (config,) = _kind(_objects(api, backend), "TargetGroupConfiguration")
    # THEN the Service's wins for its target group, as LBC reads it
    assert config["spec"]["defaultConfiguration"]["healthCheckConfig"] == {"healthCheckPath": "/ready"}
    assert config["spec"]["defaultConfiguration"]["targetType"] == "ip"


def test_forward_to_an_external_target_group_is_a_target_group_name_backend() -> None:
    arn = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/legacy-tg/0123456789abcdef"
    action = f'{{"type":"forward","targetGroupARN":"{arn}"}}'
    legacy = ingress(
        "legacy", "shop", {A + "actions.legacy": action}, paths=[("/", "Prefix", "legacy", "use-annotation")]
    )
    (route,) = _kind(_objects(legacy), "HTTPRoute")
    assert route["spec"]["rules"][0]["backendRefs"] == [{"kind": "TargetGroupName", "name": "legacy-tg"}]


def test_an_nlb_tls_port_is_a_tls_listener_with_a_tcp_route() -> None:
    cert = "arn:aws:acm:ap-northeast-2:111122223333:certificate/0a1b2c3d-0000-1111-2222-333344445555"
    tls = service(
        "api",
        "shop",
        port=443,
        type="LoadBalancer",
        loadBalancerClass="service.k8s.aws/nlb",
        annotations={"service.beta.kubernetes.io/aws-load-balancer-ssl-cert": cert},
    )
    objects = _objects(tls)
    (gateway,) = _kind(objects, "Gateway")
    (listener,) = gateway["spec"]["listeners"]
    assert (listener["protocol"], listener["allowedRoutes"]["kinds"]) == (
        "TLS",
        [{"group": "gateway.networking.k8s.io", "kind": "TCPRoute"}],
    )
    (config,) = _kind(objects, "LoadBalancerConfiguration")
    assert config["spec"]["listenerConfigurations"] == [
        {"protocolPort": "TLS:443", "defaultCertificate": cert}
    ]
    assert [route["kind"] for route in objects if route["kind"].endswith("Route")] == ["TCPRoute"]


def test_a_controller_without_gateway_support_is_an_error_naming_the_release_needed() -> None:
    old = BASE.model_copy(
        update={
            "load_balancer_controller": BASE.load_balancer_controller.model_copy(
                update={"version": "v2.12.0"}
            )
        }
    )
    migration = migrate(documents(ingress(), service()), MigrateOptions(Target.GATEWAY, old))
    assert migration.failed and migration.objects == []
    (error,) = migration.report.errors(Target.GATEWAY)
    assert "v2.12.0 has no ALB Gateway controller (v2.14.0 or newer)" in error.profile.detail
