"""Shared fixtures: the upstream reference data lives outside the repo and is read at test time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


def upstream_root() -> Path:
    return Path(os.environ.get("EKSNET_UPSTREAM", REPO_ROOT.parent / "shared" / "upstream"))


@pytest.fixture(scope="session")
def upstream() -> Path:
    """The upstream data folder; skipped when absent, except under CI where it must exist."""
    root = upstream_root()
    if not root.is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"upstream reference data missing at {root} (set EKSNET_UPSTREAM)")
        pytest.skip(f"upstream reference data not found at {root}")
    return root
