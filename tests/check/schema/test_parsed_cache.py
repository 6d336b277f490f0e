"""CRD files parsed once: the cache gives what a parse gives, and never a stale or broken entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from eksnet_manifests.check import documents
from eksnet_manifests.check.schema import crds, parsed_cache
from eksnet_manifests.check.schema.parsed_cache import entry_path, parse_cached
from eksnet_manifests.errors import CheckError

CRD = """# a CRD file
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
  labels: {a: b, a: c}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, x-kubernetes-validations: [{rule: "self.size() > 0"}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other}
data: {on: yes, n: 1.5}
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(parsed_cache.CACHE_ENV, str(tmp_path / "parsed"))
    return tmp_path / "parsed"


def _parse_must_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(text: str, file: str) -> list[documents.Document]:
        raise AssertionError("parsed again")

    monkeypatch.setattr(parsed_cache, "parse_documents", refused)


def test_a_cached_parse_gives_what_the_parse_gave(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a file parsed once WHEN the same text is read again (under another name) THEN nothing is
    # parsed and the documents, their positions and duplicate keys are those of a parse
    fresh = documents.parse_documents(CRD, "b.yaml")
    parse_cached(CRD, "a.yaml")
    _parse_must_not_run(monkeypatch)
    again = parse_cached(CRD, "b.yaml")
    assert [(d.obj, d.origin, d.duplicate_keys) for d in again] == [
        (d.obj, d.origin, d.duplicate_keys) for d in fresh
    ]
    assert again[0].line_of("spec.versions") == fresh[0].line_of("spec.versions") == 11


@pytest.mark.parametrize("content", [b"", b"\x00garbage", b"\xfb\x01\x02"], ids=["empty", "garbage", "cut"])
def test_a_broken_entry_is_parsed_again_and_rewritten(cache: Path, content: bytes) -> None:
    parse_cached(CRD, "a.yaml")
    entry_path(CRD).write_bytes(content)
    assert [d.obj for d in parse_cached(CRD, "a.yaml")] == [
        d.obj for d in documents.parse_documents(CRD, "a")
    ]
    assert entry_path(CRD).read_bytes() != content


def test_an_entry_of_another_format_is_ignored(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parse_cached(CRD, "a.yaml")
    import marshal

    entry_path(CRD).write_bytes(marshal.dumps((parsed_cache.FORMAT + 1, [])))
    assert len(parse_cached(CRD, "a.yaml")) == 2


def test_the_entry_depends_on_the_text_and_the_parser(
    cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = entry_path(CRD)
    assert entry_path(CRD + "\n# more\n") != first
    # GIVEN another version of the parsing code WHEN the key is made THEN it names another entry
    changed = tmp_path / "documents.py"
    changed.write_text(Path(documents.__file__).read_text() + "\n# changed\n")
    monkeypatch.setattr(documents, "__file__", str(changed))
    parsed_cache.parser_identity.cache_clear()
    try:
        assert entry_path(CRD) != first
    finally:
        monkeypatch.undo()
        parsed_cache.parser_identity.cache_clear()


def test_a_file_with_an_error_is_never_kept(cache: Path) -> None:
    for _ in range(2):
        with pytest.raises(CheckError, match="YAML syntax error"):
            parse_cached("a: [1, 2\n", "bad.yaml")
    assert not list(cache.glob("*.marshal"))


def test_crd_sources_are_parsed_once(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a CRD folder read once WHEN it is read again THEN its files come from the cache
    (tmp_path / "crds").mkdir()
    (tmp_path / "crds" / "widget.yaml").write_text(CRD)
    first = crds.load_crd_documents([str(tmp_path / "crds")])
    _parse_must_not_run(monkeypatch)
    again = crds.load_crd_documents([str(tmp_path / "crds")])
    assert [(d.obj, d.origin) for d in again] == [(d.obj, d.origin) for d in first]
    assert first[0].origin.file == str(tmp_path / "crds" / "widget.yaml")
