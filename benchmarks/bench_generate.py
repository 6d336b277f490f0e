"""Render and validate many apps over several clusters, as `eksnet gen all` does, and time it.

    python benchmarks/bench_generate.py --clusters 5 --apps 1000 [--jobs 2]

Writes synthetic profiles (apps spread over nlb, alb, gateway and none) to a temporary folder,
then times one `eksnet gen all -p … --jobs N` over them: process start, build with cdk8s,
schema + CEL + lint checks against the upstream CRDs, and atomic writes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import yaml

KINDS = ("nlb", "alb", "gateway", "none")


def write_profiles(folder: Path, clusters: int, apps: int) -> list[Path]:
    per_cluster = apps // clusters
    paths = []
    for c in range(clusters):
        apps_spec = []
        for i in range(per_cluster):
            kind = KINDS[i % len(KINDS)]
            expose: dict[str, object] = {"type": kind}
            if kind != "none":
                expose["hosts"] = [f"app{i}.c{c}.example.com"]
            apps_spec.append({"name": f"app{i}", "namespace": f"team{i % 7}", "port": 8080, "expose": expose})
        profile = {
            "cluster": {
                "name": f"bench{c}",
                "region": "us-east-1",
                "vpcId": "vpc-0123456789abcdef0",
                "accountId": "111122223333",
            },
            "nodeGroups": [{"name": "ng", "instanceType": "m6i.4xlarge", "desiredSize": 20}],
            "vpcCni": {"mode": "prefix-delegation"},
            "externalDns": {"domainFilters": ["example.com"], "policy": "sync"},
            "gatewayApi": {"allowedRoutes": "All"},  # apps in several namespaces share the Gateway
            "apps": apps_spec,
        }
        path = folder / f"bench{c}.yaml"
        path.write_text(yaml.safe_dump(profile, sort_keys=False))
        paths.append(path)
    return paths


def count_manifests(out: Path) -> int:
    return sum(
        len([doc for doc in yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader) if doc])
        for path in out.rglob("*.yaml")
        if path.parent.name in {"apps", "platform"}
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clusters", type=int, default=5)
    parser.add_argument("--apps", type=int, default=1000, help="apps in total, spread over the clusters")
    parser.add_argument(
        "--jobs", type=int, default=1, help="clusters generated in parallel (eksnet gen all --jobs)"
    )
    parser.add_argument(
        "--upstream", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "upstream")
    )
    args = parser.parse_args()
    eksnet = shutil.which("eksnet")
    if eksnet is None:
        raise SystemExit("eksnet is not on PATH: pip install -e . first")
    upstream = Path(args.upstream)
    crd_folders = (
        upstream / "gateway-api" / "v1.3.0" / "standard",
        upstream / "aws-load-balancer-controller" / "v3.5.0" / "crd" / "gateway",
    )
    crds = [arg for folder in crd_folders if folder.is_dir() for arg in ("--crds", str(folder))]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        profiles = [
            arg for path in write_profiles(folder, args.clusters, args.apps) for arg in ("-p", str(path))
        ]
        command = [
            eksnet,
            "gen",
            "all",
            *profiles,
            *crds,
            "--out",
            str(folder / "out"),
            "--jobs",
            str(args.jobs),
        ]
        env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        objects = count_manifests(folder / "out")
    print(
        f"{args.apps} apps over {args.clusters} clusters, {objects} manifests, "
        f"CRD schemas + CEL: {'on' if crds else 'off'}"
    )
    print(f"eksnet gen all: rendered, validated and written in {elapsed:.2f} s with --jobs {args.jobs}")


if __name__ == "__main__":
    main()
