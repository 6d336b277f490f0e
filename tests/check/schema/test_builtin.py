"""Built-in kind schemas from the kubernetes-validate package, per Kubernetes version."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.schema.builtin import BuiltinSchemas, bundled_versions
from eksnet_manifests.errors import CheckError


def test_exact_version_is_used_without_a_note():
    schemas = BuiltinSchemas.for_version("1.34")
    assert (schemas.version, schemas.note) == ("1.34", None)


def test_newer_version_than_bundled_falls_back_and_says_so():
    newest = max(bundled_versions())
    wanted = f"{newest[0]}.{newest[1] + 5}"
    schemas = BuiltinSchemas.for_version(wanted)
    assert schemas.version == f"{newest[0]}.{newest[1]}"
    assert (
        schemas.note == f"built-in schemas for Kubernetes {wanted} are not bundled; using {schemas.version}"
    )


@pytest.mark.parametrize("version", ["1.2", "one.thirty"], ids=["older-than-bundled", "not-a-version"])
def test_unusable_version_is_a_check_error(version):
    with pytest.raises(CheckError):
        BuiltinSchemas.for_version(version)


def test_schema_is_standalone_with_only_the_definitions_it_reaches():
    schema = BuiltinSchemas.for_version("1.34").schema_for("apps/v1", "Deployment")
    assert schema is not None
    assert "io.k8s.api.apps.v1.DeploymentSpec" in schema["$defs"]
    assert "io.k8s.api.networking.v1.IngressSpec" not in schema["$defs"]


@pytest.mark.parametrize(
    ("api_version", "kind"),
    [("networking.example.com/v1", "Ingress"), ("apps/v1", "Gateway"), ("apps/v2", "Deployment")],
    ids=["same-first-label-other-group", "unknown-kind", "unknown-version"],
)
def test_kinds_that_are_not_built_in_have_no_schema(api_version, kind):
    assert BuiltinSchemas.for_version("1.34").schema_for(api_version, kind) is None
