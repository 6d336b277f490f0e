"""Validate a profile read by ``profile/sources.py``, mapping every error to file:line: field."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from eksnet_manifests.errors import Location, SpecError, raise_all, shown
from eksnet_manifests.files import read_input
from eksnet_manifests.profile.discovery import MAX_PROFILE_BYTES
from eksnet_manifests.profile.layers import EXTENDS, INCLUDES, LayeredSource, merge_layers
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.profile.sources import (
    SourceMap,
    layers_of,
    read_yaml,
)

BUNDLED_PROFILE = "myeks.yaml"
BUNDLED_FILE = f"<bundled>/{BUNDLED_PROFILE}"

FieldPath = Sequence[str | int]


@dataclass(frozen=True)
class LoadedProfile:
    profile: Profile
    source: SourceMap | LayeredSource
    path: Path | None  # None for the bundled profile

    @property
    def files(self) -> tuple[str, ...]:
        """Every file the profile was read from, in the order merged (later wins)."""
        if isinstance(self.source, LayeredSource):
            return tuple(layer.file for layer in self.source.layers)
        return (self.source.file,)

    @property
    def document(self) -> Any:
        """The profile document as validated: for a layered profile, its files merged."""
        return self.source.document if isinstance(self.source, LayeredSource) else self.source.root

    def app_file(self, name: str) -> str:
        """The file that defines app ``name`` (an included app file, a base profile, or the profile)."""
        if isinstance(self.source, LayeredSource):
            names = [app.name for app in self.profile.apps]
            found = self.source.app_file(names.index(name)) if name in names else None
            return found or self.source.file
        return self.source.file

    def resolve(self, reference: str) -> str:
        """A file named in the profile, relative to the profile's folder; URLs and absolute paths as given."""
        if "://" in reference or self.path is None or Path(reference).is_absolute():
            return reference
        return str(self.path.parent / reference)

    def crd_sources(self) -> tuple[str, ...]:
        return tuple(self.resolve(source) for source in self.profile.validation.crd_sources)


def parse_field(field: str) -> tuple[str | int, ...]:
    """``apps[2].expose.hosts`` -> ("apps", 2, "expose", "hosts")."""
    parts: list[str | int] = []
    for token in re.findall(r"[^.\[\]]+|\[\d+\]", field):
        parts.append(int(token[1:-1]) if token.startswith("[") else token)
    return tuple(parts)


def parse_profile(text: str, file: str, path: Path | None = None) -> LoadedProfile:
    """Validate profile text; every problem is reported, each a SpecError naming file:line: field.

    A profile at ``path`` may extend a base profile and include app files (``profile/layers.py``),
    read relative to its folder and merged before validation.
    """
    data, lines = read_yaml(text, file)
    source: SourceMap | LayeredSource = SourceMap(file, data, lines, text)
    if not isinstance(data, dict):
        raise SpecError("a profile must be a mapping with cluster, nodeGroups and apps", Location(file, 1))
    layered = [key for key in (EXTENDS, INCLUDES) if data.get(key)]
    if layered and path is None:
        raise SpecError(
            f"{layered[0]} names files relative to the profile's folder: load it from a file",
            source.locate((layered[0],)),
        )
    if path is not None and layered:
        data, source = merge_layers(layers_of(source, path))
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise_all(validation_errors(exc, source))
        raise AssertionError("unreachable") from None
    raise_problems(profile, source)
    return LoadedProfile(profile, source, None)


def raise_problems(profile: Profile, source: SourceMap | LayeredSource) -> None:
    """Raise every cross-section problem of ``profile`` at its position."""
    raise_all([SpecError(problem.message, source.locate(problem.path)) for problem in profile.problems()])


def validation_errors(
    exc: ValidationError,
    source: SourceMap | LayeredSource,
    prefix: FieldPath = (),
    root: type[BaseModel] = Profile,
) -> list[SpecError]:
    """Every problem pydantic found, one SpecError each at its position, worded for the user."""
    errors = exc.errors(include_url=False)
    suggested = {
        (*error["loc"][:-1], suggestion)
        for error in errors
        if error["type"] == "extra_forbidden"
        for suggestion in [_suggestion(root, error["loc"])]
        if suggestion
    }
    failed_items = {tuple(error["loc"][:-1]) for error in errors if len(error["loc"]) > 1}
    found = []
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "missing" and loc in suggested:
            continue  # the misspelt key next to it says so, with the right spelling
        if error["type"] == "too_short" and any(item[: len(loc)] == loc for item in failed_items):
            continue  # pydantic counts the list after dropping the invalid item it already reported
        if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, "type")
        found.append(SpecError(_message(error, root), source.locate([*prefix, *loc])))
    return found


def _message(error: ErrorDetails, root: type[BaseModel]) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "extra_forbidden":
        key = error["loc"][-1]
        suggestion = _suggestion(root, error["loc"])
        hint = f" (did you mean {suggestion!r}?)" if suggestion else ""
        return f"unknown field {shown(key)}{hint}"
    if kind == "missing":
        return "field required"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        expected = str(context.get("expected_tags", "")).replace("'", "")
        given = context.get("tag")
        return (
            f"{shown(given)} is not one of {expected}"
            if given is not None
            else f"type is required: {expected}"
        )
    if kind == "string_type" and isinstance(error.get("input"), bool | int | float):
        # YAML reads a bare 1.30 as the number 1.3 and true as a boolean; the field wants the text.
        read_as = "a boolean" if isinstance(error["input"], bool) else "a number"
        return f"must be a string, but YAML read {read_as}: quote the value"
    if kind in _PLAIN_MESSAGES:
        return _PLAIN_MESSAGES[kind]
    if kind == "literal_error":
        return f"must be one of {context.get('expected', '')}"
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    message = re.sub(r"^(Input|String|Tuple|List|Dictionary|Value) should", "must", message)
    return message.replace(" after validation", "")


# pydantic's wording names Python types ("instance of App", "valid tuple"); say what YAML needs.
_PLAIN_MESSAGES = {
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "dict_type": "must be a mapping of keys to values",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "string_type": "must be a string",
    "int_type": "must be a whole number (YAML integer)",
    "int_parsing": "must be a whole number (YAML integer)",
    "int_from_float": "must be a whole number (YAML integer)",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "finite_number": "must be a finite number",
}


def _suggestion(root: type[BaseModel], loc: tuple[str | int, ...]) -> str | None:
    """The known key closest to an unknown one, compared case-insensitively."""
    model = model_at(root, loc[:-1])
    if model is None:
        return None
    known = field_names(model)
    key = str(loc[-1])
    by_lower = {name.lower(): name for name in known}
    if key.lower() in by_lower:
        return by_lower[key.lower()]
    close = difflib.get_close_matches(key.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else None


def field_names(model: type[BaseModel]) -> list[str]:
    """The keys a model accepts, as written in YAML."""
    return [info.alias or name for name, info in model.model_fields.items()]


def model_at(root: type[BaseModel], loc: FieldPath) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` (pydantic's loc: union tags included)."""
    current: Any = root
    for part in loc:
        current = _model_in(current, part)
        if current is None:
            return None
    models = models_in(current)
    return models[0] if len(models) == 1 else None


def _model_in(annotation: Any, part: str | int) -> Any:
    for model in models_in(annotation):
        if isinstance(part, str):
            for name, info in model.model_fields.items():
                if part in (name, info.alias):
                    return info.annotation
            tag = model.model_fields.get("type")
            if tag is not None and part in get_args(strip_annotated(tag.annotation)):
                return model
    origin, args = get_origin(strip_annotated(annotation)), get_args(strip_annotated(annotation))
    if isinstance(part, int) and origin in (tuple, list):
        return args[0]
    if isinstance(part, str) and origin is dict:
        return args[1]
    if isinstance(part, str) and origin in (Union, UnionType):
        return next((arg for arg in args if part in get_args(strip_annotated(_tag_of(arg)))), None)
    return None


def _tag_of(model: Any) -> Any:
    fields = getattr(model, "model_fields", {})
    return fields["type"].annotation if "type" in fields else None


def strip_annotated(annotation: Any) -> Any:
    """``Annotated[X, …]`` -> ``X``."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def models_in(annotation: Any, *, through_containers: bool = False) -> list[type[BaseModel]]:
    """The models a field's annotation holds: itself, the arms of a union, and with
    ``through_containers`` the items of lists, tuples and dict values too."""
    annotation = strip_annotated(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = get_origin(annotation)
    containers = (tuple, list, dict) if through_containers else ()
    if origin in (Union, UnionType, *containers):
        args = get_args(annotation)[1:] if origin is dict else get_args(annotation)
        return [
            model
            for arg in args
            if arg is not Ellipsis
            for model in models_in(arg, through_containers=through_containers)
        ]
    return []


def load_profile(path: Path | None) -> LoadedProfile:
    """Load the profile at ``path``; None loads the bundled lab profile."""
    if path is None:
        text = resources.files("eksnet_manifests.examples").joinpath(BUNDLED_PROFILE).read_text("utf-8")
        return parse_profile(text, BUNDLED_FILE)
    text = read_input(path, limit=MAX_PROFILE_BYTES, what="profile")
    loaded = parse_profile(text, str(path), path)
    return LoadedProfile(loaded.profile, loaded.source, path)
