"""Time `eksnet gen all` as a user waits for it, against a floor measured in the same run.

    python benchmarks/bench_generate.py [--case fleet|scaling|jobs|all] [--runs 3] [--jobs N]

Writes synthetic profiles (apps spread over nlb, alb, gateway and none) to a temporary folder,
then times whole `eksnet gen all -p … --crds …` processes (`--jobs N` when given, else eksnet's default:
as many clusters at once as usable cores): start-up, build with cdk8s, schema + CEL + lint checks
against the upstream CRDs, and atomic writes into a new folder.

- fleet: 1,000 apps over 5 clusters, against the floor: one Python process that loads every file
  of the written tree with PyYAML's C loader, dumps it with the C dumper and writes it to a new
  folder (target: at most 2.5x the floor); and `eksnet gen all --check` on the unchanged tree
  against the full render (target: at most 0.15x).
- scaling: 1,000 and 3,000 apps in one cluster (target: 3,000 apps at most 3.3x 1,000, linear).
- jobs: the fleet with `--jobs N` (or eksnet's default) against `--jobs 1` (target: at most 1.0x,
  never slower).

The CRD folders come from `--upstream` (the shared upstream data); without them the benchmark
stops rather than time a run that skips the CRD schemas and CEL rules. The commands use a private CRD
cache holding the pinned releases (imported from `--upstream`, as `eksnet crds fetch` would fill it),
so the trees vendor their CRDs, and start with no record of earlier runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import yaml
from _timing import interleaved, print_ratio, private_caches, require_folders, run, tool

KINDS = ("nlb", "alb", "gateway", "none")
FLOOR = """
import sys, yaml
from pathlib import Path
source, target = Path(sys.argv[1]), Path(sys.argv[2])
for path in sorted(source.rglob("*")):
    if path.is_file():
        out = target / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in (".yaml", ".json"):
            docs = list(yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader))
            out.write_text(yaml.dump_all(docs, Dumper=yaml.CSafeDumper))
        else:
            out.write_bytes(path.read_bytes())
"""
FLEET_TARGET = 2.5
CHECK_TARGET = 0.15
SCALING_TARGET = 3.3
JOBS_TARGET = 1.0


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
        if path.parent.name in {"apps", "platform"} and path.name != "kustomization.yaml"
    )


class Case:
    """One fleet of generated profiles and how to time `eksnet gen all` and the floor on it."""

    def __init__(self, folder: Path, clusters: int, apps: int, crds: list[str], jobs: int | None) -> None:
        folder.mkdir()
        self.folder = folder
        self.label = f"{apps:,} apps over {clusters} cluster{'s' if clusters > 1 else ''}"
        profiles = [arg for path in write_profiles(folder, clusters, apps) for arg in ("-p", str(path))]
        self.command = [tool("eksnet", "pip install -e . first"), "gen", "all", *profiles, *crds]
        self.crds = crds
        self.jobs = ["--jobs", str(jobs)] if jobs else []
        self.runs = 0

    def generate(self) -> float:
        self.runs += 1
        out = self.folder / f"out-{self.runs}"
        return run([*self.command, "--out", str(out), *self.jobs])

    def check(self) -> float:
        """`--check` against the first tree, which nothing has changed since."""
        return run([*self.command, "--out", str(self.folder / "out-1"), *self.jobs, "--check"])

    def floor(self) -> float:
        self.runs += 1
        copy = self.folder / f"floor-{self.runs}"
        return run([sys.executable, "-c", FLOOR, str(self.folder / "out-1"), str(copy)])

    def describe(self) -> str:
        return f"{self.label}: {count_manifests(self.folder / 'out-1'):,} manifests"


def time_fleet(fleet: Case, runs: int) -> None:
    fleet.generate()  # the tree the floor copies and --check compares; also warms the file cache
    print(fleet.describe())
    medians = interleaved(
        {"eksnet gen all": fleet.generate, "floor": fleet.floor, "eksnet gen all --check": fleet.check}, runs
    )
    full = medians["eksnet gen all"]
    print_ratio("gen all / PyYAML C load + dump + write of its tree", full / medians["floor"], FLEET_TARGET)
    print_ratio(
        "gen all --check of an unchanged tree / gen all",
        medians["eksnet gen all --check"] / full,
        CHECK_TARGET,
    )


def time_scaling(small: Case, large: Case, runs: int) -> None:
    medians = interleaved({small.label: small.generate, large.label: large.generate}, runs)
    print_ratio(f"{large.label} / {small.label}", medians[large.label] / medians[small.label], SCALING_TARGET)


def time_jobs(fleet: Case, runs: int) -> None:
    """The fleet one cluster at a time, against ``--jobs N`` (eksnet's default unless given)."""
    one_at_a_time = Case(fleet.folder.with_name("fleet-jobs-1"), 5, 1000, fleet.crds, 1)
    label = " ".join(fleet.jobs) or "default --jobs"
    medians = interleaved({"--jobs 1": one_at_a_time.generate, label: fleet.generate}, runs)
    print_ratio(f"gen all {label} / gen all --jobs 1", medians[label] / medians["--jobs 1"], JOBS_TARGET)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--case", choices=("fleet", "scaling", "jobs", "all"), default="all")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command; medians are compared")
    parser.add_argument(
        "--jobs", type=int, help="clusters generated at once (eksnet gen all --jobs; default: eksnet's)"
    )
    parser.add_argument(
        "--upstream", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "upstream"
    )
    args = parser.parse_args()
    crd_folders = [
        args.upstream / "gateway-api" / "v1.3.0" / "standard",
        args.upstream / "aws-load-balancer-controller" / "v3.5.0" / "crd" / "gateway",
    ]
    require_folders(crd_folders, "pass --upstream with the Gateway API and LBC CRDs")
    crds = [arg for folder in crd_folders for arg in ("--crds", str(folder))]
    print(f"command: {Path(sys.executable).name} {' '.join(sys.argv)}")
    jobs = (
        f"--jobs {args.jobs}"
        if args.jobs
        else f"default --jobs ({len(os.sched_getaffinity(0))} usable cores)"
    )
    print(f"eksnet gen all, whole process, CRD schemas + CEL + lints on, {jobs}")
    with tempfile.TemporaryDirectory() as tmp:
        private_caches(Path(tmp), tool("eksnet", "pip install -e . first"), args.upstream)
        if args.case in ("fleet", "all"):
            time_fleet(Case(Path(tmp, "fleet"), 5, 1000, crds, args.jobs), args.runs)
        if args.case in ("scaling", "all"):
            cases = [Case(Path(tmp, f"one-{apps}"), 1, apps, crds, args.jobs) for apps in (1000, 3000)]
            time_scaling(*cases, runs=args.runs)
        if args.case in ("jobs", "all"):
            time_jobs(Case(Path(tmp, "fleet-jobs"), 5, 1000, crds, args.jobs), args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
