"""`eksnet schemas export`: CRD schemas as files kubeconform can read offline."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from eksnet_manifests.cli._boundary import CommandGroup, echo, echo_err

schemas_app = typer.Typer(cls=CommandGroup, no_args_is_help=True, help="JSON Schemas for other validators.")


@schemas_app.command("export")
def export_command(
    crds: Annotated[list[str], typer.Option("--crds", help="CRD file, folder or https URL; repeatable.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write {group}/{kind}_{version}.json into.")],
) -> None:
    """Write kubeconform-compatible schemas (CRDs-catalog layout) for every served CRD version."""
    from eksnet_manifests.check.schema.kubeconform import SCHEMA_LOCATION, export_crd_schemas

    written = export_crd_schemas(crds, out)
    for path in written:
        echo(str(path))
    location = shlex.quote(f"{out}/{SCHEMA_LOCATION}")
    echo_err(f"kubeconform -schema-location default -schema-location {location} ...")
