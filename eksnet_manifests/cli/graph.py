"""`eksnet graph`: print the exposure topology gen writes to TOPOLOGY.md."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from eksnet_manifests.cli._node import require_node
from eksnet_manifests.cli._profile import PROFILE_HELP, load_cli_profile


def graph_command(
    profile: Annotated[Path | None, typer.Option("--profile", "-p", help=PROFILE_HELP)] = None,
) -> None:
    """Print how each DNS name reaches its pods, as Mermaid and a table (TOPOLOGY.md)."""
    from eksnet_manifests.synth.bundle import build_bundle
    from eksnet_manifests.synth.topology import TOPOLOGY_PATH

    require_node()
    bundle = build_bundle(load_cli_profile(profile).profile)
    typer.echo(bundle.by_path()[TOPOLOGY_PATH].content, nl=False)
