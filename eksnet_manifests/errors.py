"""One hierarchy for every expected failure; the CLI turns these into one line and exit code 2."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MESSAGE_LIMIT = 2000
VALUE_LIMIT = 80
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: anything that could move
# the cursor, recolour a terminal, set its title or start a forged line in a CI log.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def safe_text(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` fit for one line of a terminal or log: control characters escaped, length capped."""
    escaped = _CONTROL.sub(_escape, text)
    if len(escaped) > limit:
        escaped = f"{escaped[:limit]}… ({len(escaped) - limit} more characters)"
    return escaped


_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def shown(value: object, limit: int = VALUE_LIMIT) -> str:
    """A value from the input as a message quotes it: ``repr`` (escapes visible), cut to ``limit``."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


@dataclass(frozen=True)
class Location:
    """Where a problem sits in user input: file, 1-based line and a dotted field path."""

    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        if self.field:
            parts.append(self.field)
        return ": ".join(parts)


class EksnetError(Exception):
    """An expected, user-facing failure. Rendered as `file:line: field: message`."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}: {self.message}" if where else self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the location when the error crosses a process boundary (gen all --jobs).
        return (type(self), (self.message, self.location))

    def problems(self) -> tuple[EksnetError, ...]:
        """Each problem this error stands for, one line each."""
        return (self,)


class SpecError(EksnetError):
    """The profile or command-line input is invalid."""


class SpecErrors(SpecError):
    """Several problems in the input, reported together (every one, in file and line order)."""

    def __init__(self, errors: Sequence[EksnetError]) -> None:
        ordered = sorted(errors, key=lambda e: (e.location.file or "", e.location.line or 0))
        super().__init__(ordered[0].message, ordered[0].location)
        self.errors = tuple(ordered)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))

    def problems(self) -> tuple[EksnetError, ...]:
        return self.errors


def raise_all(errors: Sequence[EksnetError]) -> None:
    """Raise nothing for no errors, the error itself for one, and every one of them for more."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise SpecErrors(errors)


class BuildError(EksnetError):
    """The profile is valid on its own but cannot be turned into objects (e.g. a version lacks a feature)."""


class CheckError(EksnetError):
    """Manifests or schemas could not be read for validation."""


class RenderError(EksnetError):
    """Output could not be written."""
