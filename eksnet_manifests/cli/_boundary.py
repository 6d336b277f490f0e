"""The one error boundary: expected errors become one line each and exit 2; bugs are reported as such.

Every line eksnet prints about the input goes through ``safe_text``, so a value from a profile or a
manifest cannot move the cursor, recolour the terminal or start a forged line in a CI log.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
import typer.core

from eksnet_manifests.errors import EksnetError, safe_text

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class BoundaryGroup(typer.core.TyperGroup):
    """Root command group that turns exceptions from any subcommand into exit codes."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except EksnetError as exc:
            for problem in exc.problems():
                echo_err(f"error: {problem}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except BrokenPipeError:
            # The reader went away (``eksnet … | head``): stop quietly, as other command-line tools do.
            _silence_stdout()
            raise typer.Exit(EXIT_FINDINGS) from None
        except Exception as exc:
            # Exit, Abort and usage errors belong to the command-line framework itself.
            if type(exc).__module__.startswith(("typer", "click")) or (ctx.obj or {}).get("debug"):
                raise
            echo_err(f"internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)")
            raise typer.Exit(EXIT_INTERNAL) from None


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file descriptor (a test runner's buffer): nothing to flush at exit


def echo(message: str) -> None:
    """One line on standard output, control characters escaped."""
    typer.echo(safe_text(message))


def echo_err(message: str) -> None:
    """One line on standard error, control characters escaped."""
    typer.echo(safe_text(message), err=True)
