"""``eksnet explain FIELD`` and ``eksnet schema``: the profile's fields, documented from the models."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from eksnet_manifests.errors import Location, SpecError, shown
from eksnet_manifests.profile.load import field_names, models_in, strip_annotated
from eksnet_manifests.profile.profile import Profile

SCHEMA_ID = "https://eksnet.dev/schemas/profile.json"


def profile_json_schema() -> str:
    """The profile's JSON Schema (draft 2020-12) as editors read it, from the models."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **Profile.model_json_schema(by_alias=True),
    }
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


@dataclass(frozen=True)
class Explained:
    path: str
    type: str
    description: str
    default: str | None
    required: bool
    owners: tuple[str, ...]  # the exposure or identity kinds that have this field, when not all do
    fields: tuple[tuple[str, str, bool, str], ...]  # (key, type, required, first line of doc)

    def text(self) -> str:
        lines = [f"FIELD:    {self.path} <{self.type}>{'  (required)' if self.required else ''}"]
        if self.owners:
            lines.append(f"IN:       type {', '.join(self.owners)}")
        if self.default is not None:
            lines.append(f"DEFAULT:  {self.default}")
        lines += [
            "",
            "DESCRIPTION:",
            *(f"    {line}" for line in self.description.splitlines() or ["(none)"]),
        ]
        if self.fields:
            lines += ["", "FIELDS:"]
            for key, kind, required, doc in self.fields:
                lines.append(f"  {key} <{kind}>{'  (required)' if required else ''}")
                lines.append(f"    {doc}")
        return "\n".join(lines) + "\n"


def explain(path: str) -> Explained:
    """The field at ``path`` (``apps.expose.hosts``, ``cluster``, ``nodeGroups[].instanceType``)."""
    parts = [part for part in re.split(r"\.|\[\]|\[\d+\]", path) if part]
    models: list[type[BaseModel]] = [Profile]
    info: FieldInfo | None = None
    owners: tuple[str, ...] = ()
    for depth, part in enumerate(parts):
        found = [(model, _field(model, part)) for model in models]
        matches = [(model, field) for model, field in found if field is not None]
        if not matches:
            known = sorted({name for model in models for name in field_names(model)})
            close = difflib.get_close_matches(part, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (fields here: {', '.join(known)})"
            where = ".".join(parts[:depth]) or "the profile"
            raise SpecError(
                f"{where} has no field {shown(part)}{hint}", Location("<command line>", None, "FIELD")
            )
        info = matches[0][1]
        owners = tuple(_tag(model) for model, _ in matches) if len(matches) < len(models) else ()
        models = [m for _, field in matches for m in _models_through(field.annotation)]  # type: ignore[union-attr]
    if info is None:
        return _explained("(profile)", Profile, None, ())
    return _explained(".".join(parts), info, info, owners)


def _explained(path: str, model_or_field: Any, info: FieldInfo | None, owners: tuple[str, ...]) -> Explained:
    annotation = info.annotation if info is not None else model_or_field
    models = _models_through(annotation)
    by_key: dict[str, list[tuple[type[BaseModel], FieldInfo]]] = {}
    for model in models:
        for name, child in model.model_fields.items():
            by_key.setdefault(child.alias or name, []).append((model, child))
    fields = [_row(key, found, len(models)) for key, found in by_key.items()]
    description = (info.description if info is not None else Profile.__doc__) or ""
    if info is None or not info.description:
        description = (models[0].__doc__ or "") if models and len(models) == 1 else description
    return Explained(
        path=path,
        type=describe_type(annotation),
        description=description.strip(),
        default=_default(info),
        required=info.is_required() if info is not None else False,
        owners=owners,
        fields=tuple(fields),
    )


def _row(
    key: str, found: list[tuple[type[BaseModel], FieldInfo]], variants: int
) -> tuple[str, str, bool, str]:
    """One line of FIELDS; a field of some variants of a union says which (``scheme`` is nlb and alb)."""
    annotations = [strip_annotated(child.annotation) for _, child in found]
    if all(get_origin(a) is Literal for a in annotations):
        kind = "one of " + ", ".join(dict.fromkeys(str(arg) for a in annotations for arg in get_args(a)))
    else:
        kind = describe_type(found[0][1].annotation)
    doc = (found[0][1].description or "").strip().splitlines()
    text = doc[0] if doc else ""
    if variants > 1 and len(found) < variants:
        text = f"({', '.join(_tag(model) for model, _ in found)}) {text}"
    return key, kind, any(child.is_required() for _, child in found), text


def _field(model: type[BaseModel], key: str) -> FieldInfo | None:
    return next((info for name, info in model.model_fields.items() if key in (name, info.alias)), None)


def _tag(model: type[BaseModel]) -> str:
    tag = model.model_fields.get("type")
    values = get_args(strip_annotated(tag.annotation)) if tag is not None else ()
    return str(values[0]) if values else model.__name__


def _default(info: FieldInfo | None) -> str | None:
    if info is None or info.is_required():
        return None
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
    elif info.default is PydanticUndefined:
        return None
    else:
        value = info.default
    if isinstance(value, BaseModel):
        return None  # a section: its fields list their own defaults
    if value is None:
        return "unset"
    return json.dumps(value.model_dump(mode="json") if isinstance(value, BaseModel) else _jsonable(value))


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _models_through(annotation: Any) -> list[type[BaseModel]]:
    return models_in(annotation, through_containers=True)


def describe_type(annotation: Any) -> str:
    """A field's type in YAML words: ``list of string``, ``one of sync, upsert-only``, ``object``."""
    annotation = strip_annotated(annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, UnionType):
        options = [arg for arg in args if arg is not NoneType]
        kinds = [describe_type(arg) for arg in options]
        return "object" if all(kind == "object" for kind in kinds) else " or ".join(dict.fromkeys(kinds))
    if origin is Literal:
        return "one of " + ", ".join(str(arg) for arg in args)
    if origin in (tuple, list):
        return f"list of {describe_type(args[0])}"
    if origin is dict:
        return f"map of {describe_type(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "object"
    return {str: "string", int: "integer", bool: "boolean", float: "number"}.get(annotation, str(annotation))
