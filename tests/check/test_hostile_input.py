"""Validation input cannot crash, stall or read outside what it was given: CRD schemas, kinds as paths."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from eksnet_manifests.check.schema import builtin
from eksnet_manifests.check.schema.kubeconform import export_crd_schemas
from eksnet_manifests.check.validate import ValidateOptions, validate_paths
from eksnet_manifests.errors import CheckError


def crd(spec_schema: dict[str, Any], kind: str = "Widget") -> dict[str, Any]:
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": {"kind": kind, "plural": "widgets", "singular": "widget", "listKind": "WidgetList"},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": spec_schema}}},
                }
            ],
        },
    }


WIDGET = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"a": "aaa!"}}


def field(**keywords: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"a": {"type": "string", **keywords}}}


@pytest.mark.parametrize(
    "schema",
    [
        field(pattern="(a)\\1"),
        field(pattern="a(?=b)"),
        field(pattern="[abc"),
        field(maxLength="ten"),
    ],
    ids=["backreference", "lookahead", "unclosed", "malformed-keyword"],
)
def test_unusable_crd_schema_is_a_finding_not_a_crash(tmp_path: Path, schema: dict[str, Any]) -> None:
    (tmp_path / "w.yaml").write_text(yaml.safe_dump_all([crd(schema), WIDGET]))
    findings = validate_paths([tmp_path], ValidateOptions()).findings
    widget = [f for f in findings if f.kind == "Widget"]
    assert [f.rule for f in widget] == ["crd-schema-invalid"]
    assert "the API server would refuse the CRD" in widget[0].message


def test_backtracking_pattern_and_huge_enum_check_quickly(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "string", "pattern": "^(a+)+$"},
            "b": {"type": "string", "enum": [str(i) for i in range(50_000)]},
        },
    }
    widget = {**WIDGET, "spec": {"a": "a" * 40 + "!", "b": "x"}}
    (tmp_path / "w.yaml").write_text(yaml.safe_dump_all([crd(schema), widget]))
    start = time.perf_counter()
    findings = validate_paths([tmp_path], ValidateOptions()).findings
    assert time.perf_counter() - start < 10
    assert {f.path for f in findings if f.kind == "Widget"} == {"spec.a", "spec.b"}
    assert all(len(f.to_text()) < 2_200 for f in findings)


def test_kind_that_looks_like_a_path_reads_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a JSON file outside the schema folder and an object whose kind climbs to it
    folder = builtin.BuiltinSchemas.for_version("1.34").folder
    (tmp_path / "evil-v1.json").write_text('{"x-kubernetes-group-version-kind": []}')
    kind = os.path.relpath(tmp_path / "evil", folder)
    doc = {"apiVersion": "v1", "kind": kind, "metadata": {"name": "x"}}
    (tmp_path / "x.yaml").write_text(yaml.safe_dump(doc))
    opened: list[str] = []
    real_open = Path.open

    def spy(self: Path, *args: Any, **kwargs: Any):
        opened.append(str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(builtin.Path, "open", spy)
    # WHEN validated THEN it has no schema, and the file was never opened
    findings = validate_paths([tmp_path / "x.yaml"], ValidateOptions()).findings
    assert [f.rule for f in findings] == ["schema-missing"]
    assert not [path for path in opened if "evil" in path]


def test_schemas_export_refuses_a_crd_kind_that_would_leave_the_folder(tmp_path: Path) -> None:
    (tmp_path / "crd.yaml").write_text(yaml.safe_dump(crd(field(), kind="../../Escaped")))
    with pytest.raises(CheckError, match=r"kind '\.\./\.\./Escaped' is not a valid Kubernetes kind"):
        export_crd_schemas([str(tmp_path / "crd.yaml")], tmp_path / "out")
    assert not list(tmp_path.rglob("*escaped*"))
