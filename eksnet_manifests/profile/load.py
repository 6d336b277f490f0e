"""Read a profile with ruamel.yaml and validate it, mapping every error to file:line: field."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from eksnet_manifests.errors import Location, SpecError
from eksnet_manifests.profile.profile import Profile

BUNDLED_PROFILE = "myeks.yaml"
DEFAULT_PROFILE_NAMES = ("eksnet.yaml", "eksnet.yml")

FieldPath = Sequence[str | int]


@dataclass(frozen=True)
class SourceMap:
    """Positions of the parsed document, so any stage's field path can be shown as file:line."""

    file: str
    root: Any

    def locate(self, path: FieldPath) -> Location:
        node, line = self.root, _line_of(self.root)
        shown: list[str | int] = []
        for position, part in enumerate(path):
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedMap) and any(later in node for later in path[position + 1 :]):
                continue  # a pydantic union tag such as "nlb", not a key of the document
            shown.append(part)
        return Location(self.file, line, format_field(shown))


@dataclass(frozen=True)
class LoadedProfile:
    profile: Profile
    source: SourceMap
    path: Path | None  # None for the bundled profile

    def resolve(self, reference: str) -> str:
        """A file named in the profile, relative to the profile's folder; URLs and absolute paths as given."""
        if "://" in reference or self.path is None or Path(reference).is_absolute():
            return reference
        return str(self.path.parent / reference)

    def crd_sources(self) -> tuple[str, ...]:
        return tuple(self.resolve(source) for source in self.profile.validation.crd_sources)


def format_field(path: FieldPath) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _is_key_like(part):
            text += f".{part}" if text else part
    return text


def parse_field(field: str) -> tuple[str | int, ...]:
    """``apps[2].expose.hosts`` -> ("apps", 2, "expose", "hosts")."""
    parts: list[str | int] = []
    for token in re.findall(r"[^.\[\]]+|\[\d+\]", field):
        parts.append(int(token[1:-1]) if token.startswith("[") else token)
    return tuple(parts)


def _is_key_like(part: str | int) -> bool:
    # pydantic adds validator tags such as "function-after[...]" to error locations
    return isinstance(part, str) and "[" not in part


def _line_of(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else None


def read_yaml(text: str, file: str) -> Any:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise SpecError(f"invalid YAML: {problem}", Location(file, line)) from None


def parse_profile(text: str, file: str) -> LoadedProfile:
    """Validate profile text; the first problem is raised as a SpecError naming file:line: field."""
    data = read_yaml(text, file)
    source = SourceMap(file, data)
    if not isinstance(data, dict):
        raise SpecError("a profile must be a mapping with cluster, nodeGroups and apps", Location(file, 1))
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise _spec_error(exc, source) from None
    raise_problems(profile, source)
    return LoadedProfile(profile, source, None)


def raise_problems(profile: Profile, source: SourceMap) -> None:
    """Raise the first cross-section problem of ``profile`` as a SpecError at its position."""
    problems = profile.problems()
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise SpecError(first.message + more, source.locate(first.path))


def validation_error(exc: ValidationError, source: SourceMap, prefix: FieldPath = ()) -> SpecError:
    """Turn a pydantic error into one SpecError at the first problem's position."""
    return _spec_error(exc, source, prefix)


def _spec_error(exc: ValidationError, source: SourceMap, prefix: FieldPath = ()) -> SpecError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = [*prefix, *first["loc"]]
    if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
        loc.append("type")
    location = source.locate(loc)
    message = _message(first)
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more)"
    return SpecError(message, location)


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "field required"
    if kind == "string_type" and isinstance(error.get("input"), bool | int | float):
        # YAML reads a bare 1.30 as the number 1.3 and true as a boolean; the field wants the text.
        read_as = "a boolean" if isinstance(error["input"], bool) else "a number"
        return f"must be a string, but YAML read {read_as}: quote the value"
    message: str = error["msg"]
    return message.removeprefix("Value error, ")


def load_profile(path: Path | None) -> LoadedProfile:
    """Load ``path``, else ``./eksnet.yaml``, else the bundled lab profile."""
    if path is None:
        path = next((Path(name) for name in DEFAULT_PROFILE_NAMES if Path(name).is_file()), None)
    if path is None:
        text = resources.files("eksnet_manifests.examples").joinpath(BUNDLED_PROFILE).read_text("utf-8")
        return parse_profile(text, f"<bundled>/{BUNDLED_PROFILE}")
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read profile: {exc.strerror}", Location(str(path))) from None
    loaded = parse_profile(text, str(path))
    return LoadedProfile(loaded.profile, loaded.source, path)
