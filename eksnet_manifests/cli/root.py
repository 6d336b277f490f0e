"""The root command: parses arguments and dispatches; no domain logic lives in cli/.

Commands are registered in ``COMMANDS``, one row each, and a command's module is imported only when
that command runs (or its own help is shown): ``eksnet --help`` and ``eksnet cni max-pods`` never load
the profile models, the checks or cdk8s. To add a command, write its module in cli/ (a command function,
or a ``typer.Typer`` group of commands) and add a row: its name, ``module:attribute`` and the first
sentence of its help, which the root's command list shows without importing it (a test compares
every row with the command's own help).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Annotated, Any

import typer
import typer.core
import typer.main
import typer.models

from eksnet_manifests import __version__
from eksnet_manifests.cli._boundary import BoundaryGroup


@dataclass(frozen=True)
class Command:
    """A command of the root: ``target`` is ``module:attribute``, a function or a ``typer.Typer`` group."""

    name: str
    target: str
    summary: str

    def load(self) -> Any:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)


COMMANDS: tuple[Command, ...] = (
    Command(
        "init",
        "eksnet_manifests.cli.profile_tools:init_command",
        "Write a commented starting profile for your cluster, and its JSON Schema beside it for editors.",
    ),
    Command(
        "validate",
        "eksnet_manifests.cli.validate:validate_command",
        "Validate manifests like the API server: schemas, defaults, CEL rules, then cross-object lints.",
    ),
    Command(
        "migrate",
        "eksnet_manifests.cli.migrate:migrate_command",
        "Migrate Ingresses and NLB Services to an eksnet profile or to Gateway API, with a report of every "
        "field read and a DNS cut-over plan; exit 1 on errors, with nothing written.",
    ),
    Command(
        "plan",
        "eksnet_manifests.cli.plan:plan_command",
        "Pod slots per node group against the pods the profile asks for; exit 1 when they do not fit.",
    ),
    Command(
        "graph",
        "eksnet_manifests.cli.graph:graph_command",
        "Print how each DNS name reaches its pods, as Mermaid and a table (TOPOLOGY.md).",
    ),
    Command(
        "schema",
        "eksnet_manifests.cli.profile_tools:schema_command",
        "Print the profile's JSON Schema, for editors (yaml-language-server) and CI linters.",
    ),
    Command(
        "explain",
        "eksnet_manifests.cli.profile_tools:explain_command",
        "Print a profile field's type, default and documentation, and its fields (like kubectl explain).",
    ),
    Command(
        "gen", "eksnet_manifests.cli.gen:gen_app", "Render manifests and Helm values into out/<cluster>/."
    ),
    Command("schemas", "eksnet_manifests.cli.schemas:schemas_app", "JSON Schemas for other validators."),
    Command(
        "crds",
        "eksnet_manifests.cli.crds:crds_app",
        "Cache the CRDs of the pinned Gateway API, LBC and GitOps engine releases (gen and validate check "
        "against them).",
    ),
    Command(
        "iam",
        "eksnet_manifests.cli.iam:iam_app",
        "IAM policies of the controllers: the LBC policy of a release, release diffs, policy checks.",
    ),
    Command(
        "cni", "eksnet_manifests.cli.cni:cni_app", "Amazon VPC CNI calculators: max pods per instance type."
    ),
    Command("profile", "eksnet_manifests.cli.profile_tools:profile_app", "The bundled example profiles."),
)
BY_NAME = {command.name: command for command in COMMANDS}


class LazyRoot(BoundaryGroup):
    """The root group: lists ``COMMANDS`` from the table, and builds a command when it is used."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [command.name for command in COMMANDS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in BY_NAME:
            self.commands[cmd_name] = click_command(BY_NAME[cmd_name])
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # The table's summaries: listing the commands imports none of them.
        limit = formatter.width - 6 - max(len(command.name) for command in COMMANDS)
        rows = [
            (command.name, typer.core._click.utils.make_default_short_help(command.summary, limit))
            for command in COMMANDS
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def click_command(command: Command) -> Any:
    """The command ``command`` names, built as ``add_typer``/``command`` on the root would build it."""
    target = command.load()
    settings = {
        "pretty_exceptions_short": app.pretty_exceptions_short,
        "rich_markup_mode": app.rich_markup_mode,
    }
    if isinstance(target, typer.Typer):
        info = typer.models.TyperInfo(target, name=command.name)
        return typer.main.get_group_from_info(info, suggest_commands=app.suggest_commands, **settings)
    return typer.main.get_command_from_info(
        typer.models.CommandInfo(name=command.name, callback=target), **settings
    )


app = typer.Typer(
    cls=LazyRoot,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Typed EKS networking profiles -> validated Kubernetes manifests and Helm values.",
)


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
