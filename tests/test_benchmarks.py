"""Benchmarks stop with a clear message rather than time a different workload."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.parametrize("script", ["bench_generate.py", "bench_validate.py"])
def test_benchmark_fails_when_its_crd_folders_are_missing(script: str, tmp_path: Path) -> None:
    # GIVEN an upstream folder without the CRDs WHEN the benchmark starts THEN it exits non-zero
    # naming the missing folder, instead of timing a run without CRD schemas and CEL.
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--upstream", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert f"not found: {tmp_path / 'gateway-api' / 'v1.3.0' / 'standard'}" in done.stderr
    assert "Traceback" not in done.stderr
