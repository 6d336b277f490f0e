"""The root command: parses arguments and dispatches; no domain logic lives in cli/."""

from __future__ import annotations

from typing import Annotated

import typer

from eksnet_manifests import __version__
from eksnet_manifests.cli._boundary import BoundaryGroup
from eksnet_manifests.cli.cni import cni_app
from eksnet_manifests.cli.crds import crds_app
from eksnet_manifests.cli.gen import gen_app
from eksnet_manifests.cli.graph import graph_command
from eksnet_manifests.cli.iam import iam_app
from eksnet_manifests.cli.migrate import migrate_command
from eksnet_manifests.cli.plan import plan_command
from eksnet_manifests.cli.profile_tools import explain_command, init_command, profile_app, schema_command
from eksnet_manifests.cli.schemas import schemas_app
from eksnet_manifests.cli.validate import validate_command

app = typer.Typer(
    cls=BoundaryGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Typed EKS networking specs -> validated Kubernetes manifests and Helm values.",
)
app.command("init")(init_command)
app.add_typer(gen_app, name="gen")
app.command("validate")(validate_command)
app.command("migrate")(migrate_command)
app.add_typer(schemas_app, name="schemas")
app.add_typer(crds_app, name="crds")
app.add_typer(iam_app, name="iam")
app.add_typer(cni_app, name="cni")
app.command("plan")(plan_command)
app.command("graph")(graph_command)
app.add_typer(profile_app, name="profile")
app.command("schema")(schema_command)
app.command("explain")(explain_command)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    ctx.obj = {"debug": debug}
