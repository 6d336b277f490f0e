"""Profile files read with the position of every field: a profile, the profiles it extends and the app
files it includes (``profile/layers.py`` merges them). No models are needed here, so the files a profile
is made of can be listed, and read, without validating it.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from eksnet_manifests.errors import Location, SpecError, shown
from eksnet_manifests.files import MAX_DEPTH, flow_nesting_problem, read_input, structure_problem
from eksnet_manifests.profile.discovery import MAX_PROFILE_BYTES
from eksnet_manifests.profile.layers import APPS, EXTENDS, INCLUDES, Layer
from eksnet_manifests.profile.reader import Lines, MapLines, SeqLines, lines_of, read_fast

FieldPath = Sequence[str | int]


@dataclass(frozen=True)
class SourceMap:
    """Positions of the parsed document, so any stage's field path can be shown as file:line."""

    file: str
    root: Any
    lines: Lines = None
    """Where the parts of ``root`` are (``profile/reader.py``)."""
    text: str | None = None
    """The text ``root`` was read from, for ``round_trip``."""

    def locate(self, path: FieldPath) -> Location:
        node, lines = self.root, self.lines
        line = lines.line if lines is not None else None
        shown: list[str | int] = []
        for position, part in enumerate(path):
            found = _part(node, lines, part)
            if found is not None:
                line, node, lines = found
            elif _union_tag(lines, path[position + 1 :]):
                continue
            shown.append(part)
        return Location(self.file, line, format_field(shown))

    def depth(self, path: FieldPath) -> int:
        """How many parts of ``path`` this document holds (union tags skipped, as ``locate`` does)."""
        node, lines, found = self.root, self.lines, 0
        for position, part in enumerate(path):
            step = _part(node, lines, part)
            if step is not None:
                _, node, lines = step
                found = position + 1
            elif not _union_tag(lines, path[position + 1 :]):
                break
        return found

    def round_trip(self) -> Any:
        """The document as ruamel's round-trip loader reads it (comments and formatting kept), to edit."""
        return read_yaml(self.text, self.file, fast=False)[0] if self.text is not None else self.root


def _union_tag(lines: Lines, later: FieldPath) -> bool:
    """A part of a path that the document skips: a pydantic union tag such as "nlb", not a key."""
    return isinstance(lines, MapLines) and any(part in lines.keys for part in later)


def _part(node: Any, lines: Lines, part: str | int) -> tuple[int, Any, Lines] | None:
    """(line, value, lines) of ``part`` of ``node``: a key of a mapping or an index of a list."""
    if isinstance(lines, MapLines) and part in lines.keys:
        line, inner = lines.keys[part]
        return line, node[part], inner
    if isinstance(lines, SeqLines) and isinstance(part, int) and 0 <= part < len(lines.items):
        line, inner = lines.items[part]
        return line, node[part], inner
    return None


def format_field(path: FieldPath) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _is_key_like(part):
            text += f".{part}" if text else part
    return text


def _is_key_like(part: str | int) -> bool:
    # pydantic adds validator tags such as "function-after[...]" to error locations
    return isinstance(part, str) and "[" not in part


def read_yaml(text: str, file: str, *, fast: bool = True) -> tuple[Any, Lines]:
    """One YAML document and its lines; bad syntax, nesting or alias bombs are a SpecError at file:line.

    libyaml reads it (``profile/reader.py``), ruamel's round-trip parser where they could differ, where
    the text has an error (in ruamel's words) and without ``fast`` (to edit the document)."""
    nesting = flow_nesting_problem(text)
    if nesting is not None:
        raise SpecError(nesting, Location(file))
    read = read_fast(text) if fast else None
    data = read[0] if read is not None else _read_round_trip(text, file)
    problem = structure_problem(data)
    if problem is not None:
        raise SpecError(problem, Location(file))
    return data, read[1] if read is not None else lines_of(data)


def _read_round_trip(text: str, file: str) -> Any:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise SpecError(f"invalid YAML: {problem}", Location(file, line)) from None
    except ReaderError as exc:
        # A character YAML does not allow (a control character, a lone surrogate): name where it is.
        line = text[: max(exc.position, 0)].count("\n") + 1
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        problem = f"invalid YAML: {exc.reason} ({shown(character)} at character {exc.position})"
        raise SpecError(problem, Location(file, line)) from None
    except YAMLError as exc:
        raise SpecError(f"invalid YAML: {exc}", Location(file)) from None
    except RecursionError:
        raise SpecError(f"YAML nested more than {MAX_DEPTH} levels deep", Location(file)) from None


def profile_files(path: Path) -> list[SourceMap]:
    """Every file the profile at ``path`` is read from, in the order merged: the profiles it extends,
    itself and the app files it includes, read as ``load_profile`` reads them (not validated)."""
    text = read_input(path, limit=MAX_PROFILE_BYTES, what="profile")
    data, lines = read_yaml(text, str(path))
    source = SourceMap(str(path), data, lines, text)
    if not isinstance(data, dict) or not any(data.get(key) for key in (EXTENDS, INCLUDES)):
        return [source]
    return [file for layer in layers_of(source, path) for file in (layer.source, *layer.included)]


def layers_of(source: SourceMap, path: Path) -> list[Layer]:
    """``source`` (read from ``path``) with the profiles it extends before it and its app files."""
    return _layers(source, path, ())


def _layers(source: SourceMap, path: Path, chain: tuple[Path, ...]) -> list[Layer]:
    here = path.resolve()
    root = source.root
    _check_apps_list(source)
    layers: list[Layer] = []
    extends = root.get(EXTENDS)
    if extends is not None:
        if not isinstance(extends, str):
            raise SpecError("must be the path of the profile this one extends", source.locate((EXTENDS,)))
        base = path.parent / extends
        if base.resolve() in (*chain, here):
            cycle = " -> ".join(str(item) for item in (*chain, here, base.resolve()))
            raise SpecError(f"profiles extend each other in a cycle: {cycle}", source.locate((EXTENDS,)))
        layers = _layers(_read_source(base, source.locate((EXTENDS,))), base, (*chain, here))
    layers.append(Layer(source, tuple(_included(source, path))))
    return layers


def _included(source: SourceMap, path: Path) -> list[SourceMap]:
    """The app files ``includes`` names (paths or globs relative to ``path``'s folder), sorted per entry."""
    patterns = source.root.get(INCLUDES) or []
    if not isinstance(patterns, list) or not all(isinstance(item, str) for item in patterns):
        raise SpecError("must be a list of file paths or globs", source.locate((INCLUDES,)))
    included = []
    for index, pattern in enumerate(patterns):
        where = source.locate((INCLUDES, index))
        matches = sorted(Path(found) for found in glob.glob(str(path.parent / pattern), recursive=True))
        files = [match for match in matches if match.is_file()]
        if not files:
            raise SpecError(f"{shown(pattern)} matches no file (relative to {path.parent})", where)
        for file in files:
            team = _read_source(file, where)
            unknown = [key for key in team.root if key != APPS] if isinstance(team.root, dict) else []
            if not isinstance(team.root, dict) or unknown:
                at = team.locate((unknown[0],)) if unknown else Location(team.file, 1)
                raise SpecError("an included app file holds `apps:` only (a list of apps)", at)
            _check_apps_list(team)
            included.append(team)
    return included


def _read_source(path: Path, named_at: Location) -> SourceMap:
    if not path.is_file():
        raise SpecError(f"no such file: {path}", named_at)
    text = read_input(path, limit=MAX_PROFILE_BYTES, what="profile")
    data, lines = read_yaml(text, str(path))
    if not isinstance(data, dict):
        raise SpecError("must be a mapping", Location(str(path), 1))
    return SourceMap(str(path), data, lines, text)


def _check_apps_list(source: SourceMap) -> None:
    if APPS in source.root and not isinstance(source.root[APPS], list):
        raise SpecError("must be a list", source.locate((APPS,)))
