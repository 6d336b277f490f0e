"""Which profile file a command reads when none is named; imports nothing heavy, so commands that need
no profile (``validate`` of plain manifests) find out cheaply that there is none."""

from __future__ import annotations

from pathlib import Path

DEFAULT_PROFILE_NAMES = ("eksnet.yaml", "eksnet.yml")
MAX_PROFILE_BYTES = 4 * 1024 * 1024


def find_profile(start: Path | None = None) -> Path | None:
    """``eksnet.yaml`` (or ``.yml``) in ``start`` or the nearest folder above it, as Git finds ``.git``."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        for name in DEFAULT_PROFILE_NAMES:
            if (candidate / name).is_file():
                return candidate / name
    return None
