"""kubeconform interoperability: exported schemas judged by a generic JSON Schema validator; its output."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from eksnet_manifests.check.documents import parse_documents
from eksnet_manifests.check.schema.kubeconform import (
    export_builtin_schemas,
    export_crd_schemas,
    findings_from_kubeconform,
    schema_file,
)

GATEWAY = {
    "apiVersion": "gateway.networking.k8s.io/v1",
    "kind": "Gateway",
    "metadata": {"name": "web"},
    "spec": {"gatewayClassName": "alb", "listeners": [{"name": "http", "protocol": "HTTP", "port": 80}]},
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory, upstream: Path) -> Path:
    out = tmp_path_factory.mktemp("schemas")
    export_crd_schemas([str(upstream / "gateway-api" / "v1.3.0" / "standard")], out)
    return out


def validator_for(path: Path) -> jsonschema.Draft202012Validator:
    schema = json.loads(path.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_exported_schema_accepts_a_valid_gateway(exported):
    validator = validator_for(schema_file(exported, "gateway.networking.k8s.io", "Gateway", "v1"))
    assert list(validator.iter_errors(GATEWAY)) == []


@pytest.mark.parametrize(
    ("change", "keyword"),
    [
        ({"bogus": 1}, "additionalProperties"),
        ({"gatewayClassName": 7}, "type"),
        ({"listeners": [{"name": "http", "protocol": "HTTP", "port": 0}]}, "minimum"),
    ],
    ids=["unknown-field", "wrong-type", "out-of-range"],
)
def test_exported_schema_rejects_what_the_crd_rejects(exported, change, keyword):
    gateway = {**GATEWAY, "spec": {**GATEWAY["spec"], **change}}
    validator = validator_for(schema_file(exported, "gateway.networking.k8s.io", "Gateway", "v1"))
    assert keyword in {error.validator for error in validator.iter_errors(gateway)}


def test_builtin_kinds_are_exported_in_the_same_layout(tmp_path):
    docs = parse_documents("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n", "d.yaml")
    [path] = export_builtin_schemas(docs, "1.34", tmp_path)
    assert path == tmp_path / "apps" / "deployment_v1.json"
    assert not list(validator_for(path).iter_errors({"apiVersion": "apps/v1", "kind": "Deployment"}))


def test_kubeconform_json_output_becomes_findings():
    output = json.dumps(
        {
            "resources": [
                {
                    "filename": "a.yaml",
                    "kind": "Gateway",
                    "name": "web",
                    "version": "gateway.networking.k8s.io/v1",
                    "status": "statusInvalid",
                    "msg": "",
                    "validationErrors": [{"path": "/spec/listeners/0/port", "msg": "minimum: got 0, want 1"}],
                },
                {
                    "filename": "a.yaml",
                    "kind": "Widget",
                    "name": "w",
                    "version": "example.com/v1",
                    "status": "statusError",
                    "msg": "could not find schema for Widget",
                },
                {"filename": "a.yaml", "kind": "Service", "name": "s", "status": "statusValid"},
            ]
        }
    )
    findings = findings_from_kubeconform(output)
    assert [(f.rule, f.kind, f.path, f.message) for f in findings] == [
        ("kubeconform", "Gateway", "spec.listeners.0.port", "minimum: got 0, want 1"),
        ("schema-missing", "Widget", "", "could not find schema for Widget"),
    ]
