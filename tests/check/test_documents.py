"""Loading manifests: multi-document YAML with file, index and start line; errors name file:line."""

from __future__ import annotations

import io

import pytest

from eksnet_manifests.check.documents import expand_lists, load_documents, parse_documents
from eksnet_manifests.errors import CheckError

STREAM = """# leading comment
apiVersion: v1
kind: Service
metadata: {name: a}
---
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  creationTimestamp: 2024-01-01T00:00:00Z
data:
  80: http
  true: yes
"""


def test_documents_carry_file_index_and_start_line():
    docs = parse_documents(STREAM, "m.yaml")
    assert [(d.origin.file, d.origin.index, d.origin.line, d.kind) for d in docs] == [
        ("m.yaml", 0, 2, "Service"),
        ("m.yaml", 1, 7, "ConfigMap"),
    ]


def test_values_decode_like_the_api_server():
    # Timestamps stay strings; non-string keys become their JSON spelling (sigs.k8s.io/yaml).
    [_, config_map] = parse_documents(STREAM, "m.yaml")
    assert config_map.obj["metadata"]["creationTimestamp"] == "2024-01-01T00:00:00Z"
    assert config_map.obj["data"] == {"80": "http", "true": True}


def test_duplicate_keys_are_remembered_but_merge_keys_are_not_duplicates():
    text = "a: 1\nb: 2\na: 3\nbase: &b {x: 1}\nmerged:\n  <<: *b\n  x: 2\n"
    [doc] = parse_documents(text, "d.yaml")
    assert doc.duplicate_keys == (("a", 3),)
    assert doc.obj["a"] == 3 and doc.obj["merged"] == {"x": 2}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: [1\nb: 2\n", "bad.yaml:2: YAML syntax error"),
        ("- just\n- a list\n", "bad.yaml:1: document is a list, not a Kubernetes object"),
        ("? [a]\n: 1\n", "bad.yaml:1: YAML syntax error: a mapping key must be a scalar"),
    ],
    ids=["syntax-error", "not-a-mapping", "complex-key"],
)
def test_unreadable_yaml_is_a_check_error_at_file_and_line(text, message):
    with pytest.raises(CheckError) as caught:
        parse_documents(text, "bad.yaml")
    assert str(caught.value).startswith(message)


def test_folders_are_searched_recursively_for_yaml_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/z.yml", "a.yaml", "b/c.yaml", "notes.txt"):
        (tmp_path / name).write_text("kind: X\napiVersion: v1\n")
    files = [doc.origin.file for doc in load_documents([tmp_path])]
    assert files == [str(tmp_path / n) for n in ("a.yaml", "b/c.yaml", "b/z.yml")]


def test_dash_reads_standard_input():
    [doc] = load_documents(["-"], stdin=io.StringIO("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n"))
    assert (doc.origin.file, doc.kind) == ("<stdin>", "Namespace")


def test_missing_file_is_a_check_error(tmp_path):
    with pytest.raises(CheckError, match="no such file or directory"):
        load_documents([tmp_path / "absent.yaml"])


def test_list_items_become_documents_at_the_lists_position():
    text = "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Service}\n"
    text += "- {apiVersion: v1, kind: Secret}\n"
    docs = expand_lists(parse_documents(text, "l.yaml"))
    assert [(d.kind, d.origin.line) for d in docs] == [("Service", 1), ("Secret", 1)]


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("y", True),
        ("N", False),
        ("12:30", "12:30"),
        ("1e3", 1000.0),
        ("0755", 493),
        ("1_000", 1000),
        ("1.2.3", "1.2.3"),
    ],
    ids=["y-is-true", "n-is-false", "no-base-60", "exponent-float", "octal", "underscores", "version-string"],
)
def test_plain_scalars_resolve_as_kubectl_reads_them(scalar, value):
    [doc] = parse_documents(f"v: {scalar}\n", "s.yaml")
    assert doc.obj["v"] == value
