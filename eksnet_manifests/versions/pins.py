"""The releases a cluster runs: what a profile pins, and what the version tables are asked about."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Pins:
    """The releases the cluster runs, as a profile pins them; None where unknown."""

    gateway_api: str | None = None
    channel: str = "standard"
    lbc: str | None = None
    argo_cd: str | None = None
    flux: str | None = None

    def with_lbc(self, version: str | None) -> Pins:
        """These pins, with the LBC release filled in from ``version`` when not pinned yet."""
        return self if self.lbc or not version else replace(self, lbc=version)
