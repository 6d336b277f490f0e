"""`eksnet plan`: will the profile's pods fit its node groups, and what would make them fit."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from eksnet_manifests.cli._profile import PROFILE_HELP, load_cli_profile


class PlanOutput(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def plan_command(
    profile: Annotated[
        Path | None,
        typer.Option("--profile", "-p", help=PROFILE_HELP),
    ] = None,
    output: Annotated[
        PlanOutput, typer.Option("--output", "-o", help="text, json or markdown.")
    ] = PlanOutput.text,
    instance_data: Annotated[
        Path | None,
        typer.Option("--instance-data", help="instance-info.jsonl from the EKS AMI, for types not built in."),
    ] = None,
) -> None:
    """Pod slots per node group against the pods the profile asks for; exit 1 when they do not fit."""
    from eksnet_manifests.cni.instance_data import read_instance_info
    from eksnet_manifests.cni.plan import plan_capacity
    from eksnet_manifests.cni.plan_report import plan_to_data, render_markdown, render_text

    loaded = load_cli_profile(profile)
    instances = read_instance_info(instance_data) if instance_data else None
    plan = plan_capacity(loaded.profile, instances)
    if output is PlanOutput.json:
        typer.echo(json.dumps(plan_to_data(plan), indent=2))
    else:
        typer.echo(render_markdown(plan) if output is PlanOutput.markdown else render_text(plan), nl=False)
    failed = not plan.fits or any(issue.severity == "error" for issue in plan.issues)
    raise typer.Exit(1 if failed else 0)
