"""What synth hands to render: relative paths and contents, no bytes and no file I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from eksnet_manifests.synth.provenance import Provenance


@dataclass(frozen=True)
class Artifact:
    """One output file under ``out/<cluster>/``.

    ``content`` is a list of Kubernetes objects for ``*.yaml`` manifests, a mapping for
    ``*.values.yaml`` and ``*.json`` files, or text for ``*.md``. ``comments`` maps dotted
    keys of a values mapping to a one-line explanation written above the key.
    """

    path: str
    content: Any
    comments: Mapping[str, str] = field(default_factory=dict)
    header: str | None = None


@dataclass(frozen=True)
class Bundle:
    """Everything one cluster's profile renders to, keyed by path."""

    cluster: str
    artifacts: tuple[Artifact, ...]
    provenance: Provenance = field(default_factory=Provenance, compare=False)
    """Where each object and values file comes from in the profile (for findings about them)."""
    facts: Mapping[str, Any] = field(default_factory=dict, compare=False)
    """What the tree records about itself: the releases it is generated for (``releases``) and which
    files vendor which release's CRDs (``vendoredCrds``)."""

    def by_path(self) -> dict[str, Artifact]:
        return {artifact.path: artifact for artifact in self.artifacts}

    def manifests(self) -> list[tuple[str, Mapping[str, Any]]]:
        """(path, object) for every Kubernetes object in the bundle."""
        return [
            (artifact.path, obj)
            for artifact in self.artifacts
            if isinstance(artifact.content, list)
            for obj in artifact.content
        ]
