"""Findings: what any check reports, with enough position to act on, sorted and printable."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eksnet_manifests.check.documents import Document


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem in one object. ``path`` is a JSON path inside the object (``spec.listeners[0]``)."""

    rule: str
    severity: Severity
    message: str
    file: str = "<input>"
    index: int | None = None  # document index within the file, 0-based
    line: int | None = None
    kind: str | None = None
    namespace: str | None = None
    name: str | None = None
    path: str = ""

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line or 0, -1 if self.index is None else self.index, self.rule, self.path)

    def object_ref(self) -> str:
        if not self.kind:
            return ""
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind}/{ns}{self.name or '?'}"

    def to_text(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.index is not None:
            where += f" [doc {self.index}]"
        target = " ".join(p for p in (self.object_ref(), self.path) if p)
        target = f" {target}:" if target else ""
        return f"{where}: {self.severity.value} {self.rule}:{target} {self.message}"


def finding_about(doc: Document, rule: str, severity: Severity, message: str, path: str = "") -> Finding:
    """A finding that carries the document's position and identity."""
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        file=doc.origin.file,
        index=doc.origin.index,
        line=doc.line_of(path),
        kind=doc.kind or None,
        namespace=doc.namespace,
        name=doc.name,
        path=path,
    )


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key)


def has_failures(findings: Iterable[Finding], *, strict: bool = False) -> bool:
    """Errors always fail; warnings fail only under ``strict``."""
    return any(f.severity is Severity.ERROR or strict for f in findings)


def findings_to_json(findings: Iterable[Finding]) -> str:
    return json.dumps([asdict(f) for f in sort_findings(findings)], indent=2, sort_keys=True)
