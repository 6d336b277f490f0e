"""Reading an exposure's typed field by its profile path (``expose.healthCheck.intervalSeconds``).

The annotation catalogue names profile fields by their YAML path; synth reads their values to write
annotations, and the profile checks ask whether the user set them.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel

EXPOSE = "expose."


def _attribute(model: BaseModel, key: str) -> str | None:
    """The Python name of the field whose YAML key is ``key``."""
    return _names(type(model)).get(key)


@functools.cache
def _names(model: type[BaseModel]) -> dict[str, str]:
    return {info.alias or name: name for name, info in model.model_fields.items()}


def typed_value(expose: BaseModel, field: str) -> Any:
    """The value at ``field`` (``expose.…``) of ``expose``; None where the path does not exist or is unset."""
    node: Any = expose
    for key in field.removeprefix(EXPOSE).split("."):
        name = _attribute(node, key) if isinstance(node, BaseModel) else None
        if name is None:
            return None
        node = getattr(node, name)
    return node


def explicitly_set(expose: BaseModel, field: str) -> bool:
    """Whether the profile itself writes ``field`` (a default does not count)."""
    node: Any = expose
    for key in field.removeprefix(EXPOSE).split("."):
        name = _attribute(node, key) if isinstance(node, BaseModel) else None
        if name is None or name not in node.model_fields_set:
            return False
        node = getattr(node, name)
    return True


def is_empty(value: Any) -> bool:
    return value is None or value == () or value == {} or value == []
