"""Upstream fact files the version tables are checked against."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def lbc_upstream(upstream: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((upstream / "aws-load-balancer-controller" / "versions.json").read_text("utf-8"))
    return data["versions"]


@pytest.fixture(scope="session")
def gateway_api_upstream(upstream: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((upstream / "gateway-api" / "versions.json").read_text("utf-8"))
    return data["versions"]
