"""Time what a user waits for on a cold start, against floors measured in the same run.

    python benchmarks/bench_cold_start.py [--runs 7]

- cold `eksnet gen app --expose gateway --host gwapi.example.com`: a new process in a new empty
  folder with the bundled profile (Python start, imports, jsii's Node.js start, build, check,
  write), against `kubectl kustomize` of the tree it wrote (target: at most 8x).
- `eksnet --help`, against `python -c pass` (target: at most 10x).
- what a cold gen app cannot avoid: starting Node.js with jsii and loading cdk8s, and importing eksnet
  with its profile models, each as a whole process against the same kustomize floor.

The commands use a private CRD cache holding the bundled profile's pinned releases (imported from
`--upstream`, as `eksnet crds fetch` would fill it).

Commands alternate with their floors; every run is printed, and the ratio is of the medians.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _timing import interleaved, print_ratio, private_caches, require_folders, run, tool

COMMAND = ["gen", "app", "--expose", "gateway", "--host", "gwapi.example.com"]
GEN_APP_TARGET = 8.0
HELP_TARGET = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7, help="runs of each command; medians are compared")
    parser.add_argument(
        "--upstream", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "upstream"
    )
    args = parser.parse_args()
    require_folders(
        [args.upstream / "gateway-api", args.upstream / "aws-load-balancer-controller"], "pass --upstream"
    )
    eksnet = tool("eksnet", "pip install -e . first")
    kubectl = tool("kubectl", "the kustomize floor needs kubectl")
    print(f"command: {Path(sys.executable).name} {' '.join(sys.argv)}")
    with tempfile.TemporaryDirectory() as tmp:
        private_caches(Path(tmp), eksnet, args.upstream)
        folders = iter(range(1 << 30))

        def gen_app() -> float:
            folder = Path(tmp, f"run-{next(folders)}")
            folder.mkdir()
            return run([eksnet, *COMMAND], cwd=folder)

        tree = Path(tmp, "run-0", "out", "myeks")
        gen_app()  # the tree kustomize builds; also warms the file cache
        print(f"cold `eksnet {' '.join(COMMAND)}`:")
        medians = interleaved(
            {
                "eksnet gen app": gen_app,
                "floor, kubectl kustomize": lambda: run([kubectl, "kustomize", str(tree)]),
            },
            args.runs,
        )
        ratio = medians["eksnet gen app"] / medians["floor, kubectl kustomize"]
        print_ratio("gen app / kubectl kustomize", ratio, GEN_APP_TARGET)
    print("what gen app starts with, as whole processes (gen app overlaps the two):")
    floor = medians["floor, kubectl kustomize"]
    parts = interleaved(
        {
            "Node.js, jsii and cdk8s: python -c 'import cdk8s'": lambda: run(
                [sys.executable, "-c", "import cdk8s"]
            ),
            "eksnet and its profile models: python -c 'import eksnet_manifests.generate'": lambda: run(
                [sys.executable, "-c", "import eksnet_manifests.generate"]
            ),
        },
        args.runs,
    )
    for name, seconds in parts.items():
        print(f"  {name.split(':')[0]}: {seconds / floor:.2f}x kubectl kustomize")
    print("`eksnet --help`:")
    medians = interleaved(
        {
            "eksnet --help": lambda: run([eksnet, "--help"]),
            "floor, python -c pass": lambda: run([sys.executable, "-c", "pass"]),
        },
        args.runs,
    )
    ratio = medians["eksnet --help"] / medians["floor, python -c pass"]
    print_ratio("--help / python -c pass", ratio, HELP_TARGET)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
