"""The order a fresh cluster comes up in: CRDs, then the controllers, then platform objects, then apps.

Each stage is one folder of the tree with its own kustomization; the GitOps engines apply the stages in
wave order (Argo CD sync waves, Flux ``dependsOn``). The controllers' stage is the Helm releases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eksnet_manifests.synth.artifact import Artifact

CONTROLLERS_WAVE = 2


@dataclass(frozen=True)
class Stage:
    name: str
    folder: str
    wave: int
    files: tuple[str, ...]
    """The stage's manifest files, relative to its folder."""

    @property
    def before_controllers(self) -> bool:
        return self.wave < CONTROLLERS_WAVE


# (stage, folder, wave): the controllers' ServiceAccounts and the VPC CNI's ENIConfigs must exist before
# the controllers and nodes use them; platform objects (Namespaces, GatewayClass, Gateway) need LBC's
# webhooks serving; apps come last.
STAGE_FOLDERS = (
    ("crds", "crds", 1),
    ("service-accounts", "iam", 1),
    ("eniconfigs", "vpc-cni", 1),
    ("platform", "platform", 3),
    ("apps", "apps", 4),
)


def build_stages(artifacts: Sequence[Artifact], crd_resources: bool) -> tuple[Stage, ...]:
    """The stages with something to apply, from the manifests among ``artifacts``."""
    stages = []
    for name, folder, wave in STAGE_FOLDERS:
        files = tuple(
            sorted(
                artifact.path.removeprefix(f"{folder}/")
                for artifact in artifacts
                if isinstance(artifact.content, list) and artifact.path.startswith(f"{folder}/")
            )
        )
        if files or (name == "crds" and crd_resources):
            stages.append(Stage(name, folder, wave, files))
    return tuple(stages)


def folder_kustomizations(stages: Sequence[Stage]) -> list[Artifact]:
    """A kustomization per stage folder listing its files (``crds/`` writes its own)."""
    return [
        Artifact(f"{stage.folder}/kustomization.yaml", {"resources": list(stage.files)})
        for stage in stages
        if stage.name != "crds"
    ]
