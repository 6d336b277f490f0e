"""One hierarchy for every expected failure; the CLI turns these into one line and exit code 2."""

from __future__ import annotations

from dataclasses import dataclass


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

    def __reduce__(self) -> tuple[type[EksnetError], tuple[str, Location]]:
        # Keep the location when the error crosses a process boundary (gen all --jobs).
        return (type(self), (self.message, self.location))


class SpecError(EksnetError):
    """The profile or command-line input is invalid."""


class BuildError(EksnetError):
    """The profile is valid on its own but cannot be turned into objects (e.g. a version lacks a feature)."""


class CheckError(EksnetError):
    """Manifests or schemas could not be read for validation."""


class RenderError(EksnetError):
    """Output could not be written."""
