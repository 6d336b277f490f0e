"""The LBC policy cache lives in a temporary XDG cache folder, seeded from the upstream file: no network."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eksnet_manifests.cli.policy_source import policy_cache_dir


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache (XDG_CACHE_HOME); the policy cache folder inside it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return policy_cache_dir()


@pytest.fixture
def upstream_policy_file(upstream: Path) -> Path:
    return upstream / "aws-load-balancer-controller" / "v3.5.0" / "iam_policy.json"


@pytest.fixture
def seed_cache(cache_dir: Path, upstream_policy_file: Path) -> Callable[..., Path]:
    """GIVEN a version (and optionally a policy) -> the cache holds it as that release's published policy."""

    def seed(version: str = "v3.5.0", policy: dict[str, Any] | None = None) -> Path:
        target = cache_dir / version / "iam_policy.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        if policy is None:
            shutil.copyfile(upstream_policy_file, target)
        else:
            target.write_text(json.dumps(policy))
        return target

    return seed
