"""Command-line entry point. Kept light so ``eksnet gen`` can start cdk8s before the rest loads."""

from __future__ import annotations

import sys
from typing import Any


def main() -> None:
    if sys.argv[1:2] == ["gen"]:
        from eksnet_manifests.synth.chart import start_synthesizer

        start_synthesizer()
    from eksnet_manifests.cli.root import app

    app(prog_name="eksnet")


def __getattr__(name: str) -> Any:
    # ``from eksnet_manifests.cli import app`` without loading every command on package import
    if name == "app":
        from eksnet_manifests.cli.root import app

        return app
    raise AttributeError(name)
