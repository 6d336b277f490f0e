"""Command-line entry point. Kept light so ``eksnet gen`` can start cdk8s before the rest loads."""

from __future__ import annotations

import sys
from typing import Any

_HELP = ("--help", "-h", "--show-completion", "--install-completion")


def main() -> None:
    args = sys.argv[1:]
    # Only a run that will synthesise starts Node.js early; help and completion stay fast.
    if _synthesises(args) and not any(a in _HELP for a in args):
        from eksnet_manifests.cli._node import node_problem

        if node_problem() is None:
            from eksnet_manifests.synth.chart import start_synthesizer

            start_synthesizer()
    from eksnet_manifests.cli.root import app

    app(prog_name="eksnet")


def _synthesises(args: list[str]) -> bool:
    """Whether the command line runs a command that synthesises with cdk8s (``--debug`` may come first)."""
    words = [arg for arg in args if arg != "--debug"]
    # gen all starts it itself once it knows a cluster needs synthesising (rerun.py)
    return words[:2] == ["gen", "app"] or words[:1] == ["graph"]


def __getattr__(name: str) -> Any:
    # ``from eksnet_manifests.cli import app`` without loading every command on package import
    if name == "app":
        from eksnet_manifests.cli.root import app

        return app
    raise AttributeError(name)
