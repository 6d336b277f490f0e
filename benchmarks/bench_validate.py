"""Throughput of ``eksnet validate`` with CEL on, over a generated corpus of valid manifests.

    python benchmarks/bench_validate.py [--objects 6000] [--upstream ../shared/upstream]

The corpus mixes Deployments, Services, Ingresses, GatewayClasses, Gateways, HTTPRoutes and
TargetGroupConfigurations, checked against Kubernetes 1.34 built-in schemas, the Gateway API v1.3.0
standard CRDs and the AWS Load Balancer Controller v3.5.0 gateway CRDs read from ``--upstream``.
Parsing is timed apart from validation; validation is timed cold (compiling schemas and CEL programs
on first use) and warm (a second pass).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eksnet_manifests.check.documents import parse_documents  # noqa: E402
from eksnet_manifests.check.findings import Severity  # noqa: E402
from eksnet_manifests.check.lint import LintOptions, run_lints  # noqa: E402
from eksnet_manifests.check.schema.registry import SchemaRegistry  # noqa: E402
from eksnet_manifests.check.validate import ValidateOptions, validate_documents  # noqa: E402


def app_objects(i: int) -> list[dict[str, Any]]:
    """One application's worth of objects: 6 kinds, one Gateway per app."""
    ns, name = f"team-{i % 20}", f"app-{i}"
    labels = {"app.kubernetes.io/name": name}
    return [
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns, "labels": labels},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {
                        "containers": [
                            {
                                "name": "web",
                                "image": "public.ecr.aws/nginx/nginx:1.27",
                                "ports": [{"containerPort": 8080, "name": "http"}],
                                "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
                                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
                            }
                        ]
                    },
                },
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"selector": labels, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]},
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {
                "name": name,
                "namespace": ns,
                "annotations": {"alb.ingress.kubernetes.io/scheme": "internet-facing"},
            },
            "spec": {
                "ingressClassName": "alb",
                "rules": [
                    {
                        "host": f"{name}.example.com",
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {"service": {"name": name, "port": {"number": 80}}},
                                }
                            ]
                        },
                    }
                ],
            },
        },
        {
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "Gateway",
            "metadata": {"name": name, "namespace": ns},
            "spec": {
                "gatewayClassName": "alb",
                "listeners": [
                    {"name": "http", "protocol": "HTTP", "port": 80, "hostname": f"{name}.example.com"},
                    {"name": "https", "protocol": "HTTPS", "port": 443, "hostname": f"{name}.example.com"},
                ],
            },
        },
        {
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": name, "namespace": ns},
            "spec": {
                "parentRefs": [{"name": name, "sectionName": "https"}],
                "hostnames": [f"{name}.example.com"],
                "rules": [
                    {
                        "matches": [{"path": {"type": "PathPrefix", "value": "/api"}}],
                        "backendRefs": [{"name": name, "port": 80}],
                    },
                    {
                        "matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                        "filters": [
                            {
                                "type": "RequestHeaderModifier",
                                "requestHeaderModifier": {"set": [{"name": "x-app", "value": name}]},
                            }
                        ],
                        "backendRefs": [{"name": name, "port": 80}],
                    },
                ],
            },
        },
        {
            "apiVersion": "gateway.k8s.aws/v1",
            "kind": "TargetGroupConfiguration",
            "metadata": {"name": name, "namespace": ns},
            "spec": {
                "targetReference": {"name": name},
                "defaultConfiguration": {
                    "targetType": "ip",
                    "healthCheckConfig": {"healthCheckPath": "/healthz", "healthCheckInterval": 15},
                },
            },
        },
    ]


def corpus_text(objects: int) -> str:
    gateway_class = {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "GatewayClass",
        "metadata": {"name": "alb"},
        "spec": {"controllerName": "gateway.k8s.aws/alb"},
    }
    docs: list[dict[str, Any]] = []
    i = 0
    while len(docs) < objects:
        docs += [gateway_class, *app_objects(i)] if i % 10 == 0 else app_objects(i)
        i += 1
    return yaml.safe_dump_all(docs[:objects], sort_keys=False)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--objects", type=int, default=6000)
    parser.add_argument("--upstream", type=Path, default=REPO.parent / "shared" / "upstream")
    parser.add_argument("--kube-version", default="1.34")
    args = parser.parse_args()
    crds = [
        str(args.upstream / "gateway-api" / "v1.3.0" / "standard"),
        str(args.upstream / "aws-load-balancer-controller" / "v3.5.0" / "crd" / "gateway"),
    ]
    text = corpus_text(args.objects)

    started = time.perf_counter()
    docs = parse_documents(text, "corpus.yaml")
    parse_s = time.perf_counter() - started

    registry = SchemaRegistry.build(args.kube_version, crds)
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        findings = validate_documents(docs, registry, ValidateOptions(cel=True))
        timings.append(time.perf_counter() - started)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    started = time.perf_counter()
    run_lints(docs, LintOptions(whole_set=True), {})
    lint_s = time.perf_counter() - started

    command = " ".join([Path(sys.executable).name, *sys.argv])
    print(f"command: {command}")
    print(f"objects: {len(docs)}  errors: {len(errors)}")
    print(f"parse:    {parse_s:.3f} s  {len(docs) / parse_s:,.0f} objects/s")
    for label, seconds in zip(("cold", "warm"), timings, strict=True):
        print(f"validate ({label}, CEL on): {seconds:.3f} s  {len(docs) / seconds:,.0f} objects/s")
    print(f"cross-resource lints: {lint_s:.3f} s  {len(docs) / lint_s:,.0f} objects/s")
    total = timings[0] + lint_s
    print(f"validate (cold) + lints: {total:.3f} s  {len(docs) / total:,.0f} objects/s")
    for finding in errors[:5]:
        print(finding.to_text())
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
