"""Loading manifests: multi-document YAML with file, index and start line; errors name file:line."""

from __future__ import annotations

import io

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from eksnet_manifests.check.documents import (
    _construct,
    _KubeLoader,
    expand_lists,
    load_documents,
    parse_documents,
)
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
        ("=", "="),
    ],
    ids=[
        "y-is-true",
        "n-is-false",
        "no-base-60",
        "exponent-float",
        "octal",
        "underscores",
        "version-string",
        "equals-sign",
    ],
)
def test_plain_scalars_resolve_as_kubectl_reads_them(scalar, value):
    [doc] = parse_documents(f"v: {scalar}\n", "s.yaml")
    assert doc.obj["v"] == value


def _both_ways(text: str) -> tuple[str, str]:
    """What the plain walk and PyYAML's constructor make of one document: the object and duplicates
    as a repr (True is not 1, 1.0 is not 1), or the error."""
    outcomes = []
    for plain in (True, False):
        loader = _KubeLoader(text)
        try:
            node = loader.get_single_node()
            obj = _construct(loader, node) if plain else loader.construct_document(node)
            outcomes.append(repr((obj, sorted(loader.duplicates))))
        except yaml.YAMLError as exc:
            outcomes.append(f"{type(exc).__name__}: {exc}")
        finally:
            loader.dispose()
    return outcomes[0], outcomes[1]


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\nb: 0o17\nc: 017\nd: 1e3\ne: ~\nf: .inf\ng: 0x1F\nh: 2024-01-01\n",
        "80: x\ntrue: y\n~: z\n1.5: w\n",
        "f: !!binary aGVsbG8=\ng: !!str 12\nh: !!int '7'\n",
        "a: [1, {b: [c, {d: null}]}]\ne: {}\nf: []\n",
        "k: a\nk: b\nm: {n: 1, n: 2}\n",
        "<<: {a: 1}\nb: 2\n",
        "s: !!set {a, b}\n",
        "o: !!omap [{a: 1}]\n",
        "x: !custom 1\n",
        "? [a, b]\n: c\n",
        "a: &x {b: [1, &y c]}\nd: *x\ne: *y\nf: [*x, *x]\n",
        "a: &x [b, *x]\n",
    ],
    ids=[
        "go-yaml-scalars",
        "non-string-keys",
        "explicit-scalar-tags",
        "nested",
        "duplicates",
        "merge-key",
        "set",
        "omap",
        "unknown-tag",
        "sequence-key",
        "aliases",
        "recursive",
    ],
)
def test_the_plain_walk_builds_what_the_constructor_builds(text: str) -> None:
    # GIVEN a document WHEN built both ways THEN the same objects, types and
    # duplicates come out, or the same error
    plain, full = _both_ways(text)
    assert plain == full


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.sampled_from(["yes", "no", "on", "y", "n", "~", "null", "0x1F", "017", "1e3", "1_000", "<<", ""]),
    st.text(max_size=8),
)
_TREES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_SCALARS, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(tree=_TREES, flow=st.booleans())
def test_the_plain_walk_matches_the_constructor_on_generated_documents(tree: object, flow: bool) -> None:
    # the tree twice: a list or mapping is written once with an anchor, then as an alias
    text = yaml.safe_dump({"root": tree, "again": tree}, default_flow_style=flow, sort_keys=False)
    plain, full = _both_ways(text)
    assert plain == full


def test_an_alias_is_the_object_its_anchor_built() -> None:
    [doc] = parse_documents(
        "apiVersion: v1\nkind: X\nmetadata: {labels: &l {a: b}}\nspec: {labels: *l}\n", "f"
    )
    assert doc.obj["spec"]["labels"] is doc.obj["metadata"]["labels"]
