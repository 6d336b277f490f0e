"""Time a cold `eksnet gen app --expose gateway --host gwapi.example.com` from an empty folder.

    python benchmarks/bench_cold_start.py [--runs 7]

Each run is a new process (Python start, imports, jsii's Node.js start, build, check, write),
in a new empty folder with the bundled profile; prints every run and the median.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

COMMAND = ["gen", "app", "--expose", "gateway", "--host", "gwapi.example.com"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    eksnet = shutil.which("eksnet")
    if eksnet is None:
        raise SystemExit("eksnet is not on PATH: pip install -e . first")
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    times = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            subprocess.run([eksnet, *COMMAND], cwd=folder, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    print("runs: " + ", ".join(f"{t:.2f}" for t in times) + " s")
    print(f"cold `eksnet {' '.join(COMMAND)}`: median {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
