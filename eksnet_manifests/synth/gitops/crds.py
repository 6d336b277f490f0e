"""The pinned releases' CRDs as part of the tree: vendored documents, or the release files by URL.

The documents come in from outside synth (the generator reads the CRD cache); this module decides
which releases a profile needs and writes ``crds/``. Every CRD is applied server-side (too large for
the last-applied annotation of a client-side apply) and never pruned or deleted by Argo CD or Flux:
deleting a CRD deletes every object of its kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.artifact import Artifact
from eksnet_manifests.synth.helm.features import effective_feature_gates, feature_gates
from eksnet_manifests.versions import lbc
from eksnet_manifests.versions.release_files import GATEWAY_API, LBC, CrdRelease

CRDS_FOLDER = "crds"
CRD_ANNOTATIONS = {
    "argocd.argoproj.io/sync-options": "Delete=false,Prune=false,ServerSideApply=true",
    "kustomize.toolkit.fluxcd.io/prune": "disabled",
}


def crd_file(release: CrdRelease) -> str:
    """Where the tree vendors ``release``'s CRDs."""
    return f"{CRDS_FOLDER}/{release.product}.yaml"


def release_record(release: CrdRelease) -> dict[str, str]:
    """The release as the tree's manifest records it."""
    record = {"product": release.product, "version": release.version}
    if release.channel is not None:
        record["channel"] = release.channel
    return record


CrdDocuments = Mapping[CrdRelease, Sequence[Mapping[str, Any]]]
"""The CRDs of each release to vendor; a release missing here is referenced by its release URLs."""


def needed_crd_releases(profile: Profile) -> tuple[CrdRelease, ...]:
    """The LBC's CRDs always (its TargetGroupBinding and IngressClassParams informers must sync), and
    Gateway API's when anything uses it: gateway apps, ExternalDNS gateway sources, or LBC gateway
    gates (controllers watching kinds whose CRDs are missing never become ready)."""
    controller = profile.load_balancer_controller
    gates = feature_gates(controller.version) | effective_feature_gates(profile)
    sources = profile.external_dns.sources or profile.derived_sources()
    uses_gateway_api = (
        "gateway" in profile.exposure_kinds()
        or any(source.startswith("gateway-") for source in sources)
        or any(gates.get(gate) for gate in (lbc.ALB_GATE, lbc.NLB_GATE))
    )
    releases = [CrdRelease(LBC, controller.version)]
    if uses_gateway_api:
        releases.insert(0, CrdRelease(GATEWAY_API, profile.gateway_api.version, profile.gateway_api.channel))
    return tuple(releases)


def build_crd_artifacts(
    releases: Sequence[CrdRelease], documents: CrdDocuments
) -> tuple[list[Artifact], dict[str, dict[str, str]]]:
    """``crds/`` (the vendored files and their kustomization) and which file vendors which release."""
    artifacts: list[Artifact] = []
    resources: list[str] = []
    vendored: dict[str, dict[str, str]] = {}
    for release in releases:
        crds = documents.get(release)
        if crds is None:
            resources += release.urls()
            continue
        artifacts.append(
            Artifact(crd_file(release), [_annotated(crd) for crd in crds], header=_header(release))
        )
        resources.append(crd_file(release).removeprefix(f"{CRDS_FOLDER}/"))
        vendored[crd_file(release)] = release_record(release)
    content: dict[str, Any] = {"resources": resources}
    if len(resources) > len(vendored):
        # Remote files cannot be annotated in place: kustomize adds the annotations as it builds.
        content["commonAnnotations"] = dict(CRD_ANNOTATIONS)
    artifacts.append(Artifact(f"{CRDS_FOLDER}/kustomization.yaml", content))
    return artifacts, vendored


def _annotated(crd: Mapping[str, Any]) -> dict[str, Any]:
    metadata = dict(crd.get("metadata") or {})
    metadata["annotations"] = {**(metadata.get("annotations") or {}), **CRD_ANNOTATIONS}
    return {**crd, "metadata": metadata}


def _header(release: CrdRelease) -> str:
    return "\n".join(
        (
            f"CRDs of {release.label}, vendored from the CRD cache; released at:",
            *release.urls(),
            "Apply server-side: kubectl apply --server-side -k crds/",
        )
    )
