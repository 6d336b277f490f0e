"""Manifests as ``Document(obj, origin)``: parsed objects that remember file, index and line.

Files are parsed with PyYAML's C loader. Each document's start line comes from its root node's mark,
which the parser produces anyway, so knowing where an object sits costs nothing extra.
"""

from __future__ import annotations

import marshal
import pickle
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TextIO

import yaml

from eksnet_manifests.check.kustomize import find_kustomization, plan_kustomization, render_kustomization
from eksnet_manifests.check.parallel import map_forked, split_evenly
from eksnet_manifests.check.positions import SourceText
from eksnet_manifests.check.values_files import classify_values_file
from eksnet_manifests.errors import CheckError, Location, shown
from eksnet_manifests.files import MAX_DOCUMENTS, read_input, structure_problem

YAML_SUFFIXES = (".yaml", ".yml")
STDIN = "-"


@dataclass(frozen=True)
class Origin:
    file: str
    index: int  # 0-based position among the file's documents
    line: int | None = None  # 1-based line where the document starts


@dataclass(frozen=True)
class Document:
    obj: Mapping[str, Any]
    origin: Origin
    duplicate_keys: tuple[tuple[str, int], ...] = ()
    """Mapping keys given twice in the source, with their 1-based line; the API server rejects these."""
    source: SourceText | None = field(default=None, compare=False, repr=False)
    """The text the document was parsed from, for the lines of its fields."""

    def line_of(self, path: str) -> int | None:
        """1-based line of the field at ``path`` (deepest part present), else of the document."""
        found = self.source.field_line(self.origin.line, path) if self.source is not None else None
        return found or self.origin.line

    @property
    def api_version(self) -> str:
        return str(self.obj.get("apiVersion") or "")

    @property
    def kind(self) -> str:
        return str(self.obj.get("kind") or "")

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def version(self) -> str:
        return self.api_version.rpartition("/")[2]

    @property
    def metadata(self) -> Mapping[str, Any]:
        meta = self.obj.get("metadata")
        return meta if isinstance(meta, Mapping) else {}

    @property
    def name(self) -> str | None:
        name = self.metadata.get("name")
        return str(name) if name is not None else None

    @property
    def namespace(self) -> str | None:
        ns = self.metadata.get("namespace")
        return str(ns) if ns is not None else None


# What Kubernetes accepts for an API group (a DNS subdomain, or empty for the core group), a kind and a
# version. None of them can hold a path separator or "..", so a file named after them stays in its folder.
_REFERENCE_PARTS = {
    "group": re.compile(r"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?", re.ASCII),
    "kind": re.compile(r"[A-Za-z][A-Za-z0-9]{0,62}", re.ASCII),
    "version": re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", re.ASCII),
}


def reference_problem(group: str, kind: str, version: str) -> str | None:
    """Why an apiVersion and kind are not names Kubernetes accepts, or None; check before naming a file."""
    for what, value in (("group", group), ("kind", kind), ("version", version)):
        if _REFERENCE_PARTS[what].fullmatch(value) is None:
            return f"{what} {shown(value)} is not a valid Kubernetes {what}"
    return None


def expand_lists(docs: Iterable[Document]) -> list[Document]:
    """Items of a ``v1`` ``List`` as documents of their own, at the List's position, as kubectl sees them."""
    expanded: list[Document] = []
    for doc in docs:
        items = doc.obj.get("items")
        if doc.api_version == "v1" and doc.kind == "List" and isinstance(items, list):
            expanded.extend(Document(item, doc.origin) for item in items if isinstance(item, Mapping))
        else:
            expanded.append(doc)
    return expanded


def documents_from_objects(objects: Iterable[Mapping[str, Any]], file: str) -> list[Document]:
    """Wrap in-memory objects (e.g. what ``eksnet gen`` is about to write) as documents of ``file``."""
    return [Document(obj, Origin(file, index)) for index, obj in enumerate(objects)]


# Plain scalars resolve as in go-yaml v2, which kubectl's YAML-to-JSON step uses: y/n are booleans,
# 1e3 is a float, and there are no timestamps or base-60 numbers ("12:30" stays a string).
_TAG = "tag:yaml.org,2002:"
_SCALARS = {
    _TAG + "bool": (
        r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
        "yYnNtTfFoO",
    ),
    _TAG + "int": (
        r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$",
        "-+0123456789",
    ),
    _TAG + "float": (
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
}


def _go_yaml_resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    # go-yaml has neither timestamps nor YAML 1.1's "=" value key: both are strings to the API server
    dropped = {*_SCALARS, _TAG + "timestamp", _TAG + "value"}
    table = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in dropped]
        for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
    }
    for tag, (pattern, firsts) in _SCALARS.items():
        for first in firsts:
            table.setdefault(first, []).append((tag, re.compile(pattern)))
    return table


_STR, _SEQ, _MAP, _MERGE = (_TAG + tag for tag in ("str", "seq", "map", "merge"))


# Bounds of the resolved-tag memo: short texts (keys, names, numbers), and a fixed number of them.
_REMEMBERED_SCALAR = 64
_REMEMBERED_SCALARS = 100_000


class _NeedsConstructor(Exception):
    """A node the plain walk leaves to PyYAML's constructor."""


class _KubeLoader(yaml.CSafeLoader):
    """YAML as the API server's decoder sees it: go-yaml v2 scalars, and every mapping key a string."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = _go_yaml_resolvers()
    bool_values: ClassVar[dict[str, bool]] = {**yaml.CSafeLoader.bool_values, "y": True, "n": False}

    _implicit_tags: ClassVar[dict[str, str]] = {}
    """The tag each plain scalar resolves to, by its text: the same keys and values recur in every
    manifest, and matching them against the resolvers' patterns is most of the resolving."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int]] = []

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode or not implicit[0]:
            return super().resolve(kind, value, implicit)
        tag = self._implicit_tags.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(value) <= _REMEMBERED_SCALAR and len(self._implicit_tags) < _REMEMBERED_SCALARS:
                self._implicit_tags[value] = tag
        return tag

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if type(key) is not str:
                key = _key_text(key, key_node)
            mapping[key] = self.construct_object(value_node, deep=deep)
        if len(mapping) != len(node.value):
            self._note_duplicates(node)
        return mapping

    def construct_plain(self, node: yaml.Node) -> Any:
        """``construct_document`` in one walk of the document's nodes.

        PyYAML's constructor runs a generator per collection and keeps state for recursive objects;
        a document that is not recursive needs none of it, so its mappings, sequences and strings are
        built directly (each other scalar by its tag's constructor) and an alias gets the object its
        anchor built, as PyYAML gives it. Merge keys, explicit collection tags, scalar tags without a
        constructor and recursive documents raise ``_NeedsConstructor``: the caller takes the full path.
        """
        self._built: dict[int, Any] = {}
        try:
            return self._plain(node)
        except RecursionError:
            raise _NeedsConstructor from None
        finally:
            self._built = {}

    def _plain(self, node: yaml.Node) -> Any:
        kind = type(node)
        if kind is yaml.ScalarNode:
            if node.tag == _STR:
                return node.value
            constructor = self.yaml_constructors.get(node.tag)
            if constructor is None:
                raise _NeedsConstructor
            return constructor(self, node)
        built = self._built.get(id(node))
        if built is not None:
            return built
        if kind is yaml.SequenceNode and node.tag == _SEQ:
            built = [self._plain(item) for item in node.value]
        elif kind is yaml.MappingNode and node.tag == _MAP:
            built = self._plain_mapping(node)
        else:
            raise _NeedsConstructor
        self._built[id(node)] = built
        return built

    def _plain_mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        scalar = yaml.ScalarNode
        for key_node, value_node in node.value:
            if type(key_node) is not scalar or key_node.tag == _MERGE:
                raise _NeedsConstructor
            # most keys and values are strings: taken here, without a call each
            key = key_node.value if key_node.tag == _STR else self._plain(key_node)
            if type(key) is not str:
                key = _key_text(key, key_node)
            if type(value_node) is scalar and value_node.tag == _STR:
                mapping[key] = value_node.value
            else:
                mapping[key] = self._plain(value_node)
        if len(mapping) != len(node.value):
            self._note_duplicates(node)
        return mapping

    def _note_duplicates(self, node: yaml.MappingNode) -> None:
        # Keys brought in by a merge (``<<: *anchor``) sit outside this node's text and may be overridden.
        start, end = node.start_mark.index, node.end_mark.index
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if not start <= key_node.start_mark.index <= end:
                continue
            key = key_node.value
            if key in seen:
                self.duplicates.append((str(key), key_node.start_mark.line + 1))
            seen.add(key)


def _key_text(key: Any, node: yaml.Node) -> str:
    """Non-string keys become their JSON spelling, as sigs.k8s.io/yaml does (``80`` -> ``"80"``, ``true``)."""
    if isinstance(key, (dict, list)):
        raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a scalar", node.start_mark)
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


# A YAML anchor (&name) or alias (*name) starts a node: it follows a line start, a space or a flow
# indicator, never another character of a scalar.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]", re.MULTILINE)
_ALIAS = re.compile(r"(?:^|[\s\[{,])\*[^\s\[\]{},]", re.MULTILINE)


# With k aliases a document expands at most about e^(k/e) times (nested groups of aliases); a few
# aliases in a document of ordinary size cannot blow up, so the walk that measures it is skipped.
_FEW_ALIASES = 8
_ORDINARY_DOCUMENT = 1024 * 1024


def _may_expand(text: str, node: yaml.Node) -> bool:
    start, end = node.start_mark.index, node.end_mark.index
    if end - start > _ORDINARY_DOCUMENT:
        return True
    return len(_ALIAS.findall(text, start, end)) > _FEW_ALIASES


def _by_line(duplicate: tuple[str, int]) -> tuple[int, str]:
    return duplicate[1], duplicate[0]


def _construct(loader: _KubeLoader, node: yaml.Node) -> Any:
    try:
        return loader.construct_plain(node)
    except _NeedsConstructor:
        loader.duplicates = []
        return loader.construct_document(node)


def parse_documents(text: str, file: str) -> list[Document]:
    """Every non-empty document of one YAML stream; bad syntax or a non-mapping document is a CheckError."""
    loader = _KubeLoader(text)
    source = SourceText(text)
    documents: list[Document] = []
    # Only a stream with both an anchor and an alias can expand; "&" in a URL's query string is neither.
    anchors = _ANCHOR.search(text) is not None and _ALIAS.search(text) is not None
    try:
        while loader.check_node():
            node = loader.get_node()
            line = node.start_mark.line + 1
            loader.duplicates = []
            obj = _construct(loader, node)
            if obj is None:
                continue
            if len(documents) >= MAX_DOCUMENTS:
                raise CheckError(f"more than {MAX_DOCUMENTS:,} documents in one file", Location(file, line))
            problem = structure_problem(obj) if anchors and _may_expand(text, node) else None
            if problem is not None:
                raise CheckError(problem, Location(file, line))
            if not isinstance(obj, dict):
                what = type(obj).__name__
                raise CheckError(f"document is a {what}, not a Kubernetes object", Location(file, line))
            documents.append(
                Document(
                    obj,
                    Origin(file, len(documents), line),
                    tuple(sorted(loader.duplicates, key=_by_line)),
                    source,
                )
            )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise CheckError(f"YAML syntax error: {exc.problem or exc}", Location(file, line)) from None
    except yaml.YAMLError as exc:
        raise CheckError(f"YAML error: {exc}", Location(file)) from None
    finally:
        loader.dispose()
    return documents


def _plan(path: Path) -> list[Path | _Rendered]:
    """The files to read below ``path``, and kustomizations to render; nothing outside ``path``."""
    if not path.is_dir():
        return [path]
    root = path.resolve()
    kustomization = find_kustomization(path)
    if kustomization is None:
        return sorted(
            file
            for file in path.rglob("*")
            if file.suffix in YAML_SUFFIXES and file.is_file() and file.resolve().is_relative_to(root)
        )
    # Only what kustomize applies is validated: eksctl fragments and other YAML beside it are not objects.
    plan = plan_kustomization(kustomization, path)
    values = sorted(file for file in path.rglob("*.values.y*ml") if classify_values_file(str(file)))
    if plan.render is not None:
        return [_Rendered(kustomization), *values]
    return sorted({*plan.files, *values})


@dataclass(frozen=True)
class _Rendered:
    kustomization: Path

    @property
    def name(self) -> str:
        return f"{self.kustomization} (as rendered by kustomize)"


def read_text(path: Path) -> str:
    if not path.exists():
        raise CheckError("no such file or directory", Location(str(path)))
    return read_input(path, error=CheckError)


def _sources(paths: Sequence[str | Path], stdin: TextIO | None) -> Iterator[tuple[str, str]]:
    for raw in paths:
        if str(raw) == STDIN:
            if stdin is None:
                raise CheckError("'-' given but no standard input is available")
            yield "<stdin>", stdin.read()
            continue
        path = Path(raw)
        if not path.exists():
            raise CheckError("no such file or directory", Location(str(path)))
        for source in _plan(path):
            if isinstance(source, _Rendered):
                yield source.name, render_kustomization(source.kustomization.parent)
            else:
                yield str(source), read_text(source)


def load_documents(
    paths: Sequence[str | Path],
    stdin: TextIO | None = None,
    parse: Callable[[str, str], list[Document]] = parse_documents,
) -> list[Document]:
    """Documents of every file or directory in ``paths`` (``-`` reads ``stdin``), in the order given;
    each file's text is parsed by ``parse`` (``parse_documents`` or a cached equivalent)."""
    documents: list[Document] = []
    for file, text in _sources(paths, stdin):
        documents.extend(parse(text, file))
    return documents


@dataclass(frozen=True)
class Inputs:
    """What ``eksnet validate`` read: the documents, the files, and files that did not parse."""

    documents: list[Document]
    files: list[str]
    unparsed: list[CheckError]


PARALLEL_FROM = 512 * 1024
"""Characters of input from which parsing is split over several processes: below, starting them
costs more than it saves."""


def load_inputs(paths: Sequence[str | Path], stdin: TextIO | None = None, *, workers: int = 1) -> Inputs:
    """Like ``load_documents``, but a file that does not parse is recorded and the others still load.

    A path that does not exist or cannot be read is still a CheckError: that is bad input, not a finding.
    With ``workers`` > 1, large inputs are parsed by that many processes (the result is the same).
    """
    sources = list(_sources(paths, stdin))
    sizes = [len(text) for _, text in sources]
    parts = split_evenly(sizes, workers if sum(sizes) >= PARALLEL_FROM else 1)

    def parse_part(index: int) -> bytes:
        parsed: list[_Parsed] = []
        for position in parts[index]:
            file, text = sources[position]
            try:
                documents = parse_documents(text, file)
            except CheckError as exc:
                parsed.append(("error", exc.message, exc.location.line))
                continue
            parsed.append(("ok", [(doc.obj, doc.origin.line, doc.duplicate_keys) for doc in documents]))
        return _portable(parsed)

    documents: list[Document] = []
    unparsed: list[CheckError] = []
    for part, data in zip(parts, map_forked(parse_part, len(parts)), strict=True):
        for position, outcome in zip(part, _unportable(data), strict=True):
            file, text = sources[position]
            if outcome[0] == "error":
                unparsed.append(CheckError(outcome[1], Location(file, outcome[2])))
                continue
            source = SourceText(text)
            documents.extend(
                Document(obj, Origin(file, index, line), tuple(tuple(d) for d in duplicates), source)
                for index, (obj, line, duplicates) in enumerate(outcome[1])
            )
    return Inputs(documents, [file for file, _ in sources], unparsed)


_Parsed = tuple[str, Any] | tuple[str, str, int | None]


def _portable(parsed: list[_Parsed]) -> bytes:
    """``marshal`` is several times faster than pickle for parsed YAML; pickle takes what it cannot."""
    try:
        return b"m" + marshal.dumps(parsed)
    except ValueError:
        return b"p" + pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)


def _unportable(data: bytes) -> list[_Parsed]:
    loaded: list[_Parsed] = marshal.loads(data[1:]) if data[:1] == b"m" else pickle.loads(data[1:])
    return loaded
