"""`eksnet migrate`: thin wrapper around eksnet_manifests.migrate (report, output files, cut-over plan)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from eksnet_manifests.cli._boundary import echo, echo_err

if TYPE_CHECKING:
    from eksnet_manifests.check.findings import Finding
    from eksnet_manifests.migrate.migration import Migration
    from eksnet_manifests.profile.profile import Profile

PROFILE_HELP = (
    "Profile whose pinned releases and ExternalDNS settings the output is written and checked for "
    "(default: eksnet.yaml in this folder or the nearest one above, else the bundled lab profile)."
)


class To(StrEnum):
    PROFILE = "profile"
    GATEWAY = "gateway"


class Output(StrEnum):
    TEXT = "text"
    JSON = "json"


def migrate_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...",
            help="YAML files or folders with Ingresses, Services, IngressClasses, IngressClassParams and "
            "Deployments; - reads stdin.",
        ),
    ],
    to: Annotated[
        To,
        typer.Option(
            "--to", help="profile: an eksnet profile fragment; gateway: Gateway API and LBC objects."
        ),
    ] = To.PROFILE,
    out: Annotated[
        Path, typer.Option("--out", metavar="DIR", help="Folder the output files are written to.")
    ] = Path("migrated"),
    report_file: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="Write the report (and cut-over plan) to this file instead of stdout.",
        ),
    ] = None,
    output: Annotated[
        Output, typer.Option("--output", "-o", help="Report as text lines or JSON.")
    ] = Output.TEXT,
    profile: Annotated[Path | None, typer.Option("--profile", "-p", help=PROFILE_HELP)] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run/--no-dry-run",
            help="Mark the Gateways gateway.k8s.aws/dry-run, so LBC only plans them (--to gateway).",
        ),
    ] = True,
    as_apps: Annotated[
        bool,
        typer.Option(
            "--as-apps", help="With --to gateway: also write the Gateways and routes as gateway apps."
        ),
    ] = False,
) -> None:
    """Migrate Ingresses and NLB Services to an eksnet profile or to Gateway API, with a report of every
    field read and a DNS cut-over plan; exit 1 on errors, with nothing written."""
    from eksnet_manifests.check.documents import load_documents
    from eksnet_manifests.cli._profile import load_cli_profile
    from eksnet_manifests.migrate.migration import MigrateOptions, migrate
    from eksnet_manifests.migrate.report import Target

    documents = load_documents(paths, sys.stdin)
    loaded = load_cli_profile(profile)
    base = loaded.profile
    target = Target(to.value)
    if as_apps and target is not Target.GATEWAY:
        raise typer.BadParameter("--as-apps goes with --to gateway", param_hint="--as-apps")
    migration = migrate(documents, MigrateOptions(target, base, dry_run=dry_run, as_apps=as_apps))
    if not migration.inputs.alb_ingresses() and not migration.inputs.load_balancer_services():
        from eksnet_manifests.errors import CheckError, Location

        found = ", ".join(sorted({doc.kind for doc in documents})) or "no objects"
        raise CheckError(
            f"nothing to migrate: no Ingress LBC reconciles and no NLB Service (found {found})",
            Location(", ".join(paths)),
        )
    findings, notes = _checked(migration, base, documents, loaded.crd_sources())
    for note in notes:
        echo_err(f"note: {note}")
    failed = migration.failed or any(finding.severity.value == "error" for finding in findings)
    _report(migration, findings, output, report_file)
    if failed:
        echo_err("not written: the report has errors")
        raise typer.Exit(1)
    for path in _write(migration, out):
        echo_err(f"wrote {path}")
    raise typer.Exit(0)


def _checked(
    migration: Migration, base: Profile, documents: list[Any], crd_sources: tuple[str, ...]
) -> tuple[list[Finding], list[str]]:
    """What eksnet's checks say of the output: ``eksnet validate`` on the Gateway API objects; ``eksnet
    gen``'s checks on the profile with the migrated apps."""
    from eksnet_manifests.migrate.report import Target

    if migration.failed:
        return [], []
    if migration.target is Target.GATEWAY:
        from eksnet_manifests.migrate.validation import validate_gateway_output

        validation = validate_gateway_output(migration, base, documents, crd_sources)
        return validation.findings, validation.notes
    from eksnet_manifests.check.findings import Finding, Severity
    from eksnet_manifests.cli._node import require_node
    from eksnet_manifests.generate import check_bundle
    from eksnet_manifests.migrate.to_profile import PROFILE_FILE, with_fragment
    from eksnet_manifests.synth.bundle import build_bundle

    require_node()
    merged = with_fragment(base, migration.profile)
    problems = [
        Finding("profile", Severity.ERROR, problem.message, PROFILE_FILE, path=_dotted(problem.path))
        for problem in merged.problems()
    ]
    if problems:
        return problems, []
    bundle = build_bundle(merged)
    return check_bundle(
        bundle, merged.cluster.kubernetes_version, crd_sources, cel=merged.validation.cel, pins=merged.pins()
    )


def _dotted(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")


def _report(migration: Migration, findings: list[Finding], output: Output, report_file: Path | None) -> None:
    from eksnet_manifests.check.findings import findings_to_json
    from eksnet_manifests.migrate.report import report_json, report_lines, summary

    report, target = migration.report, migration.target
    if output is Output.JSON:
        payload = {
            "target": target.value,
            "report": report_json(report, target),
            "summary": summary(report, target),
            "findings": json.loads(findings_to_json(findings)),
            "cutover": migration.plan.to_json() if migration.plan else None,
        }
        text = json.dumps(payload, indent=2, sort_keys=True) + "\n"
    else:
        lines = [*report_lines(report, target), *(finding.to_text() for finding in findings)]
        text = "\n".join(lines) + ("\n" if lines else "")
        if migration.plan is not None and not migration.failed:
            text += "\n" + migration.plan.text()
    if report_file is not None:
        from eksnet_manifests.files import atomic_write

        atomic_write(report_file, text.encode())
        echo_err(f"wrote {report_file}")
    elif output is Output.JSON:
        typer.echo(text, nl=False)
    else:
        for line in text.splitlines():
            echo(line)
    echo_err(summary(report, target))


def _write(migration: Migration, out: Path) -> list[Path]:
    from eksnet_manifests.files import atomic_write
    from eksnet_manifests.migrate.to_profile import PROFILE_FILE, render_fragment

    written = []
    out.mkdir(parents=True, exist_ok=True)
    for name, objects in migration.files.items():
        path = out / name
        atomic_write(path, render_objects(objects).encode())
        written.append(path)
    if migration.profile:
        path = out / PROFILE_FILE
        atomic_write(path, render_fragment(migration.profile).encode())
        written.append(path)
    if migration.plan is not None:
        path = out / "cutover-plan.txt"
        atomic_write(path, migration.plan.text().encode())
        written.append(path)
    return written


MIGRATED_HEADER = (
    "# Written by eksnet migrate from existing Ingresses and Services: apply it in the order of the\n"
    "# cut-over plan; the report says what each field came from.\n"
)


def render_objects(objects: list[dict[str, Any]]) -> str:
    """Objects as canonical YAML (sorted, fixed key order), with migrate's own header."""
    from eksnet_manifests.render.yaml_out import HEADER, render_manifests

    return MIGRATED_HEADER + render_manifests(objects).removeprefix(HEADER)
