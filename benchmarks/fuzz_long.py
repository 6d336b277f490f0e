"""Run the suite's fuzz properties (tests/test_fuzz.py) for longer, with a seed of your choice.

    python benchmarks/fuzz_long.py [--examples 2000] [--seed 1]

The suite runs each property on a few dozen fixed cases; this runs them on ``--examples`` cases drawn
from ``--seed`` (vary it to explore), and prints the time taken. A failure prints hypothesis's
smallest failing input, which belongs in the suite as a regression test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=2000, help="cases per property")
    parser.add_argument("--seed", type=int, default=1, help="hypothesis seed")
    args = parser.parse_args()
    env = {**os.environ, "EKSNET_FUZZ_EXAMPLES": str(args.examples)}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--hypothesis-seed={args.seed}",
    ]
    start = time.perf_counter()
    done = subprocess.run([*command, str(REPO / "tests" / "test_fuzz.py")], cwd=REPO, env=env, check=False)
    elapsed = time.perf_counter() - start
    print(f"{args.examples} cases per property, seed {args.seed}: {elapsed:.1f} s, exit {done.returncode}")
    raise SystemExit(done.returncode)


if __name__ == "__main__":
    main()
