"""validate reads what kustomize would apply: listed files or the rendered overlay, nothing outside."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eksnet_manifests.check.documents import load_inputs
from eksnet_manifests.check.validate import ValidateOptions, validate_paths
from eksnet_manifests.errors import CheckError

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:alpine}]}
"""
needs_kubectl = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl renders overlays")


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@needs_kubectl
def test_overlay_with_an_invalid_patch_fails(tmp_path: Path) -> None:
    # GIVEN a base that is valid and an overlay whose patch makes replicas a string
    write(
        tmp_path,
        {
            "base/deployment.yaml": DEPLOYMENT,
            "base/kustomization.yaml": "resources: [deployment.yaml]\n",
            "overlay/kustomization.yaml": (
                "resources: [../base]\n"
                "patches:\n"
                "  - target: {kind: Deployment, name: web}\n"
                "    patch: |\n"
                "      - {op: replace, path: /spec/replicas, value: many}\n"
            ),
        },
    )
    # WHEN the overlay folder is validated
    result = validate_paths([tmp_path / "overlay"], ValidateOptions())
    # THEN the patched object is what was checked, and its replicas are reported
    assert [(f.rule, f.path) for f in result.findings] == [("schema", "spec.replicas")]
    assert result.findings[0].file.endswith("(as rendered by kustomize)")
    assert result.checked.kinds == {"Deployment": 1}


@needs_kubectl
@pytest.mark.parametrize(
    "extra",
    ["namePrefix: prod-\n", "commonLabels: {team: web}\n", "namespace: prod\n"],
    ids=["name-prefix", "common-labels", "namespace"],
)
def test_transforming_kustomization_is_rendered(tmp_path: Path, extra: str) -> None:
    write(tmp_path, {"d.yaml": DEPLOYMENT, "kustomization.yaml": "resources: [d.yaml]\n" + extra})
    inputs = load_inputs([tmp_path])
    assert inputs.files == [f"{tmp_path / 'kustomization.yaml'} (as rendered by kustomize)"]


def test_missing_kustomize_tool_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"d.yaml": DEPLOYMENT, "kustomization.yaml": "resources: [d.yaml]\nnamePrefix: p-\n"})
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(CheckError, match="needs kubectl or kustomize on PATH"):
        load_inputs([tmp_path])


def test_plain_kustomization_is_read_file_by_file_with_lines(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"a/d.yaml": DEPLOYMENT, "kustomization.yaml": "resources: [a/d.yaml]\n", "x.yaml": "a: 1\n"},
    )
    inputs = load_inputs([tmp_path])
    assert inputs.files == [str((tmp_path / "a" / "d.yaml").resolve())]
    assert inputs.documents[0].origin.line == 1


@pytest.mark.parametrize(
    ("files", "named", "message"),
    [
        (
            {"secret.yaml": DEPLOYMENT, "in/kustomization.yaml": "resources: [../secret.yaml]\n"},
            "in",
            "resource '../secret.yaml' is outside",
        ),
        (
            {"in/kustomization.yaml": "resources: [link.yaml]\n"},
            "in",
            "resource 'link.yaml' is outside",
        ),
        (
            {
                "in/a/kustomization.yaml": "resources: [../b]\n",
                "in/b/kustomization.yaml": "resources: [../a]\n",
                "in/kustomization.yaml": "resources: [a]\n",
            },
            "in",
            "kustomization cycle",
        ),
        ({"in/kustomization.yaml": "resources: [gone.yaml]\n"}, "in", "resource 'gone.yaml' does not exist"),
    ],
    ids=["parent-file", "symlink-out", "cycle", "missing"],
)
def test_kustomization_references_stay_inside_the_folder_given(
    tmp_path: Path, files: dict[str, str], named: str, message: str
) -> None:
    write(tmp_path, files)
    if "link.yaml" in str(files):
        (tmp_path / "outside.yaml").write_text(DEPLOYMENT)
        (tmp_path / "in" / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    with pytest.raises(CheckError, match=message):
        load_inputs([tmp_path / named])


def test_folder_without_kustomization_skips_links_leading_outside(tmp_path: Path) -> None:
    write(tmp_path, {"outside/secret.yaml": DEPLOYMENT, "in/d.yaml": DEPLOYMENT})
    (tmp_path / "in" / "s.yaml").symlink_to(tmp_path / "outside" / "secret.yaml")
    assert load_inputs([tmp_path / "in"]).files == [str(tmp_path / "in" / "d.yaml")]
