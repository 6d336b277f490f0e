"""Findings: what any check reports, with enough position to act on, sorted and printable."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from eksnet_manifests.errors import safe_text

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
        return safe_text(f"{where}: {self.severity.value} {self.rule}:{target} {self.message}")


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


def count_summary(findings: Iterable[Finding]) -> str:
    """``2 errors, 1 warning``."""
    findings = list(findings)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


def findings_to_junit(findings: Iterable[Finding], files: Sequence[str], *, strict: bool = False) -> str:
    """JUnit XML for CI test reports: one test case per file read, failing on its errors.

    Warnings fail the case only under ``strict`` (as they fail the run); otherwise they are its output.
    """
    from xml.etree import ElementTree as ET

    by_file: dict[str, list[Finding]] = {file: [] for file in files}
    for finding in sort_findings(findings):
        by_file.setdefault(finding.file, []).append(finding)
    failed = [file for file, found in by_file.items() if any(_fails(f, strict) for f in found)]
    suites = ET.Element(
        "testsuites", name="eksnet validate", tests=str(len(by_file)), failures=str(len(failed))
    )
    suite = ET.SubElement(
        suites, "testsuite", name="eksnet validate", tests=str(len(by_file)), failures=str(len(failed))
    )
    for file, found in by_file.items():
        case = ET.SubElement(suite, "testcase", classname="eksnet.validate", name=safe_text(file))
        failing = [f for f in found if _fails(f, strict)]
        if failing:
            failure = ET.SubElement(
                case, "failure", type=failing[0].rule, message=safe_text(failing[0].message, 500)
            )
            failure.text = "\n".join(f.to_text() for f in failing)
        passing = [f.to_text() for f in found if not _fails(f, strict)]
        if passing:
            ET.SubElement(case, "system-out").text = "\n".join(passing)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _fails(finding: Finding, strict: bool) -> bool:
    return finding.severity is Severity.ERROR or strict


def findings_to_sarif(findings: Iterable[Finding], version: str) -> str:
    """SARIF 2.1.0, the format code-scanning tools read (GitHub, GitLab, Azure DevOps)."""
    findings = sort_findings(findings)
    rules = sorted({f.rule for f in findings})
    results = []
    for finding in findings:
        physical: dict[str, Any] = {"artifactLocation": {"uri": finding.file}}
        if finding.line is not None:
            physical["region"] = {"startLine": finding.line}
        location: dict[str, Any] = {"physicalLocation": physical}
        logical = " ".join(p for p in (finding.object_ref(), finding.path) if p)
        if logical:
            location["logicalLocations"] = [{"fullyQualifiedName": logical}]
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": rules.index(finding.rule),
                "level": "error" if finding.severity is Severity.ERROR else "warning",
                "message": {"text": safe_text(finding.message)},
                "locations": [location],
            }
        )
    driver = {"name": "eksnet", "version": version, "rules": [{"id": rule} for rule in rules]}
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(sarif, indent=2, sort_keys=True)
