"""Which Helm chart a values file configures, judged by its file name.

Values are not Kubernetes objects, so they never become documents: ``*external-dns*.values.yaml`` and
``*aws-load-balancer-controller*.values.yaml`` (``.yml`` too) are read as chart values for the lints.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import PurePath

EXTERNAL_DNS = "external-dns"
LBC = "aws-load-balancer-controller"
CHARTS = (LBC, EXTERNAL_DNS)


def classify_values_file(path: str) -> str | None:
    """The chart a values file configures, or None for any other file."""
    name = PurePath(path).name
    for chart in CHARTS:
        if any(fnmatchcase(name, f"*{chart}*.values.{ext}") for ext in ("yaml", "yml")):
            return chart
    return None
