"""The migration report: one entry for every annotation and spec field read, per output target.

Each entry says what became of one input field for both targets: translated (to which field),
approximated (to which field, and how it differs), not translatable (why), unknown (an
``alb.ingress.kubernetes.io/*`` key LBC does not read, with the nearest documented key) or an error
(the input cannot be migrated as it stands, e.g. an IngressGroup whose members disagree). Entries are
collected by the translators and rendered together, sorted by file, line and field.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from eksnet_manifests.errors import safe_text
from eksnet_manifests.versions import lbc_annotations as catalogue


class Status(StrEnum):
    TRANSLATED = "translated"
    APPROXIMATED = "approximated"
    NOT_TRANSLATABLE = "not-translatable"
    UNKNOWN = "unknown"
    ERROR = "error"


class Target(StrEnum):
    PROFILE = "profile"
    GATEWAY = "gateway"


@dataclass(frozen=True)
class Outcome:
    """What one input field became in one target."""

    status: Status
    to: str = ""
    """The output field (translated, approximated); relative to the app (``expose.scheme``) in a profile."""
    detail: str = ""
    """How the output differs (approximated), or why nothing is written (not translatable, error)."""


def translated(to: str, detail: str = "") -> Outcome:
    return Outcome(Status.TRANSLATED, to, detail)


def approximated(to: str, detail: str) -> Outcome:
    return Outcome(Status.APPROXIMATED, to, detail)


def dropped(reason: str) -> Outcome:
    return Outcome(Status.NOT_TRANSLATABLE, "", reason)


def failed(reason: str) -> Outcome:
    return Outcome(Status.ERROR, "", reason)


def unknown(key: str) -> Outcome:
    """An LBC-prefixed key the catalogue does not list, with the nearest documented key."""
    near = catalogue.nearest(key)
    hint = f"; did you mean {near}?" if near else ""
    return Outcome(Status.UNKNOWN, "", f"LBC reads no such key and ignores it{hint}")


@dataclass(frozen=True)
class Source:
    """The object a field was read from, and where it is written."""

    kind: str
    namespace: str
    name: str
    file: str = "<input>"
    line: int | None = None

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.namespace}/{self.name}" if self.namespace else f"{self.kind}/{self.name}"


def annotation_field(key: str) -> str:
    return f'metadata.annotations["{key}"]'


@dataclass(frozen=True)
class Entry:
    source: Source
    field: str
    """The input field, ``metadata.annotations["…"]`` or a spec path like ``spec.rules[0].http.paths[1]``."""
    profile: Outcome
    gateway: Outcome
    line: int | None = None

    def outcome(self, target: Target) -> Outcome:
        return self.profile if target is Target.PROFILE else self.gateway


@dataclass
class Report:
    """Entries collected while translating; ``owners`` names the app (profile) or object (gateway) each
    source became, for rendering relative ``to`` fields."""

    entries: list[Entry] = field(default_factory=list)
    owners: dict[tuple[str, Target], str] = field(default_factory=dict)

    def add(
        self,
        source: Source,
        path: str,
        profile: Outcome,
        gateway: Outcome | None = None,
        line: int | None = None,
    ) -> None:
        self.entries.append(Entry(source, path, profile, gateway or profile, line or source.line))

    def both(self, source: Source, path: str, outcome: Outcome, line: int | None = None) -> None:
        """An entry whose outcome is the same for both targets."""
        self.add(source, path, outcome, outcome, line)

    def errors(self, target: Target) -> list[Entry]:
        return [entry for entry in self.sorted() if entry.outcome(target).status is Status.ERROR]

    def sorted(self) -> list[Entry]:
        return sorted(
            self.entries,
            key=lambda e: (e.source.file, e.line or 0, e.source.ref, e.field, e.profile.status),
        )

    def where(self, entry: Entry, target: Target) -> str:
        """The output field of ``entry`` in ``target``, with the app it belongs to in a profile."""
        outcome = entry.outcome(target)
        owner = self.owners.get((entry.source.ref, target))
        if target is Target.PROFILE and owner and outcome.to.startswith("expose"):
            return f"apps[{owner}].{outcome.to}"
        return outcome.to


def _counts(entries: Iterable[Entry], target: Target) -> Counter[str]:
    return Counter(entry.outcome(target).status.value for entry in entries)


def summary(report: Report, target: Target) -> str:
    counts = _counts(report.entries, target)
    sources = Counter(entry.source.kind for entry in {e.source: e for e in report.entries}.values())
    read = ", ".join(f"{kind} {count}" for kind, count in sorted(sources.items()))
    statuses = ", ".join(f"{counts.get(status.value, 0)} {status.value}" for status in Status)
    return f"read {len(report.entries)} fields of {sum(sources.values())} objects ({read}): {statuses}"


def report_lines(report: Report, target: Target) -> list[str]:
    """One line per entry: ``file:line: Kind/ns/name field: status [-> to][: detail]``."""
    lines = []
    for entry in report.sorted():
        outcome = entry.outcome(target)
        where = f"{entry.source.file}:{entry.line}" if entry.line else entry.source.file
        text = f"{where}: {entry.source.ref} {entry.field}: {outcome.status.value}"
        to = report.where(entry, target)
        if to:
            text += f" -> {to}"
        if outcome.detail:
            text += f": {outcome.detail}"
        lines.append(safe_text(text, limit=4000))
    return lines


def report_json(report: Report, target: Target) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for entry in report.sorted():
        outcome = entry.outcome(target)
        rows.append(
            {
                "file": entry.source.file,
                "line": entry.line,
                "kind": entry.source.kind,
                "namespace": entry.source.namespace,
                "name": entry.source.name,
                "field": entry.field,
                "status": outcome.status.value,
                "to": report.where(entry, target) or None,
                "detail": outcome.detail or None,
            }
        )
    return rows
