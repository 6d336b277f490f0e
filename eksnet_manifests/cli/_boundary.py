"""The one error boundary: expected errors become one line each and exit 2; bugs are reported as such.

Every line eksnet prints about the input goes through ``safe_text``, so a value from a profile or a
manifest cannot move the cursor, recolour the terminal or start a forged line in a CI log.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import Any, TypeGuard, get_args

import typer
import typer.core

from eksnet_manifests.errors import EksnetError, safe_text

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

# Write errors of a redirected output (a full disk or quota): eksnet's own files name their path instead.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def output_failed(exc: BaseException) -> TypeGuard[OSError]:
    """Whether ``exc`` is standard output or error refusing what eksnet prints."""
    return isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRNOS


def _stop_if_output_failed(exc: Exception) -> None:
    if output_failed(exc):
        report_output_failure(exc)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def report_output_failure(exc: OSError) -> None:
    """Say on standard error (when it can still take a line) that the output could not be written; what
    is still buffered for standard output is dropped, so the exit does not fail on it again."""
    _silence_stdout()
    with contextlib.suppress(OSError):  # standard error refused too: the exit code is all that is left
        os.write(2, f"error: cannot write to standard output: {exc.strerror}\n".encode())


class CommandGroup(typer.core.TyperGroup):
    """Every command group: plain help (no Python types), and no option silently given twice."""

    def get_params(self, ctx: Any) -> Any:
        plain_metavars(self)  # the group's own options, completion ones included
        return super().get_params(ctx)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None and not isinstance(command, typer.core.TyperGroup):
            plain_metavars(command)
        return command

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not isinstance(command, typer.core.TyperGroup):
            reject_repeated_options(command, rest)
        return name, command, rest


class BoundaryGroup(CommandGroup):
    """Root command group that turns exceptions from any subcommand into exit codes."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # --debug is a root option, but people add it at the end of the command they are debugging.
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[:end]:
            args = ["--debug", *(a for a in args[:end] if a != "--debug"), *args[end:]]
        return super().parse_args(ctx, args)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except Exception as exc:
            _stop_if_output_failed(exc)  # --help written to a full disk
            _escape_usage_error(exc)
            raise

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
            _stop_if_output_failed(exc)
            # Exit, Abort and usage errors belong to the command-line framework itself.
            if type(exc).__module__.startswith(("typer", "click")) or (ctx.obj or {}).get("debug"):
                _escape_usage_error(exc)
                raise
            echo_err(f"internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)")
            raise typer.Exit(EXIT_INTERNAL) from None


def _escape_usage_error(exc: Exception) -> None:
    """A usage error quotes what was typed ("No such command …"): escape it like every other message."""
    message = getattr(exc, "message", None)
    if isinstance(message, str):
        exc.message = safe_text(message)  # type: ignore[attr-defined]


def plain_metavars(command: Any) -> None:
    """Value names a user reads (PATH, N, text|json), not Python types (``<list[Path]>``, ``<bool>``)."""
    if not getattr(command, "_plain_help", False):
        command._plain_help = True
        make_help_option = command.get_help_option

        def help_option(ctx: Any) -> Any:
            option = make_help_option(ctx)
            if option is not None:
                option.metavar = ""
            return option

        command.get_help_option = help_option
    for param in command.params:
        if isinstance(param, typer.core.TyperArgument):
            param.metavar = param.metavar or (param.name or "value").upper()
            param.display_type_rich = lambda ctx: None  # the metavar says it; no "<str>" beside it
        if not isinstance(param, typer.core.TyperOption) or param.metavar is not None:
            continue
        described = param.type_descriptor
        value = get_args(described.annotation)[0] if described.is_list else described.annotation
        if param.is_flag or param.count:
            param.metavar = ""
        elif described.is_choice:
            param.metavar = "|".join(
                str(getattr(choice, "value", choice)) for choice in described.choices or ()
            )
        elif value is Path:
            param.metavar = "PATH"
        elif value is int:
            param.metavar = "N"
        else:
            param.metavar = (param.name or "value").upper().replace("_", "-")


def reject_repeated_options(command: Any, args: list[str]) -> None:
    """A usage error for an option given twice where it takes one value (the last would win silently)."""
    single: dict[str, Any] = {}
    takes_value: dict[str, bool] = {}
    for param in command.params:
        if isinstance(param, typer.core.TyperOption):
            for opt in (*param.opts, *param.secondary_opts):
                takes_value[opt] = not (param.is_flag or param.count)
                if not param.multiple and not param.count:
                    single[opt] = param
    seen: dict[str, str] = {}
    tokens = iter(args)
    for token in tokens:
        if token == "--":
            break
        opt = token.partition("=")[0] if token.startswith("--") else token[:2]
        if opt not in takes_value:
            continue
        if takes_value[opt] and "=" not in token and len(token) == len(opt):
            next(tokens, None)  # the option's value
        param = single.get(opt)
        if param is None:
            continue
        if param.name in seen:
            given = f"{opt} given twice" if seen[param.name] == opt else f"{seen[param.name]} and {opt} given"
            raise typer.BadParameter(
                f"{given}: this command takes one value", param_hint=max(param.opts, key=len)
            )
        seen[str(param.name)] = opt


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
