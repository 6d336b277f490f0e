"""The pipeline's import rules hold: data flows spec -> build -> render, and check stands alone."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "eksnet_manifests"

# What each stage may import from the package, besides itself and errors.py.
ALLOWED = {
    "spec": set(),
    "cni": {"spec"},
    "build": {"spec", "cni"},
    "render": {"build.artifact"},
    "check": set(),
}


def _package_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("eksnet_manifests."):
            names.add(node.module.removeprefix("eksnet_manifests."))
        elif isinstance(node, ast.Import):
            names |= {
                a.name.removeprefix("eksnet_manifests.")
                for a in node.names
                if a.name.startswith("eksnet_manifests.")
            }
    return names


@pytest.mark.parametrize("stage", sorted(ALLOWED))
def test_stage_imports_only_point_down_the_pipeline(stage: str) -> None:
    allowed = {stage, "errors", *ALLOWED[stage]}
    offending = {
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / stage).rglob("*.py"))
        for name in _package_imports(path)
        if not any(name == prefix or name.startswith(prefix + ".") for prefix in allowed)
    }
    assert offending == set()


def test_code_is_ruff_clean() -> None:
    beside_python = Path(sys.executable).with_name("ruff")
    ruff = str(beside_python) if beside_python.exists() else shutil.which("ruff")
    assert ruff is not None, "ruff is a test dependency: pip install -e '.[test]'"
    root = PACKAGE.parent
    result = subprocess.run(
        [ruff, "check", "eksnet_manifests", "tests", "benchmarks"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
