"""kubeconform interoperability: CRD schemas in its layout, and running it on our schemas.

Files follow the CRDs-catalog convention, ``{group}/{kind}_{version}.json`` with the kind in lower case,
so ``kubeconform -schema-location 'DIR/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'``
finds them offline. The schemas are the same conversion ``eksnet validate`` uses (closed objects,
nullable, int-or-string, formats), minus what JSON Schema cannot say (defaults before CEL, list-map
keys, CEL rules).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eksnet_manifests.check.documents import Document, load_documents, reference_problem
from eksnet_manifests.check.findings import Finding, Severity, sort_findings
from eksnet_manifests.check.schema.builtin import BuiltinSchemas
from eksnet_manifests.check.schema.crds import crd_versions, load_crd_documents
from eksnet_manifests.check.schema.openapi import crd_schema_to_json_schema
from eksnet_manifests.errors import CheckError, Location

SCHEMA_LOCATION = "{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json"


def schema_file(out_dir: Path, group: str, kind: str, version: str, source: str = "") -> Path:
    """``out_dir/{group}/{kind}_{version}.json``; a name that could leave ``out_dir`` is a CheckError."""
    problem = reference_problem(group, kind, version)
    if problem is not None:
        raise CheckError(f"{problem}; no schema file is named after it", Location(source or None))
    return out_dir / group / f"{kind.lower()}_{version}.json"


def _write(path: Path, schema: Mapping[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def export_crd_schemas(crd_sources: Sequence[str], out_dir: Path) -> list[Path]:
    """Write one schema per served version of every CRD in ``crd_sources``; the files written, sorted."""
    written = set()
    for doc in load_crd_documents(crd_sources):
        for version in crd_versions(doc.obj):
            if version.served and version.schema is not None:
                schema = crd_schema_to_json_schema(version.schema, list_sets=True)
                where = f"{doc.origin.file}:{doc.origin.line}"
                path = schema_file(out_dir, version.group, version.kind, version.version, where)
                written.add(_write(path, schema))
    return sorted(written)


def export_builtin_schemas(docs: Sequence[Document], kube_version: str, out_dir: Path) -> list[Path]:
    """Built-in kinds used by ``docs`` in the same layout, so kubeconform needs no download either."""
    builtins = BuiltinSchemas.for_version(kube_version)
    written = set()
    for doc in docs:
        if reference_problem(doc.group, doc.kind, doc.version) is not None:
            continue
        schema = builtins.schema_for(doc.api_version, doc.kind)
        if schema is not None:
            written.add(_write(schema_file(out_dir, doc.group, doc.kind, doc.version), schema))
    return sorted(written)


def run_kubeconform(
    paths: Sequence[str],
    kube_version: str,
    crd_sources: Sequence[str] = (),
    *,
    ignore_missing_schemas: bool = False,
) -> list[Finding]:
    """Validate ``paths`` with the ``kubeconform`` binary against schemas exported to a temporary folder."""
    binary = shutil.which("kubeconform")
    if binary is None:
        raise CheckError("--engine kubeconform needs the kubeconform binary on PATH; it was not found")
    if "-" in paths:
        raise CheckError("--engine kubeconform reads files, not standard input")
    docs = load_documents(paths)
    unsafe = [
        (doc, problem)
        for doc in docs
        if (problem := reference_problem(doc.group, doc.kind, doc.version)) is not None
    ]
    if unsafe:
        # kubeconform would read the schema from a path built from these: refuse before running it
        doc, problem = unsafe[0]
        raise CheckError(
            f"{problem}: kubeconform would look for its schema outside the schema folder",
            Location(doc.origin.file, doc.origin.line, "kind"),
        )
    with tempfile.TemporaryDirectory(prefix="eksnet-schemas-") as folder:
        out_dir = Path(folder)
        export_crd_schemas(crd_sources, out_dir)
        export_builtin_schemas(docs, kube_version, out_dir)
        command = [binary, "-output", "json", "-strict", "-summary=false"]
        command += ["-schema-location", f"{out_dir}/{SCHEMA_LOCATION}"]
        if ignore_missing_schemas:
            command.append("-ignore-missing-schemas")
        completed = subprocess.run([*command, *paths], capture_output=True, text=True, check=False)
    if completed.returncode not in (0, 1):
        raise CheckError(f"kubeconform failed: {completed.stderr.strip() or completed.stdout.strip()}")
    return findings_from_kubeconform(completed.stdout)


def findings_from_kubeconform(output: str) -> list[Finding]:
    """Findings from ``kubeconform -output json``."""
    try:
        report = json.loads(output or "{}")
    except json.JSONDecodeError as exc:
        raise CheckError(f"cannot read kubeconform output: {exc}") from None
    findings = []
    for resource in report.get("resources") or []:
        status = resource.get("status")
        if status not in ("statusInvalid", "statusError"):
            continue
        where = {
            "file": resource.get("filename") or "<input>",
            "kind": resource.get("kind") or None,
            "name": resource.get("name") or None,
        }
        errors = resource.get("validationErrors") or [{"path": "", "msg": resource.get("msg", "")}]
        rule = "schema-missing" if "could not find schema" in str(resource.get("msg")) else "kubeconform"
        for error in errors:
            path = ".".join(p for p in str(error.get("path", "")).split("/") if p)
            findings.append(Finding(rule, Severity.ERROR, str(error.get("msg", "")), path=path, **where))
    return sort_findings(findings)
