"""The pipeline's import rules hold: data flows profile -> synth -> render, check stands alone, and no
module imports itself back through others."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "eksnet_manifests"

# What each stage may import from the package, besides itself and the base modules. ``versions`` holds
# upstream facts and imports no stage, so the stages that judge or build from versions may all read it.
BASE_MODULES = ("errors", "files")
ALLOWED = {
    "versions": set(),
    "profile": {"versions"},
    "cni": {"profile", "versions"},
    "synth": {"profile", "cni", "versions"},
    "render": {"synth.artifact"},
    "check": {"versions"},
    # Writes profile models, reads manifests through check's loader and validation, and lets synth's
    # builders write the Gateways it migrates to.
    "migrate": {"profile", "versions", "check", "synth"},
}
# Packages only the CLI may import (the commands on top of the pipeline).
CLI_ONLY = ("migrate",)

Graph = dict[str, set[str]]


def _module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(root: Path, module: str, names: list[str]) -> set[str]:
    """``from module import a, b``: the submodules a and b where they exist, else ``module`` itself."""
    base = root.parent.joinpath(*module.split("."))
    found = {f"{module}.{n}" for n in names if (base / f"{n}.py").is_file() or (base / n).is_dir()}
    return found if len(found) == len(names) else {module, *found}


def import_graph(root: Path) -> Graph:
    """Every module of the package at ``root`` and the package modules it imports (lazy ones included)."""
    package = root.name
    graph: Graph = {}
    for path in sorted(root.rglob("*.py")):
        name = _module_name(root, path)
        is_package = path.name == "__init__.py"
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name.split(".")[0] == package}
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level:
                    anchor = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                    module = ".".join([*anchor, *([module] if module else [])])
                if module.split(".")[0] == package:
                    edges |= _resolve(root, module, [a.name for a in node.names])
        graph[name] = edges - {name}
    return graph


def import_cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(cycles)


def upward_imports(graph: Mapping[str, set[str]], package: str, allowed: Mapping[str, set[str]]) -> set[str]:
    """Imports from a stage to anything but itself, the base modules and the stages it may use."""
    offending = set()
    for module, targets in graph.items():
        parts = module.split(".")
        stage = parts[1] if len(parts) > 1 else None
        if stage not in allowed:
            continue
        permitted = {f"{package}.{p}" for p in (stage, *BASE_MODULES, *allowed[stage])}
        offending |= {
            f"{module} imports {target}"
            for target in targets
            if not any(target == p or target.startswith(p + ".") for p in permitted)
        }
    return offending


def _write_package(root: Path, files: Mapping[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_stage_imports_only_point_down_the_pipeline() -> None:
    assert upward_imports(import_graph(PACKAGE), PACKAGE.name, ALLOWED) == set()


def test_only_the_cli_imports_migrate() -> None:
    graph = import_graph(PACKAGE)
    for package in CLI_ONLY:
        prefix = f"{PACKAGE.name}.{package}"
        importers = {
            module
            for module, targets in graph.items()
            if not module.startswith((prefix, f"{PACKAGE.name}.cli"))
            and any(target == prefix or target.startswith(prefix + ".") for target in targets)
        }
        assert importers == set(), f"{package} is imported by {sorted(importers)}"


def test_no_module_imports_itself_back_through_others() -> None:
    assert import_cycles(import_graph(PACKAGE)) == []


def test_a_cycle_through_a_package_registry_is_found(tmp_path: Path) -> None:
    # GIVEN documents importing a registry whose lint imports documents (the shape of a real past cycle)
    root = _write_package(
        tmp_path / "pkg",
        {
            "__init__.py": "",
            "check/__init__.py": "",
            "check/documents.py": "def f():\n    from pkg.check.lint import classify\n",
            "check/lint/__init__.py": "from pkg.check.lint.backends import BACKENDS\n",
            "check/lint/backends.py": "from pkg.check.documents import Document\n",
        },
    )
    # THEN the three modules form one cycle
    assert import_cycles(import_graph(root)) == [
        ["pkg.check.documents", "pkg.check.lint", "pkg.check.lint.backends"]
    ]


def test_relative_and_submodule_imports_are_resolved(tmp_path: Path) -> None:
    root = _write_package(
        tmp_path / "pkg",
        {
            "__init__.py": "",
            "a/__init__.py": "from . import b\n",
            "a/b.py": "from .c import X\nfrom pkg.a import c\n",
            "a/c.py": "from ..a import b\n",
        },
    )
    graph = import_graph(root)
    assert graph["pkg.a"] == {"pkg.a.b"}
    assert graph["pkg.a.b"] == {"pkg.a.c"}
    assert graph["pkg.a.c"] == {"pkg.a.b"}
    assert import_cycles(graph) == [["pkg.a.b", "pkg.a.c"]]


def test_an_upward_import_is_found(tmp_path: Path) -> None:
    # GIVEN the profile stage importing synth lazily, inside a function
    root = _write_package(
        tmp_path / "pkg",
        {
            "__init__.py": "",
            "errors.py": "",
            "profile/__init__.py": "",
            "profile/load.py": "import pkg.errors\n\ndef f():\n    from pkg.synth.bundle import build\n",
            "synth/__init__.py": "",
            "synth/bundle.py": "from pkg.profile.load import f\n",
        },
    )
    found = upward_imports(import_graph(root), "pkg", {"profile": set(), "synth": {"profile"}})
    assert found == {"pkg.profile.load imports pkg.synth.bundle"}


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
