"""Shared fixtures for the validator: upstream CRD locations, one registry per session, a YAML-in helper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from eksnet_manifests.check.documents import parse_documents
from eksnet_manifests.check.findings import Finding
from eksnet_manifests.check.schema.registry import SchemaRegistry
from eksnet_manifests.check.validate import ValidateOptions, validate_documents

KUBE_VERSION = "1.34"


@pytest.fixture(scope="session")
def gateway_crds(upstream: Path) -> Path:
    return upstream / "gateway-api" / "v1.3.0" / "standard"


@pytest.fixture(scope="session")
def lbc_crds(upstream: Path) -> Path:
    return upstream / "aws-load-balancer-controller" / "v3.5.0" / "crd"


@pytest.fixture(scope="session")
def registry(gateway_crds: Path, lbc_crds: Path) -> SchemaRegistry:
    """Kubernetes 1.34 built-ins, Gateway API v1.3.0 standard CRDs and every LBC v3.5.0 CRD."""
    return SchemaRegistry.build(KUBE_VERSION, [str(gateway_crds), str(lbc_crds)])


Validate = Callable[..., list[Finding]]


@pytest.fixture
def validate_yaml(registry: SchemaRegistry) -> Validate:
    """YAML text -> the findings ``eksnet validate`` reports about it (lints aside)."""

    def run(text: str, opts: ValidateOptions | None = None) -> list[Finding]:
        docs = parse_documents(text, "input.yaml")
        return validate_documents(docs, registry, opts or ValidateOptions())

    return run
