"""For each GitOps engine the bundled lab renders a tree that brings the whole stack up on a fresh cluster,
in order: every kind is built in or defined by a CRD the tree (or the engine) installs, CRDs come before
their objects and the controllers before the platform objects, every Argo CD / Flux object passes its
CRD's schema, and kubectl kustomize builds every kustomization."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from eksnet_manifests.check.findings import Severity
from eksnet_manifests.check.validate import ValidateOptions, validate_paths
from eksnet_manifests.generate import GenOptions, generate
from eksnet_manifests.profile.load import load_profile

REPO = Path(__file__).resolve().parent
BUNDLED = REPO.parent / "profiles" / "myeks.yaml"
REPO_URL = "https://github.com/example/platform.git"
# API groups the API server serves without any CRD (what the tree's objects use).
BUILT_IN_GROUPS = frozenset({"", "apps", "networking.k8s.io", "apiextensions.k8s.io"})
ENGINE_GROUPS = {"argocd": ("argoproj.io",), "flux": ("toolkit.fluxcd.io",)}


def bundled_with_engine(tmp_path: Path, engine: str) -> Path:
    text = BUNDLED.read_text("utf-8") + f"\ngitops:\n  engine: {engine}\n  repoUrl: {REPO_URL}\n"
    path = tmp_path / "eksnet.yaml"
    path.write_text(text)
    return path


@dataclass(frozen=True)
class Tree:
    engine: str
    root: Path
    built: dict[Path, list[dict[str, Any]]]
    """What ``kubectl kustomize`` builds from each kustomization's folder."""


@pytest.fixture(scope="module", params=["none", "argocd", "flux"])
def tree(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Tree:
    folder = tmp_path_factory.mktemp(request.param)
    profile = load_profile(bundled_with_engine(folder, request.param))
    result = generate(profile, GenOptions(out=folder / "out"))
    assert result.written and not result.failed, [f.to_text() for f in result.findings]
    assert not [note for note in result.notes if "not schema-checked" in note], result.notes
    root = result.cluster_dir
    built = {path.parent: kustomize(path.parent) for path in sorted(root.rglob("kustomization.yaml"))}
    return Tree(request.param, root, built)


def kustomize(folder: Path) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    assert kubectl is not None, "kubectl is on the development and CI machines"
    done = subprocess.run([kubectl, "kustomize", str(folder)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"kubectl kustomize {folder}: {done.stderr}"
    return [doc for doc in yaml.load_all(done.stdout, Loader=yaml.CSafeLoader) if doc]


def objects_in(path: Path) -> Iterator[dict[str, Any]]:
    yield from (
        doc for doc in yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader) if isinstance(doc, dict)
    )


def test_kubectl_kustomize_builds_every_kustomization(tree: Tree) -> None:
    # GIVEN the tree (its fixture ran kubectl kustomize on every kustomization, failing on any error)
    assert {folder.name for folder in tree.built} >= {"crds", "platform", "apps", tree.root.name}
    # THEN each built to objects
    assert all(tree.built.values())


def test_every_kind_is_built_in_or_defined_by_a_crd_the_tree_or_its_engine_installs(
    tree: Tree, upstream: Path
) -> None:
    engine, root = tree.engine, tree.root
    defined = {
        (doc["spec"]["group"], doc["spec"]["names"]["kind"])
        for doc in tree.built[root / "crds"]
        if doc["kind"] == "CustomResourceDefinition"
    }
    engine_crds = {"argocd": upstream / "argo-cd", "flux": upstream / "flux"}.get(engine)
    if engine_crds is not None:
        defined |= {
            (doc["spec"]["group"], doc["spec"]["names"]["kind"])
            for path in engine_crds.rglob("*.yaml")
            for doc in objects_in(path)
        }
    used = {
        (str(doc["apiVersion"]).rpartition("/")[0], doc["kind"])
        for docs in tree.built.values()
        for doc in docs
    }
    undefined = {(group, kind) for group, kind in used if group not in BUILT_IN_GROUPS} - defined
    assert undefined == set()
    assert ("gateway.networking.k8s.io", "HTTPRoute") in used and (
        "gateway.k8s.aws",
        "TargetGroupConfiguration",
    ) in used


def test_crds_come_before_their_objects_and_controllers_before_the_platform(tree: Tree) -> None:
    order = {"none": _order_of_steps, "argocd": _order_of_waves, "flux": _order_of_dependencies}[tree.engine](
        tree.root
    )
    # THEN (CRDs, controllers, platform, apps) are applied in that order, each strictly after the one before
    assert order["crds"] < order["controllers"] < order["platform"] < order["apps"], order


def _order_of_steps(root: Path) -> dict[str, int]:
    """The step of NEXT-STEPS.md that applies each stage."""
    steps = re.split(r"^\d+\. ", (root / "NEXT-STEPS.md").read_text(), flags=re.MULTILINE)

    def step_of(command: str) -> int:
        [index] = [index for index, step in enumerate(steps) if command in step]
        return index

    return {
        "crds": step_of("kubectl apply --server-side -k crds/"),
        "controllers": step_of("helm upgrade --install aws-load-balancer-controller"),
        "platform": step_of("kubectl apply --server-side -k platform/"),
        "apps": step_of("kubectl apply --server-side -k apps/"),
    }


def _order_of_waves(root: Path) -> dict[str, int]:
    """The sync wave of the Argo CD Application applying each stage (apps after platform within one)."""
    waves: dict[str, int] = {}
    for path in (root / "argocd" / "applications").glob("*.yaml"):
        for app in objects_in(path):
            if app.get("kind") != "Application":
                continue
            wave = int(app["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"])
            stage = (
                "controllers" if "sources" in app["spec"] else app["spec"]["source"]["path"].rsplit("/", 1)[1]
            )
            waves[stage] = max(waves.get(stage, wave), wave)
    # the CRDs' kinds are only used by Applications of later waves
    assert all(wave > waves["crds"] for stage, wave in waves.items() if stage in ("platform", "apps"))
    return waves


def _order_of_dependencies(root: Path) -> dict[str, int]:
    """How many Kustomizations each stage's Kustomization waits for, transitively (dependsOn)."""
    kustomizations = {
        doc["metadata"]["name"]: doc
        for path in (root / "flux").glob("*.yaml")
        for doc in objects_in(path)
        if doc.get("apiVersion", "").startswith("kustomize.toolkit.fluxcd.io/")
    }

    def ancestors(name: str) -> set[str]:
        direct = {entry["name"] for entry in kustomizations[name]["spec"].get("dependsOn", ())}
        return direct.union(*(ancestors(parent) for parent in direct))

    stage = {
        "crds": "myeks-crds",
        "controllers": "myeks-controllers",
        "platform": "myeks-platform",
        "apps": "myeks-apps",
    }
    assert stage["crds"] in ancestors(stage["apps"]) and stage["controllers"] in ancestors(stage["platform"])
    return {key: len(ancestors(name)) for key, name in stage.items()}


def test_every_gitops_engine_object_passes_its_crd_schema(tree: Tree, upstream: Path) -> None:
    engine, root = tree.engine, tree.root
    if engine == "none":
        assert not (root / "argocd").exists() and not (root / "flux").exists()
        return
    files = sorted(
        path
        for path in root.rglob("*.yaml")
        if any(group in path.read_text() for group in ENGINE_GROUPS[engine]) and path.parent.name != "crds"
    )
    crds = str(upstream / ("argo-cd" if engine == "argocd" else "flux"))
    result = validate_paths(files, ValidateOptions(cel=True), "1.34", [crds])
    assert [f.to_text() for f in result.findings if f.severity is Severity.ERROR] == []
    kinds = set(result.checked.kinds)
    expected = {
        "argocd": {"Application", "ApplicationSet"},
        "flux": {"Kustomization", "HelmRelease", "HelmRepository"},
    }
    assert expected[engine] <= kinds
