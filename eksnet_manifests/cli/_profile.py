"""Which profile a command reads: ``--profile``, else ``eksnet.yaml`` found upward, else the bundled one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from eksnet_manifests.cli._boundary import echo_err

if TYPE_CHECKING:
    from eksnet_manifests.profile.load import LoadedProfile

PROFILE_HELP = (
    "Profile YAML (default: eksnet.yaml in this folder or the nearest one above, else the bundled "
    "myeks lab profile)."
)


def load_cli_profile(path: Path | None, *, quiet: bool = False) -> LoadedProfile:
    """The profile a command works on; says on stderr when it is the bundled lab profile (unless quiet)."""
    from eksnet_manifests.profile.discovery import find_profile
    from eksnet_manifests.profile.load import load_profile

    chosen = path or find_profile()
    loaded = load_profile(chosen)
    if chosen is None and not quiet:
        echo_err(
            f"note: no eksnet.yaml in {Path.cwd()} or any folder above: using the bundled lab profile "
            f"(cluster {loaded.profile.cluster.name}); `eksnet init` writes a profile for your cluster"
        )
    return loaded


def discovered_profile(path: Path | None) -> LoadedProfile | None:
    """For commands that need no profile: ``--profile``, else ``eksnet.yaml`` found upward, else None."""
    from eksnet_manifests.profile.discovery import find_profile

    chosen = path or find_profile()
    if chosen is None:
        return None
    from eksnet_manifests.profile.load import load_profile

    return load_profile(chosen)
