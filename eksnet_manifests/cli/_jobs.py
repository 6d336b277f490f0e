"""``--jobs``: how many clusters, or parts of the input, a command works on at once."""

from __future__ import annotations

from typing import Any

import typer


def jobs_option(what: str) -> Any:
    """The option, helped as ``what`` (the default is the CPU cores the process may use)."""
    return typer.Option("--jobs", "-j", min=1, help=f"{what} (default: the CPU cores this process may use).")
