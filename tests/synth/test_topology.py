"""TOPOLOGY.md follows each DNS name to its pods, and every Mermaid diagram eksnet writes parses with
Mermaid's own parser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from eksnet_manifests.cli import app
from eksnet_manifests.synth.topology import build_topology

REPO = Path(__file__).resolve().parents[2]
PARSER = REPO / "tests" / "mermaid"
MERMAID_BLOCK = re.compile(r"```mermaid\n(.*?)```", re.DOTALL)


def mermaid_blocks(markdown: str) -> list[str]:
    return MERMAID_BLOCK.findall(markdown)


def parse_mermaid(diagrams: list[str]) -> list[dict[str, Any]]:
    """Mermaid's parse of each diagram (tests/mermaid, installed by `npm ci --prefix tests/mermaid`)."""
    node = shutil.which("node")
    if node is None or not (PARSER / "node_modules" / "mermaid").is_dir():
        message = "the Mermaid parser is not installed: npm ci --prefix tests/mermaid"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run(
        [node, str(PARSER / "parse.mjs")],
        input=json.dumps(diagrams),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_mermaid_diagram_written_parses() -> None:
    # GIVEN the committed trees' Markdown (topology and capacity plan)
    files = sorted((REPO / "out").rglob("*.md")) + sorted((REPO / "tests" / "golden").rglob("*.md"))
    diagrams = [block for path in files for block in mermaid_blocks(path.read_text())]
    assert len(diagrams) >= 4
    # WHEN parsed by Mermaid / THEN every one is valid, and the topologies are flowcharts
    results = parse_mermaid([*diagrams, "flowchart LR\n  n1 --> "])
    assert [result for result in results[:-1] if not result["ok"]] == []
    assert results[-1]["ok"] is False  # the parser does reject a broken diagram
    assert sum(result["type"] == "flowchart-v2" for result in results[:-1]) >= 2


def _obj(kind: str, name: str, spec: dict[str, Any], api: str = "v1", **meta: Any) -> dict[str, Any]:
    return {
        "apiVersion": api,
        "kind": kind,
        "metadata": {"name": name, "namespace": "shop", **meta},
        "spec": spec,
    }


def _deployment(name: str) -> dict[str, Any]:
    template = {
        "metadata": {"labels": {"app": name}},
        "spec": {"containers": [{"name": name, "ports": [{"containerPort": 8080}]}]},
    }
    return _obj("Deployment", name, {"replicas": 3, "template": template}, "apps/v1")


def _service(name: str, **spec: Any) -> dict[str, Any]:
    return _obj(
        "Service", name, {"selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}], **spec}
    )


def edges_of(markdown: str) -> set[tuple[str, str]]:
    [diagram] = mermaid_blocks(markdown)
    labels = dict(re.findall(r'^  (n\d+)\["(.*)"\]$', diagram, re.MULTILINE))
    return {(labels[a], labels[b]) for a, b in re.findall(r"^  (n\d+) --> (n\d+)$", diagram, re.MULTILINE)}


def test_an_nlb_service_goes_from_its_dns_name_through_the_nlb_to_the_deployment() -> None:
    annotations = {
        "external-dns.alpha.kubernetes.io/hostname": "api.example.com",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
    }
    service = _service("api", type="LoadBalancer")
    service["metadata"]["annotations"] = annotations
    edges = edges_of(build_topology("shop", [service, _deployment("api")]).content)
    assert edges == {
        ("api.example.com", "NLB internet-facing<br/>TCP 80"),
        ("NLB internet-facing<br/>TCP 80", "Service shop/api<br/>80→8080"),
        ("Service shop/api<br/>80→8080", "Deployment shop/api<br/>3 replicas · port 8080"),
    }


def test_an_ingress_group_is_one_alb_with_a_node_per_rule() -> None:
    annotations = {
        "alb.ingress.kubernetes.io/group.name": "shared",
        "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
    }
    ingresses = [
        _obj(
            "Ingress",
            name,
            {
                "rules": [
                    {
                        "host": f"{name}.example.com",
                        "http": {
                            "paths": [
                                {"path": "/", "backend": {"service": {"name": name, "port": {"number": 80}}}}
                            ]
                        },
                    }
                ]
            },
            "networking.k8s.io/v1",
            annotations=annotations,
        )
        for name in ("web", "admin")
    ]
    objects = [*ingresses, _service("web"), _service("admin"), _deployment("web"), _deployment("admin")]
    markdown = build_topology("shop", objects).content
    edges = edges_of(markdown)
    alb = "ALB internal<br/>HTTP 80, HTTPS 443"
    assert ("web.example.com", alb) in edges and ("admin.example.com", alb) in edges
    assert (alb, "Ingress shop/web<br/>web.example.com/") in edges
    row = "| admin.example.com | ALB internal HTTP 80, HTTPS 443 | Ingress admin.example.com/ | shop/admin |"
    assert f"{row} shop/admin |" in markdown


def test_a_route_goes_through_the_listener_it_attaches_to_with_the_gateway_scheme() -> None:
    config = _obj(
        "LoadBalancerConfiguration", "lbc", {"scheme": "internet-facing"}, "gateway.k8s.aws/v1beta1"
    )
    gateway_class = {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "GatewayClass",
        "metadata": {"name": "alb"},
        "spec": {
            "controllerName": "gateway.k8s.aws/alb",
            "parametersRef": {"kind": "LoadBalancerConfiguration", "name": "lbc", "namespace": "shop"},
        },
    }
    listeners = [
        {"name": "http", "protocol": "HTTP", "port": 80},
        {"name": "https", "protocol": "HTTPS", "port": 443},
    ]
    gateway = _obj(
        "Gateway", "gw", {"gatewayClassName": "alb", "listeners": listeners}, "gateway.networking.k8s.io/v1"
    )
    route = _obj(
        "HTTPRoute",
        "shop",
        {
            "hostnames": ["shop.example.com"],
            "parentRefs": [{"name": "gw", "sectionName": "https"}],
            "rules": [
                {"matches": [{"path": {"value": "/cart"}}], "backendRefs": [{"name": "shop", "port": 80}]}
            ],
        },
        "gateway.networking.k8s.io/v1",
    )
    edges = edges_of(
        build_topology(
            "shop", [config, gateway_class, gateway, route, _service("shop"), _deployment("shop")]
        ).content
    )
    listener = "Gateway shop/gw listener https<br/>ALB internet-facing · HTTPS 443"
    assert ("shop.example.com", listener) in edges
    assert (listener, "HTTPRoute shop/shop<br/>/cart") in edges
    assert not [edge for edge in edges if "listener http<" in edge[0]]  # the route attaches to https only


def test_a_quote_in_a_label_does_not_break_the_diagram() -> None:
    markdown = build_topology("shop", [_deployment('we"ird')]).content
    assert "we#quot;ird" in markdown and 'we"ird' not in mermaid_blocks(markdown)[0]


def test_graph_prints_what_gen_writes_to_topology_md() -> None:
    result = CliRunner().invoke(app, ["graph", "--profile", str(REPO / "profiles" / "myeks.yaml")])
    assert result.exit_code == 0, result.output
    assert result.stdout == (REPO / "out" / "myeks" / "TOPOLOGY.md").read_text()
