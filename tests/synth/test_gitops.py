"""The GitOps part of a tree: which CRDs it carries and how, and what each engine writes."""

from __future__ import annotations

from typing import Any

import pytest

from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.artifact import Artifact
from eksnet_manifests.synth.gitops import build_gitops_artifacts
from eksnet_manifests.synth.gitops.crds import CRD_ANNOTATIONS, needed_crd_releases
from eksnet_manifests.versions.release_files import CrdRelease

from .conftest import make_profile

REPO = "https://github.com/example/platform.git"
NLB_APP = {"name": "web", "expose": {"type": "nlb", "hosts": ["web.example.com"]}}
GATEWAY_APP = {"name": "gw", "expose": {"type": "gateway", "hosts": ["gw.example.com"]}}
APP_FILES = [
    Artifact("apps/web.yaml", [{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}])
]
CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "x.y"},
}


def gitops_files(profile: Profile, crds: Any = None) -> dict[str, Artifact]:
    added, _ = build_gitops_artifacts(profile, APP_FILES, crds or {})
    return {artifact.path: artifact for artifact in added}


@pytest.mark.parametrize(
    ("app", "sections", "gateway_api"),
    [
        (NLB_APP, {"loadBalancerController": {"version": "v2.14.1"}}, False),
        (GATEWAY_APP, {"loadBalancerController": {"version": "v2.14.1"}}, True),
        (NLB_APP, {"loadBalancerController": {"version": "v3.5.0"}}, True),
        (
            NLB_APP,
            {
                "loadBalancerController": {"version": "v2.14.1"},
                "externalDns": {"sources": ["service", "gateway-httproute"]},
            },
            True,
        ),
    ],
    ids=["nlb-only-gates-off", "gateway-app", "gates-on-by-default-from-v3-2", "external-dns-gateway-source"],
)
def test_gateway_api_crds_are_carried_when_anything_uses_gateway_api(
    app: dict[str, Any], sections: dict[str, Any], gateway_api: bool
) -> None:
    releases = needed_crd_releases(make_profile(app, **sections))
    assert releases[-1] == CrdRelease(
        "aws-load-balancer-controller", sections["loadBalancerController"]["version"]
    )
    assert any(release.product == "gateway-api" for release in releases) is gateway_api


def test_vendored_crds_are_annotated_for_server_side_apply_and_never_pruned() -> None:
    profile = make_profile(NLB_APP, loadBalancerController={"version": "v2.14.1"})
    [release] = needed_crd_releases(profile)
    files = gitops_files(profile, {release: [CRD]})
    [crd] = files["crds/aws-load-balancer-controller.yaml"].content
    assert crd["metadata"]["annotations"] == CRD_ANNOTATIONS
    assert "ServerSideApply=true" in CRD_ANNOTATIONS["argocd.argoproj.io/sync-options"]
    assert files["crds/kustomization.yaml"].content == {"resources": ["aws-load-balancer-controller.yaml"]}


def test_crds_not_vendored_are_referenced_by_their_release_urls_and_annotated_by_kustomize() -> None:
    profile = make_profile(GATEWAY_APP, loadBalancerController={"version": "v3.5.0"}, gitops={"crds": "url"})
    files = gitops_files(profile)
    kustomization = files["crds/kustomization.yaml"].content
    assert kustomization["resources"] == [
        "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml",
        "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/helm/aws-load-balancer-controller/crds/crds.yaml",
        "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/config/crd/gateway/gateway-crds.yaml",
    ]
    assert kustomization["commonAnnotations"] == CRD_ANNOTATIONS
    assert not [path for path in files if path.startswith("crds/") and path != "crds/kustomization.yaml"]


def test_unmanaged_crds_leave_crds_out_of_the_tree_and_the_bootstrap() -> None:
    files = gitops_files(make_profile(NLB_APP, gitops={"crds": "unmanaged"}))
    assert not [path for path in files if path.startswith("crds/")]
    assert "crds/" not in files["NEXT-STEPS.md"].content


def test_charts_are_installed_pinned_without_their_own_crds() -> None:
    argo = gitops_files(make_profile(NLB_APP, gitops={"engine": "argocd", "repoUrl": REPO}))
    [lbc] = argo["argocd/applications/aws-load-balancer-controller.yaml"].content
    chart, values = lbc["spec"]["sources"]
    assert (chart["chart"], chart["targetRevision"], chart["helm"]["skipCrds"]) == (
        "aws-load-balancer-controller",
        "3.5.0",
        True,
    )
    assert chart["helm"]["valueFiles"] == ["$values/out/myeks/helm/aws-load-balancer-controller.values.yaml"]
    assert values == {"repoURL": REPO, "targetRevision": "HEAD", "ref": "values"}
    assert lbc["metadata"]["annotations"] == {"argocd.argoproj.io/sync-wave": "2"}
    flux = gitops_files(make_profile(NLB_APP, gitops={"engine": "flux"}))
    releases = {
        obj["metadata"]["name"]: obj
        for obj in flux["helm/releases.yaml"].content
        if obj["kind"] == "HelmRelease"
    }
    assert releases["external-dns"]["spec"]["chart"]["spec"]["version"] == "1.21.1"
    assert releases["external-dns"]["spec"]["install"] == {"crds": "Skip"}
    generated = flux["helm/kustomization.yaml"].content["configMapGenerator"]
    assert {entry["files"][0] for entry in generated} == {
        "values.yaml=aws-load-balancer-controller.values.yaml",
        "values.yaml=external-dns.values.yaml",
    }


def test_the_tree_path_in_the_repository_is_the_profile_s_choice() -> None:
    files = gitops_files(make_profile(NLB_APP, gitops={"engine": "flux", "path": "clusters/prod/myeks"}))
    [crds] = files["flux/crds.yaml"].content
    assert crds["spec"]["path"] == "./clusters/prod/myeks/crds"


def test_argocd_without_a_repository_is_a_profile_error() -> None:
    with pytest.raises(ValueError, match="engine argocd needs repoUrl"):
        make_profile(NLB_APP, gitops={"engine": "argocd"})
