"""The C-speed profile reader gives what ruamel's round-trip loader gives, or leaves the file to ruamel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eksnet_manifests.profile.reader import lines_of, read_fast
from eksnet_manifests.profile.sources import _read_round_trip

REPO = Path(__file__).resolve().parents[2]
PROFILES = sorted(
    path
    for pattern in (
        "eksnet_manifests/examples/*.yaml",
        "tests/fixtures/**/*.yaml",
        "tests/golden/*/profile.yaml",
    )
    for path in REPO.glob(pattern)
)


def same(fast: Any, ruamel: Any) -> bool:
    """Equal values, and of the same type except ruamel's string subclasses (block scalars)."""
    if isinstance(ruamel, dict):
        return (
            type(fast) is dict
            and list(fast) == list(ruamel)
            and all(same(fast[key], ruamel[key]) for key in ruamel)
        )
    if isinstance(ruamel, list):
        return type(fast) is list and len(fast) == len(ruamel) and all(map(same, fast, ruamel))
    if isinstance(ruamel, str):
        return type(fast) is str and fast == ruamel
    return type(fast) is type(ruamel) and fast == ruamel


def assert_reads_as_ruamel(text: str) -> None:
    read = read_fast(text)
    assert read is not None, "left to ruamel"
    expected = _read_round_trip(text, "profile.yaml")
    assert same(read[0], expected)
    assert read[1] == lines_of(expected)


def test_the_profiles_shipped_and_tested_are_all_read_fast() -> None:
    # GIVEN every profile of the repository WHEN read THEN libyaml reads each, as ruamel would
    assert len(PROFILES) > 10
    for path in PROFILES:
        assert_reads_as_ruamel(path.read_text())


READ_FAST = {
    "yaml-1.2-scalars": "a: yes\nb: no\nc: on\nd: true\ne: 1.30\nf: 0o17\ng: 017\nh: 1_000\ni: 0x1F\n"
    "j: ~\nk:\nl: .inf\nm: 12:30\nn: 2024-01-01\no: 1e3\np: -0\nq: '1'\nr: \"x\\ty\"\n",
    "block-scalars": "a: |\n  one\n  two\nb: >-\n  folded\n  text\n\nc: |+\n  kept\n\n",
    "flow-collections": "a: {b: [1, 2, {c: d}], e: []}\nf: [x, 'y', \"z\"]\n",
    "multi-line-plain": "a: this is\n  one line\n  folded\nb: next\n",
    "items-on-their-own-lines": "apps:\n-\n  name: a\n-\n  - nested\n  - list\n- x\n",
    "comments-everywhere": "# head\na: 1 # one\n# between\nb:\n  # inside\n  c: 2\n",
    "unicode": 'name: café\nemoji: "\\U0001F600"\n',
    "document-start": "---\na: 1\n",
    "empty-document": "",
    "scalar-document": "just text\n",
    "sequence-document": "- a\n- b\n",
    "byte-order-mark-inside": "a: x\ufeffy\n",
}


@pytest.mark.parametrize("text", READ_FAST.values(), ids=READ_FAST.keys())
def test_ordinary_yaml_reads_as_ruamel_reads_it(text: str) -> None:
    assert_reads_as_ruamel(text)


LEFT_TO_RUAMEL = {
    "anchor-and-alias": "a: &x 1\nb: *x\n",
    "merge-key": "base: {a: 1}\nb:\n  <<: {a: 2}\n",
    "tag": "a: !!str 1\n",
    "local-tag": "a: !thing 1\n",
    "directive": "%YAML 1.1\n---\na: yes\n",
    "duplicate-key": "a: 1\na: 2\n",
    "integer-key": "80: http\n",
    "null-key": "~: x\n",
    "complex-key": "? [a, b]\n: c\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "syntax-error": "a: b: c\n",
    "bad-indentation": "a:\n  b: 1\n c: 2\n",
    "control-character": "a: \x07\n",
}


@pytest.mark.parametrize("text", LEFT_TO_RUAMEL.values(), ids=LEFT_TO_RUAMEL.keys())
def test_what_the_parsers_could_read_differently_is_left_to_ruamel(text: str) -> None:
    assert read_fast(text) is None


scalars = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.none(),
    st.sampled_from(["yes", "no", "on", "1.30", "0o17", "12:30", "2024-01-01", "~", "- x", "a: b", "#c"]),
)
keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)


@settings(
    max_examples=60, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
)
@given(
    document=st.dictionaries(keys, documents, max_size=5),
    flow=st.sampled_from([False, None]),
    indent=st.sampled_from([2, 4]),
)
def test_generated_documents_read_as_ruamel_reads_them(
    document: dict, flow: bool | None, indent: int
) -> None:
    # GIVEN any document written by a YAML emitter, in block or mixed style WHEN read THEN the same
    # values and lines as ruamel's, or left to ruamel
    text = yaml.safe_dump(document, default_flow_style=flow, indent=indent, allow_unicode=True)
    read = read_fast(text)
    if read is None:
        return
    expected = _read_round_trip(text, "profile.yaml")
    assert same(read[0], expected), text
    assert read[1] == lines_of(expected), text
