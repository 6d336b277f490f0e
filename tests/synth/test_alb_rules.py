"""ALB exposures with Ingress rules: hosts, paths to other apps and to LBC actions, a default backend; NLB
exposures serving UDP or both transports."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from eksnet_manifests.profile.exposure import AlbExposure
from eksnet_manifests.synth.expose import expose
from eksnet_manifests.synth.expose.gateway import app_transports
from eksnet_manifests.synth.workload import build_deployment

from .conftest import make_profile

ACTION = "alb.ingress.kubernetes.io/actions.canary"
CANARY = '{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"web","servicePort":"80"}]}}'


def _ingress(app: dict[str, Any], *others: dict[str, Any]) -> dict[str, Any]:
    from eksnet_manifests.synth.context import build_context

    profile = make_profile(app, *others)
    resolved = profile.resolved_apps()[0]
    return next(obj for obj in expose(resolved, build_context(profile)) if obj["kind"] == "Ingress")


def test_rules_route_each_host_path_to_its_app_action_or_port() -> None:
    # GIVEN an ALB app whose Ingress sends /api to another app, / to an action and /docs to a named port
    ingress = _ingress(
        {
            "name": "web",
            "expose": {
                "type": "alb",
                "hosts": ["shop.example.com"],
                "annotations": {ACTION: CANARY},
                "rules": [
                    {
                        "host": "shop.example.com",
                        "paths": [
                            {"path": "/", "action": "canary"},
                            {"path": "/api", "app": "api"},
                            {"path": "/docs", "pathType": "Exact", "port": 8080},
                        ],
                    }
                ],
                "defaultBackend": {"app": "api"},
            },
        },
        {"name": "api", "servicePort": 9000},
    )
    # THEN the Ingress has exactly those paths and the default backend, at each app's Service port
    assert ingress["spec"]["rules"] == [
        {
            "host": "shop.example.com",
            "http": {
                "paths": [
                    {
                        "path": "/",
                        "pathType": "Prefix",
                        "backend": {"service": {"name": "canary", "port": {"name": "use-annotation"}}},
                    },
                    {
                        "path": "/api",
                        "pathType": "Prefix",
                        "backend": {"service": {"name": "api", "port": {"number": 9000}}},
                    },
                    {
                        "path": "/docs",
                        "pathType": "Exact",
                        "backend": {"service": {"name": "web", "port": {"number": 8080}}},
                    },
                ]
            },
        }
    ]
    assert ingress["spec"]["defaultBackend"] == {"service": {"name": "api", "port": {"number": 9000}}}
    assert ingress["metadata"]["annotations"][ACTION] == CANARY


def test_without_rules_every_host_routes_the_path_prefix_to_the_app() -> None:
    ingress = _ingress(
        {"name": "web", "expose": {"type": "alb", "hosts": ["a.example.com"], "pathPrefix": "/x"}}
    )
    assert ingress["spec"]["rules"] == [
        {
            "host": "a.example.com",
            "http": {
                "paths": [
                    {
                        "path": "/x",
                        "pathType": "Prefix",
                        "backend": {"service": {"name": "web", "port": {"number": 80}}},
                    }
                ]
            },
        }
    ]
    assert "defaultBackend" not in ingress["spec"]


@pytest.mark.parametrize(
    ("expose", "message"),
    [
        (
            {"hosts": ["a.example.com"], "rules": [{"host": "b.example.com", "paths": [{}]}]},
            "which hosts does not list",
        ),
        (
            {
                "hosts": ["a.example.com", "c.example.com"],
                "rules": [{"host": "a.example.com", "paths": [{}]}],
            },
            "is in no rule",
        ),
        ({"rules": [{"paths": [{"action": "gone"}]}]}, "needs its annotation"),
        ({"rules": [{"paths": [{"action": "x", "app": "y"}]}]}, "action replaces the Service"),
        ({"pathPrefix": "/a", "rules": [{"paths": [{}]}]}, "pathPrefix is the one path"),
    ],
    ids=["unknown-host", "host-without-rule", "undeclared-action", "action-and-app", "path-prefix-and-rules"],
)
def test_inconsistent_rules_are_refused(expose: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        AlbExposure.model_validate({"type": "alb", **expose})


@pytest.mark.parametrize(
    ("protocol", "ports"),
    [("UDP", [("udp", "UDP")]), ("TCP_UDP", [("http", "TCP"), ("udp", "UDP")])],
    ids=["udp", "tcp-udp"],
)
def test_nlb_protocol_gives_the_service_and_pods_those_transports(
    protocol: str, ports: list[tuple[str, str]]
) -> None:
    from eksnet_manifests.synth.context import build_context

    profile = make_profile(
        {"name": "dns", "servicePort": 53, "port": 5353, "expose": {"type": "nlb", "protocol": protocol}}
    )
    app = profile.resolved_apps()[0]
    (service,) = expose(app, build_context(profile))
    assert [(port["name"], port["protocol"]) for port in service["spec"]["ports"]] == ports
    deployment = build_deployment(app, transports=app_transports(app, build_context(profile)))
    container_ports = deployment["spec"]["template"]["spec"]["containers"][0]["ports"]
    assert [(port["name"], port["protocol"]) for port in container_ports] == ports
