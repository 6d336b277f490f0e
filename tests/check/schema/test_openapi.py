"""openAPIV3Schema -> JSON Schema: each construct, judged by what the converted schema accepts and rejects."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from eksnet_manifests.check.schema.formats import FORMAT_CHECKERS
from eksnet_manifests.check.schema.openapi import (
    canonical_format,
    crd_schema_to_json_schema,
    openapi_to_json_schema,
)


def accepts(openapi: dict[str, Any], value: Any, **kwargs: Any) -> bool:
    schema = openapi_to_json_schema(openapi, **kwargs)
    validator = jsonschema_rs.validator_for(schema, validate_formats=True, formats=FORMAT_CHECKERS)
    return validator.is_valid(value)


OBJ = {"type": "object", "properties": {"a": {"type": "string"}}}

CASES = [
    # (schema, value, accepted)
    pytest.param({"type": "string"}, None, False, id="null-rejected-without-nullable"),
    pytest.param({"type": "string", "nullable": True}, None, True, id="nullable-accepts-null"),
    pytest.param(
        {"type": "string", "nullable": True, "enum": ["a"]}, None, True, id="nullable-enum-accepts-null"
    ),
    pytest.param(
        {"type": "string", "nullable": True, "enum": ["a"]}, "b", False, id="nullable-enum-still-checks"
    ),
    pytest.param({"x-kubernetes-int-or-string": True}, 8080, True, id="int-or-string-int"),
    pytest.param({"x-kubernetes-int-or-string": True}, "http", True, id="int-or-string-string"),
    pytest.param({"x-kubernetes-int-or-string": True}, 1.5, False, id="int-or-string-rejects-float"),
    pytest.param({"x-kubernetes-int-or-string": True}, [], False, id="int-or-string-rejects-list"),
    pytest.param(OBJ, {"a": "x", "b": 1}, False, id="closed-object-rejects-unknown-field"),
    pytest.param({"type": "object"}, {"b": 1}, False, id="object-without-fields-prunes-everything"),
    pytest.param(
        {**OBJ, "x-kubernetes-preserve-unknown-fields": True}, {"a": "x", "b": 1}, True, id="preserve-unknown"
    ),
    pytest.param(
        {**OBJ, "x-kubernetes-preserve-unknown-fields": True}, {"a": 1}, False, id="preserve-still-types"
    ),
    pytest.param(
        {"type": "object", "additionalProperties": {"type": "integer"}},
        {"k": 1},
        True,
        id="map-values-by-schema",
    ),
    pytest.param(
        {"type": "object", "additionalProperties": {"type": "integer"}},
        {"k": "x"},
        False,
        id="map-values-typed",
    ),
    pytest.param(
        {
            "type": "object",
            "x-kubernetes-embedded-resource": True,
            "x-kubernetes-preserve-unknown-fields": True,
        },
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {}},
        True,
        id="embedded-resource",
    ),
    pytest.param(
        {
            "type": "object",
            "x-kubernetes-embedded-resource": True,
            "x-kubernetes-preserve-unknown-fields": True,
        },
        {"metadata": {"name": "x"}},
        False,
        id="embedded-resource-needs-apiversion-and-kind",
    ),
    pytest.param(
        {
            "type": "object",
            "x-kubernetes-embedded-resource": True,
            "properties": {"data": {"type": "object"}},
        },
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {}},
        True,
        id="embedded-resource-closed-admits-type-meta",
    ),
    pytest.param(
        {**OBJ, "oneOf": [{"required": ["a"]}, {"properties": {"a": {"maxLength": 1}}}]},
        {"a": "xy"},
        True,
        id="one-of-branch-not-closed",
    ),
    pytest.param(
        {**OBJ, "anyOf": [{"required": ["b"]}, {"required": ["c"]}], "properties": {"b": {}, "c": {}}},
        {"b": 1},
        True,
        id="any-of-branches",
    ),
    pytest.param(
        {**OBJ, "anyOf": [{"required": ["b"]}, {"required": ["c"]}], "properties": {"b": {}, "c": {}}},
        {},
        False,
        id="any-of-none-matches",
    ),
    pytest.param({"type": "integer", "not": {"enum": [0]}}, 0, False, id="not-branch"),
    pytest.param(
        {"type": "object", "allOf": [{"properties": {"x": {"type": "string"}}}]}, {}, True, id="all-of"
    ),
    pytest.param(
        {"type": "integer", "minimum": 1, "exclusiveMinimum": True}, 1, False, id="exclusive-minimum-bool"
    ),
    pytest.param(
        {"type": "integer", "maximum": 9, "exclusiveMaximum": True}, 8, True, id="exclusive-maximum-bool"
    ),
    pytest.param({"type": "string", "format": "int32"}, "not a number", True, id="unchecked-format-ignored"),
    pytest.param({"type": "string", "format": "ipv4"}, "10.0.0.300", False, id="format-ipv4"),
    pytest.param({"type": "string", "format": "duration"}, "1h30m", True, id="format-duration-go-style"),
    pytest.param({"type": "string", "format": "duration"}, "P1D", False, id="format-duration-not-iso"),
    pytest.param(
        {"type": "string", "format": "date-time"}, "2024-05-01T10:00:00Z", True, id="format-date-time"
    ),
    pytest.param({"type": "string", "format": "datetime"}, "yesterday", False, id="format-datetime-spelling"),
    pytest.param({"type": "string", "format": "cidr"}, "10.0.0.0/33", False, id="format-cidr"),
    pytest.param({"type": "string", "format": "uri"}, "/relative/ok", True, id="format-uri-absolute-path"),
    pytest.param({"type": "string", "format": "byte"}, "aGVsbG8=", True, id="format-byte"),
    pytest.param({"type": "string", "format": "byte"}, "not base64!", False, id="format-byte-invalid"),
]


@pytest.mark.parametrize(("openapi", "value", "accepted"), CASES)
def test_converted_schema_accepts_what_the_api_server_accepts(openapi, value, accepted):
    # GIVEN a structural schema node WHEN converted THEN it judges the value as the API server does
    assert accepts(openapi, value) is accepted


def test_list_type_set_becomes_unique_items_for_export():
    # GIVEN a set-typed list
    openapi = {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"}
    # WHEN converted for export THEN duplicates are refused; the validator checks sets itself otherwise
    assert not accepts(openapi, ["a", "a"], list_sets=True)
    assert accepts(openapi, ["a", "a"])


@pytest.mark.parametrize(
    ("name", "expected"),
    [("date-time", "date-time"), ("datetime", "date-time"), ("uuid-4", "uuid4"), ("int32", None), ("", None)],
    ids=["date-time", "datetime", "dashes-dropped", "int32-unchecked", "empty"],
)
def test_canonical_format_follows_api_server_normalisation(name, expected):
    assert canonical_format(name) == expected


def test_crd_root_checks_metadata_as_object_meta_and_keeps_crd_name_limits():
    # GIVEN a CRD root schema that limits metadata.name, and an ObjectMeta schema
    crd = {
        "type": "object",
        "properties": {
            "metadata": {"type": "object", "properties": {"name": {"type": "string", "maxLength": 5}}},
            "spec": {"type": "object"},
        },
    }
    object_meta = {
        "$ref": "#/$defs/Meta",
        "$defs": {
            "Meta": {
                "type": "object",
                "properties": {"name": {"type": "string"}},
                "additionalProperties": False,
            }
        },
    }
    # WHEN converted
    schema = crd_schema_to_json_schema(crd, metadata=object_meta)
    validator = jsonschema_rs.validator_for(schema)
    # THEN apiVersion and kind are allowed, metadata follows ObjectMeta and the CRD's own limit
    assert validator.is_valid({"apiVersion": "x/v1", "kind": "X", "metadata": {"name": "short"}, "spec": {}})
    assert not validator.is_valid({"apiVersion": "x/v1", "kind": "X", "metadata": {"name": "toolong"}})
    assert not validator.is_valid({"apiVersion": "x/v1", "kind": "X", "metadata": {"name": "a", "bogus": 1}})
    assert not validator.is_valid({"apiVersion": "x/v1", "kind": "X", "status": {}})
