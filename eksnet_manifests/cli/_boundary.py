"""The one error boundary: expected errors become one line and exit 2; bugs are reported as such."""

from __future__ import annotations

from typing import Any

import typer
import typer.core

from eksnet_manifests.errors import EksnetError

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class BoundaryGroup(typer.core.TyperGroup):
    """Root command group that turns exceptions from any subcommand into exit codes."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except EksnetError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except Exception as exc:
            # Exit, Abort and usage errors belong to the command-line framework itself.
            if type(exc).__module__.startswith(("typer", "click")) or (ctx.obj or {}).get("debug"):
                raise
            typer.echo(
                f"internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)", err=True
            )
            raise typer.Exit(EXIT_INTERNAL) from None


def echo_err(message: str) -> None:
    typer.echo(message, err=True)
