"""Render and validate many apps over several clusters, as `eksnet gen all` does, and time it.

    python benchmarks/bench_generate.py --clusters 5 --apps 1000 [--jobs 2]

Writes synthetic profiles (apps spread over nlb, alb, gateway and none) to a temporary folder,
then runs the whole generator (build with cdk8s, schema + CEL + lint checks, atomic write) for
every cluster and prints the wall time and throughput.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
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
            "apps": apps_spec,
        }
        path = folder / f"bench{c}.yaml"
        path.write_text(yaml.safe_dump(profile, sort_keys=False))
        paths.append(path)
    return paths


def generate_one(profile: str, out: str, crds: tuple[str, ...]) -> tuple[str, int, int]:
    from eksnet_manifests.generate import GenOptions, generate
    from eksnet_manifests.spec.load import load_profile

    result = generate(load_profile(Path(profile)), GenOptions(out=Path(out), crd_sources=crds))
    if result.failed:
        raise SystemExit("\n".join(f.to_text() for f in result.findings[:10]))
    objects = sum(
        len([d for d in yaml.load_all(p.read_text(), Loader=yaml.CSafeLoader) if d])
        for p in result.cluster_dir.rglob("*.yaml")
        if p.parts[-2] in {"apps", "platform"}
    )
    return profile, objects, len(result.findings)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clusters", type=int, default=5)
    parser.add_argument("--apps", type=int, default=1000, help="apps in total, spread over the clusters")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="clusters generated in parallel"
    )
    parser.add_argument(
        "--upstream", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "upstream")
    )
    args = parser.parse_args()
    upstream = Path(args.upstream)
    crds = tuple(
        str(p)
        for p in (
            upstream / "gateway-api" / "v1.3.0" / "standard",
            upstream / "aws-load-balancer-controller" / "v3.5.0" / "crd" / "gateway",
        )
        if p.is_dir()
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        profiles = write_profiles(folder, args.clusters, args.apps)
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            results = list(
                pool.map(
                    generate_one,
                    [str(p) for p in profiles],
                    [str(folder / "out")] * len(profiles),
                    [crds] * len(profiles),
                )
            )
        elapsed = time.perf_counter() - start
    objects = sum(r[1] for r in results)
    print(
        f"{args.apps} apps over {args.clusters} clusters, {objects} manifests, "
        f"CRD schemas + CEL: {'on' if crds else 'off'}"
    )
    print(
        f"rendered and validated in {elapsed:.2f} s with {args.jobs} jobs "
        f"({objects / elapsed:,.0f} objects/s)"
    )


if __name__ == "__main__":
    main()
