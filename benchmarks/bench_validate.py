"""Throughput of ``eksnet validate`` as a user runs it, next to its stages, against a floor.

    python benchmarks/bench_validate.py [--objects 6000] [--runs 5] [--upstream ../shared/upstream]

Writes a corpus of valid manifests (Deployments, Services, Ingresses, Gateways, HTTPRoutes and
TargetGroupConfigurations, one file per app, plus a GatewayClass and an IngressClass) to a
temporary folder, checked against Kubernetes 1.34 built-in schemas, the Gateway API v1.3.0 standard
CRDs and the AWS Load Balancer Controller v3.5.0 gateway CRDs read from ``--upstream``.

- whole process: ``eksnet validate FOLDER --crds … --crds …`` (CEL on, lints on) from start to
  exit, against the floor: one Python process that loads the same files with PyYAML's C loader
  (target: at least 0.7x the floor's throughput).
  The same with ``--jobs 1`` (one process), and the start-up: ``eksnet validate`` of one small file
  of the corpus with the same CRDs.
- stages, in this process: parsing, validation cold (compiling schemas and CEL programs on first
  use) and warm (a second pass), and the cross-resource lints and controller rules.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from _timing import interleaved, print_ratio, require_folders, run, tool

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eksnet_manifests.check.documents import load_documents  # noqa: E402
from eksnet_manifests.check.findings import Severity  # noqa: E402
from eksnet_manifests.check.lint import LintOptions  # noqa: E402
from eksnet_manifests.check.rules import run_checks  # noqa: E402
from eksnet_manifests.check.schema.registry import SchemaRegistry  # noqa: E402
from eksnet_manifests.check.validate import ValidateOptions, validate_documents  # noqa: E402

TARGET = 0.7
FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    list(yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader))
"""
TEAMS = 20
READINESS_GATE = {"elbv2.k8s.aws/pod-readiness-gate-inject": "enabled"}
PLATFORM = [
    *(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": f"team-{t}", "labels": READINESS_GATE}}
        for t in range(TEAMS)
    ),
    {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "GatewayClass",
        "metadata": {"name": "alb"},
        "spec": {"controllerName": "gateway.k8s.aws/alb"},
    },
    {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "alb"},
        "spec": {"controller": "ingress.k8s.aws/alb"},
    },
]


def app_objects(i: int) -> list[dict[str, Any]]:
    """One application's worth of objects: 6 kinds, one Gateway per app."""
    ns, name = f"team-{i % TEAMS}", f"app-{i}"
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
                        "host": f"{name}.ingress.example.com",  # one load balancer per hostname
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
                                "type": "URLRewrite",
                                "urlRewrite": {
                                    "path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}
                                },
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


def write_corpus(folder: Path, objects: int) -> None:
    """``platform.yaml`` and ``apps/app-N.yaml`` (six objects each), ``objects`` objects in all."""
    (folder / "apps").mkdir(parents=True)
    (folder / "platform.yaml").write_text(yaml.safe_dump_all(PLATFORM, sort_keys=False))
    left, i = objects - len(PLATFORM), 0
    while left > 0:
        docs = app_objects(i)[:left]
        (folder / "apps" / f"app-{i}.yaml").write_text(yaml.safe_dump_all(docs, sort_keys=False))
        left, i = left - len(docs), i + 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--objects", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each command; medians are compared")
    parser.add_argument("--upstream", type=Path, default=REPO.parent / "shared" / "upstream")
    parser.add_argument("--kube-version", default="1.34")
    args = parser.parse_args()
    crd_folders = [
        args.upstream / "gateway-api" / "v1.3.0" / "standard",
        args.upstream / "aws-load-balancer-controller" / "v3.5.0" / "crd" / "gateway",
    ]
    require_folders(crd_folders, "pass --upstream with the Gateway API and LBC CRDs")
    crds = [str(folder) for folder in crd_folders]
    eksnet = tool("eksnet", "pip install -e . first")
    print(f"command: {Path(sys.executable).name} {' '.join(sys.argv)}")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, args.objects)
        print(f"objects: {args.objects:,} in {len(list(corpus.rglob('*.yaml'))):,} files")

        print(f"whole process (start to exit; default --jobs: {len(os.sched_getaffinity(0))} usable cores):")
        crd_options = [arg for crd in crds for arg in ("--crds", crd)]
        command = [eksnet, "validate", str(corpus), *crd_options]
        one_file = [eksnet, "validate", str(corpus / "platform.yaml"), *crd_options]
        medians = interleaved(
            {
                "eksnet validate": lambda: run(command),
                "eksnet validate --jobs 1": lambda: run([*command, "--jobs", "1"]),
                "floor, PyYAML C load": lambda: run([sys.executable, "-c", FLOOR, str(corpus)]),
                "start-up: eksnet validate of platform.yaml alone": lambda: run(one_file),
            },
            args.runs,
        )
        for name in ("eksnet validate", "eksnet validate --jobs 1", "floor, PyYAML C load"):
            print(f"  {name}: {args.objects / medians[name]:,.0f} objects/s")
        floor = medians["floor, PyYAML C load"]
        print_ratio(
            "eksnet validate / floor throughput", floor / medians["eksnet validate"], TARGET, at_least=True
        )
        print_ratio(
            "eksnet validate --jobs 1 / floor throughput",
            floor / medians["eksnet validate --jobs 1"],
            TARGET,
            at_least=True,
        )

        print("stages (in this process):")
        started = time.perf_counter()
        docs = load_documents([corpus])
        parse_s = time.perf_counter() - started
        started = time.perf_counter()
        registry = SchemaRegistry.build(args.kube_version, crds)
        crd_s = time.perf_counter() - started
        timings = []
        for _ in range(2):
            started = time.perf_counter()
            findings = validate_documents(docs, registry, ValidateOptions(cel=True))
            timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        findings += run_checks(docs, LintOptions(), {})
        lint_s = time.perf_counter() - started
    errors = [f for f in findings if f.severity is Severity.ERROR]
    print(f"  parse:    {parse_s:.3f} s  {len(docs) / parse_s:,.0f} objects/s")
    print(f"  CRDs read and converted: {crd_s:.3f} s")
    for label, seconds in zip(("cold", "warm"), timings, strict=True):
        print(f"  validate ({label}, CEL on): {seconds:.3f} s  {len(docs) / seconds:,.0f} objects/s")
    print(f"  cross-resource lints and controller rules: {lint_s:.3f} s  {len(docs) / lint_s:,.0f} objects/s")
    for finding in errors[:5]:
        print(finding.to_text())
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
