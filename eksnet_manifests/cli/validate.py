"""`eksnet validate`: thin wrapper around eksnet_manifests.check.validate (or kubeconform)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from eksnet_manifests.cli._boundary import echo, echo_err
from eksnet_manifests.cli._jobs import jobs_option
from eksnet_manifests.cli._profile import discovered_profile
from eksnet_manifests.errors import CheckError, Location

if TYPE_CHECKING:
    from eksnet_manifests.check.findings import Finding
    from eksnet_manifests.check.schema.crd_cache import CrdSet
    from eksnet_manifests.versions.pins import Pins

DEFAULT_KUBE_VERSION = "1.34"


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    SARIF = "sarif"


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
            "--profile",
            "-p",
            help="Profile whose validation.crdSources and Kubernetes version apply "
            "(default: eksnet.yaml in this folder or the nearest one above, if any).",
        ),
    ] = None,
    output: Annotated[
        OutputFormat,
        typer.Option("--output", "-o", help="Findings as text lines, JSON, JUnit XML or SARIF 2.1.0."),
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
    allow_empty: Annotated[
        bool, typer.Option("--allow-empty", help="Exit 0 when the paths hold no object at all.")
    ] = False,
    engine: Annotated[
        Engine,
        typer.Option("--engine", help="builtin, or kubeconform (its binary on PATH) with our schemas."),
    ] = Engine.BUILTIN,
    jobs: Annotated[int | None, jobs_option("Processes that parse and validate large inputs")] = None,
) -> None:
    """Validate manifests like the API server: schemas, defaults, CEL rules, then cross-object lints."""
    from eksnet_manifests.check.findings import count_summary, has_failures

    crd_sources = tuple(crds or ())
    pins = None
    # A tree eksnet wrote says which releases it was generated for; --profile still decides.
    tree = generated_tree(paths) if profile is None else None
    loaded = discovered_profile(profile) if tree is None else None
    if loaded is not None:
        crd_sources = (*loaded.crd_sources(), *crd_sources)
        pins = loaded.profile.pins()
        kube_version = kube_version or loaded.profile.cluster.kubernetes_version
    vendored = None
    if tree is not None:
        pins, tree_kube_version, vendored = tree
        kube_version = kube_version or tree_kube_version
    kube_version = kube_version or DEFAULT_KUBE_VERSION
    if engine is Engine.KUBECONFORM:
        from eksnet_manifests.check.schema.kubeconform import run_kubeconform

        findings = run_kubeconform(
            paths, kube_version, crd_sources, ignore_missing_schemas=ignore_missing_schemas
        )
        files: tuple[str, ...] = tuple(paths)
        checked = f"checked {len(paths)} path(s) with kubeconform"
    else:
        from eksnet_manifests.check.parallel import usable_cores
        from eksnet_manifests.check.validate import ValidateOptions, validate_paths

        opts = ValidateOptions(cel=not no_cel, ignore_missing_schemas=ignore_missing_schemas)
        result = validate_paths(
            paths,
            opts,
            kube_version,
            crd_sources,
            stdin=sys.stdin,
            strict=strict,
            pins=pins,
            vendored=vendored,
            workers=jobs or usable_cores(),
        )
        for note in result.notes:
            echo_err(f"note: {note}")
        if result.checked.objects == 0 and not allow_empty and not result.findings:
            raise CheckError(
                f"nothing to validate: {result.checked.summary()} (pass --allow-empty to accept that)",
                Location(", ".join(str(path) for path in paths)),
            )
        findings, files, checked = result.findings, result.checked.files, result.checked.summary()
    _print_findings(findings, files, output, strict=strict)
    echo_err(f"{checked}: {count_summary(findings)}")
    raise typer.Exit(1 if has_failures(findings, strict=strict) else 0)


def generated_tree(paths: Sequence[str]) -> tuple[Pins, str | None, dict[CrdSet, list[Any]]] | None:
    """For one folder eksnet wrote (its ``.eksnet-manifest.json``): the releases it was generated for,
    its Kubernetes version and the CRDs it vendors. None for anything else."""
    from eksnet_manifests.check.schema.crd_cache import CrdSet
    from eksnet_manifests.render.ownership import tree_record, vendored_crds_in
    from eksnet_manifests.versions.pins import Pins

    if len(paths) != 1 or paths[0] == "-" or not Path(paths[0]).is_dir():
        return None
    folder = Path(paths[0])
    record = tree_record(folder)
    if record is None or not record.releases:
        return None
    releases = record.releases
    gateway_api = releases.get("gatewayApi") or {}
    gitops = releases.get("gitops") or {}
    engine_version = {gitops.get("engine"): gitops.get("version")}
    pins = Pins(
        gateway_api.get("version"),
        gateway_api.get("channel") or "standard",
        (releases.get("loadBalancerController") or {}).get("version"),
        argo_cd=engine_version.get("argocd"),
        flux=engine_version.get("flux"),
    )
    vendored = {CrdSet(*key): crds for key, crds in vendored_crds_in(folder).items()}
    return pins, releases.get("kubernetes"), vendored


def _print_findings(
    findings: list[Finding], files: Sequence[str], output: OutputFormat, *, strict: bool
) -> None:
    from eksnet_manifests import __version__
    from eksnet_manifests.check.findings import findings_to_json, findings_to_junit, findings_to_sarif

    if output is OutputFormat.JSON:
        typer.echo(findings_to_json(findings))
    elif output is OutputFormat.JUNIT:
        typer.echo(findings_to_junit(findings, files, strict=strict), nl=False)
    elif output is OutputFormat.SARIF:
        typer.echo(findings_to_sarif(findings, __version__))
    else:
        for finding in findings:
            echo(finding.to_text())
