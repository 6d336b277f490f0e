"""The one base model: strict, frozen, camelCase on the wire, snake_case in Python."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class StrictModel(BaseModel):
    """Unknown keys are errors; profile keys follow upstream spelling (``txtOwnerId``)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        alias_generator=to_camel,
        use_attribute_docstrings=True,
    )


def dump(model: BaseModel) -> dict[str, Any]:
    """The wire form of a model: camelCase keys, unset optionals left out, JSON types only."""
    return model.model_dump(by_alias=True, exclude_none=True, mode="json")
