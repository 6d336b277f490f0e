"""What gen prints about a tree: the change lines, the diff and the summary, coloured on a terminal only,
and a progress line on standard error for runs over several clusters."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

import typer

from eksnet_manifests.errors import safe_text

_DIFF_COLOURS = (
    ("+++", "bright_white"),
    ("---", "bright_white"),
    ("@@", "cyan"),
    ("+", "green"),
    ("-", "red"),
)
_CHANGE_COLOURS = {"+": "green", "~": "yellow", "-": "red", "?": "bright_black"}


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def colour_on(stream: TextIO) -> bool:
    """Colour only for a terminal, and never with ``NO_COLOR`` set or ``TERM=dumb``."""
    return is_terminal(stream) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def echo_changes(lines: Sequence[str], *, colour: bool) -> None:
    for line in lines:
        text = safe_text(line)
        typer.echo(typer.style(text, fg=_CHANGE_COLOURS.get(text[:1])) if colour else text, color=colour)


def echo_diff(lines: Sequence[str], *, colour: bool) -> None:
    for line in lines:
        text = safe_text(line)
        fg = next((fg for prefix, fg in _DIFF_COLOURS if text.startswith(prefix)), None)
        typer.echo(typer.style(text, fg=fg) if colour and fg else text, color=colour)


class Progress:
    """``[2/5] cluster`` on standard error, rewritten in place; only on a terminal and for several runs."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        self.enabled = total > 1 and is_terminal(self.stream)

    def step(self, what: str) -> None:
        self.done += 1
        if self.enabled:
            self.stream.write(f"\r\033[K[{self.done}/{self.total}] {safe_text(what)}")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()
