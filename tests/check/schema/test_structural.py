"""The API server's work around schema validation: null pruning, defaulting, list-set/map keys, CEL points."""

from __future__ import annotations

import copy

import pytest

from eksnet_manifests.check.schema.structural import cel_escape, compile_node, prepare

LISTENERS = {
    "type": "object",
    "properties": {
        "listeners": {
            "type": "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["name", "protocol"],
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "protocol": {"type": "string", "default": "TCP"},
                    "tls": {
                        "type": "object",
                        "properties": {"mode": {"type": "string", "default": "Terminate"}},
                    },
                    "options": {
                        "type": "object",
                        "default": {},
                        "properties": {"level": {"type": "integer", "default": 1}},
                    },
                    "note": {"type": "string", "nullable": True},
                },
                "x-kubernetes-validations": [{"rule": "self.name != ''"}],
            },
        },
        "tags": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
    },
}


@pytest.fixture(scope="module")
def root():
    return compile_node(LISTENERS)


def test_defaults_fill_missing_fields_including_defaults_of_defaults(root):
    # GIVEN a listener with a tls block and no protocol or options
    obj = {"listeners": [{"name": "a", "tls": {}}]}
    # WHEN prepared
    prepared = prepare(obj, root)
    # THEN protocol and tls.mode are defaulted, and the defaulted options got their own defaults
    assert prepared.value["listeners"][0] == {
        "name": "a",
        "protocol": "TCP",
        "tls": {"mode": "Terminate"},
        "options": {"level": 1},
    }


def test_input_object_is_not_mutated(root):
    obj = {"listeners": [{"name": "a", "tls": {}}], "tags": ["x"]}
    before = copy.deepcopy(obj)
    prepare(obj, root)
    assert obj == before


def test_null_in_non_nullable_field_is_dropped_or_defaulted(root):
    # GIVEN nulls in a defaulted field, a plain field and a nullable field
    obj = {"listeners": [{"name": "a", "protocol": None, "tls": None, "note": None}]}
    # WHEN prepared
    listener = prepare(obj, root).value["listeners"][0]
    # THEN the defaulted field gets its default, the plain one is pruned, the nullable one keeps null
    assert listener["protocol"] == "TCP"
    assert "tls" not in listener
    assert listener["note"] is None


@pytest.mark.parametrize(
    ("obj", "path", "message"),
    [
        (
            {"listeners": [{"name": "a"}, {"name": "a", "protocol": "TCP"}]},
            ("listeners", 1),
            'Duplicate value: {"name":"a","protocol":"TCP"}',
        ),
        ({"tags": ["x", "y", "x"]}, ("tags", 2), 'Duplicate value: "x"'),
    ],
    ids=["list-map-keys-after-defaulting", "list-set"],
)
def test_duplicates_in_sets_and_maps_are_reported(root, obj, path, message):
    problems = prepare(obj, root).problems
    assert [(p.path, p.message) for p in problems] == [(path, message)]


def test_distinct_map_keys_pass(root):
    obj = {"listeners": [{"name": "a"}, {"name": "a", "protocol": "UDP"}], "tags": ["x", "y"]}
    assert prepare(obj, root).problems == []


def test_nodes_with_rules_are_recorded_with_their_defaulted_value_and_path(root):
    prepared = prepare({"listeners": [{"name": "a"}, {"name": "b"}]}, root)
    points = [(p.path, p.value["protocol"]) for p in prepared.checkpoints]
    assert points == [(("listeners", 0), "TCP"), (("listeners", 1), "TCP")]


def test_rules_are_not_run_on_values_of_the_wrong_type(root):
    assert prepare({"listeners": ["not-an-object"]}, root).checkpoints == []


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("namespace", "__namespace__"),
        ("if", "__if__"),
        ("foo-bar", "foo__dash__bar"),
        ("a.b/c", "a__dot__b__slash__c"),
        ("x__y", "x__underscores__y"),
        ("plain", "plain"),
    ],
    ids=["keyword", "other-keyword", "dash", "dot-and-slash", "underscores", "plain"],
)
def test_cel_escaping_matches_kubernetes(name, escaped):
    assert cel_escape(name) == escaped
