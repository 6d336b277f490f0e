"""Whole-process timing for the benchmarks: interleaved runs, medians, and ratios to a floor.

The machines are shared and noisy, so a figure means little alone: each benchmark also times a floor
(the same work done by the plainest tool) in the same run, alternating the two so both see the
same load, and reports the ratio of the medians.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# Python may cache bytecode, as on a user's machine after `pip install` (a shell that sets
# PYTHONDONTWRITEBYTECODE would otherwise compile eksnet's modules on every start).
ENV = {
    **{key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"},
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
}


def private_caches(folder: Path, eksnet: str, upstream: Path) -> None:
    """Every measured command uses caches in ``folder``, as a user's after ``eksnet crds fetch``: the CRD
    cache holds the pinned releases (imported from ``upstream``), the parsed-CRD cache and gen's records of
    earlier runs start empty (the first run fills them); the user's own caches are left alone."""
    ENV["EKSNET_CRD_CACHE"] = str(folder / "crd-cache")
    ENV["EKSNET_RUN_RECORDS"] = str(folder / "run-records")
    ENV["EKSNET_PARSE_CACHE"] = str(folder / "parsed-crds")
    ENV["EKSNET_OFFLINE"] = "1"  # a release missing from the cache is not downloaded
    for product in ("gateway-api", "aws-load-balancer-controller"):
        run([eksnet, "crds", "import", str(upstream / product)])


def tool(name: str, hint: str) -> str:
    """``name`` beside this Python (its virtual environment), else on PATH, else exit saying how to get it."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.is_file() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{Path(sys.argv[0]).name}: `{name}` is not on PATH: {hint}")
    return found


def require_folders(folders: Sequence[Path], hint: str) -> None:
    """Exit non-zero naming every missing folder, rather than measure a different workload."""
    missing = [str(folder) for folder in folders if not folder.is_dir()]
    if missing:
        raise SystemExit(f"{Path(sys.argv[0]).name}: not found: {', '.join(missing)}; {hint}")


def run(command: Sequence[str], cwd: Path | None = None) -> float:
    """Seconds one process takes from start to exit; a failing process stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()[-2000:]
        raise SystemExit(f"`{' '.join(command)}` exited {done.returncode}:\n{output}")
    return elapsed


def interleaved(measures: Mapping[str, Callable[[], float]], runs: int) -> dict[str, float]:
    """Median seconds of each measure, run in turn ``runs`` times; prints every run."""
    times: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(runs):
        for name, measure in measures.items():
            times[name].append(measure())
    for name, values in times.items():
        print(f"  {name}: median {statistics.median(values):.3f} s  (runs: {_runs(values)})")
    return {name: statistics.median(values) for name, values in times.items()}


def print_ratio(what: str, ratio: float, target: float, *, at_least: bool = False) -> None:
    """The ratio and whether it meets its target (at most ``target``, or at least with ``at_least``)."""
    met = ratio >= target if at_least else ratio <= target
    bound = ">=" if at_least else "<="
    print(f"{what}: {ratio:.2f}x  (target {bound} {target}x: {'met' if met else 'not met'})")


def _runs(values: Sequence[float]) -> str:
    return ", ".join(f"{value:.3f}" for value in values)
