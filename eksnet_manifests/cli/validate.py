"""`eksnet validate`: thin wrapper around eksnet_manifests.check.validate (or kubeconform)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

DEFAULT_KUBE_VERSION = "1.34"


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class Engine(StrEnum):
    BUILTIN = "builtin"
    KUBECONFORM = "kubeconform"


def validate_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...", help="YAML files or folders (*.yaml, *.yml, recursively); - reads stdin."
        ),
    ],
    crds: Annotated[
        list[str] | None,
        typer.Option(
            "--crds", help="CRD file, folder or https URL (cached after the first download); repeatable."
        ),
    ] = None,
    kube_version: Annotated[
        str | None,
        typer.Option(
            "--kube-version",
            help="Kubernetes version of built-in schemas (default: the profile's, else 1.34).",
        ),
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile", "-p", help="Profile whose validation.crdSources and Kubernetes version apply."
        ),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--output", "-o", help="Findings as text lines or JSON.")
    ] = (OutputFormat.TEXT),
    no_cel: Annotated[
        bool, typer.Option("--no-cel", help="Skip the CRDs' x-kubernetes-validations rules.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings fail too; the input is every object that will exist.")
    ] = False,
    ignore_missing_schemas: Annotated[
        bool, typer.Option("--ignore-missing-schemas", help="Skip objects whose kind has no schema.")
    ] = False,
    engine: Annotated[
        Engine,
        typer.Option("--engine", help="builtin, or kubeconform (its binary on PATH) with our schemas."),
    ] = Engine.BUILTIN,
) -> None:
    """Validate manifests like the API server: schemas, defaults, CEL rules, then cross-object lints."""
    from eksnet_manifests.check.findings import Severity, findings_to_json, has_failures

    crd_sources = tuple(crds or ())
    pins = None
    if profile is not None:
        from eksnet_manifests.profile.load import load_profile

        loaded = load_profile(profile)
        crd_sources = (*loaded.crd_sources(), *crd_sources)
        pins = loaded.profile.pins()
        kube_version = kube_version or loaded.profile.cluster.kubernetes_version
    kube_version = kube_version or DEFAULT_KUBE_VERSION
    notes: list[str] = []
    if engine is Engine.KUBECONFORM:
        from eksnet_manifests.check.schema.kubeconform import run_kubeconform

        findings = run_kubeconform(
            paths, kube_version, crd_sources, ignore_missing_schemas=ignore_missing_schemas
        )
    else:
        from eksnet_manifests.check.validate import ValidateOptions, validate_paths

        opts = ValidateOptions(cel=not no_cel, ignore_missing_schemas=ignore_missing_schemas)
        findings = validate_paths(
            paths, opts, kube_version, crd_sources, stdin=sys.stdin, strict=strict, notes=notes, pins=pins
        )
    for note in notes:
        typer.echo(f"note: {note}", err=True)
    if output is OutputFormat.JSON:
        typer.echo(findings_to_json(findings))
    else:
        for finding in findings:
            typer.echo(finding.to_text())
        errors = sum(f.severity is Severity.ERROR for f in findings)
        typer.echo(f"{errors} error(s), {len(findings) - errors} warning(s)", err=True)
    raise typer.Exit(1 if has_failures(findings, strict=strict) else 0)
