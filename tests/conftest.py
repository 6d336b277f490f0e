"""Shared fixtures: the upstream reference data lives outside the repo and is read at test time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# Tests never download: CRDs of pinned releases come from a cache seeded from the upstream folder.
os.environ["EKSNET_OFFLINE"] = "1"


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


@pytest.fixture(scope="session", autouse=True)
def crd_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CRD cache for the whole run (``EKSNET_CRD_CACHE``), seeded from the upstream folder when present."""
    from eksnet_manifests.check.schema.crd_cache import CACHE_ENV, CrdCache, import_folder

    root = tmp_path_factory.mktemp("crd-cache")
    os.environ[CACHE_ENV] = str(root)
    upstream = upstream_root()
    for product in ("gateway-api", "aws-load-balancer-controller", "argo-cd"):
        if (upstream / product).is_dir():
            import_folder(upstream / product, CrdCache(root))
    if (upstream / "flux").is_dir():
        import_folder(upstream / "flux", CrdCache(root), versions={"flux": FLUX_RELEASE})
    return root


@pytest.fixture(scope="session", autouse=True)
def run_records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where gen all keeps what its runs depend on (``EKSNET_RUN_RECORDS``), for the whole run."""
    from eksnet_manifests.rerun import RECORDS_ENV

    root = tmp_path_factory.mktemp("run-records")
    os.environ[RECORDS_ENV] = str(root)
    return root


@pytest.fixture(scope="session", autouse=True)
def parse_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where parsed CRD files are kept (``EKSNET_PARSE_CACHE``), for the whole run."""
    from eksnet_manifests.check.schema.parsed_cache import CACHE_ENV

    root = tmp_path_factory.mktemp("parsed-crds")
    os.environ[CACHE_ENV] = str(root)
    return root


# The Flux release whose controllers' CRDs ../shared/upstream/flux holds (SOURCES.md).
FLUX_RELEASE = "v2.9.4"
