"""Settings of the namespaces eksnet writes (``namespaces``), e.g. labels Gateway selectors match."""

from __future__ import annotations

from pydantic import Field

from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.selectors import LabelKey, LabelValue


class NamespaceSettings(StrictModel):
    labels: dict[LabelKey, LabelValue] = Field(default_factory=dict)
    """Labels on the Namespace, e.g. for ``allowedRoutes: Selector`` on a Gateway listener."""
