"""What a kustomization applies: the files it lists, or what kustomize renders from it.

A kustomization that only lists local ``resources`` is read file by file, so findings keep their
source lines; every reference must stay inside the folder the user named, and a kustomization that
reaches itself again is a cycle. Anything else (patches, generators, transformers, components,
namespace or label settings, remote resources) changes what is applied: such a kustomization is
rendered with ``kubectl kustomize`` (or ``kustomize build``) and the rendered stream is validated.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from eksnet_manifests.errors import CheckError, Location
from eksnet_manifests.files import read_input

KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")
# Keys that only say what the file is and which files it lists; any other key transforms the output.
_LISTING_KEYS = frozenset({"apiVersion", "kind", "resources"})
RENDER_TIMEOUT_S = 120


@dataclass(frozen=True)
class Plan:
    """How to read one kustomization: the files it lists, or render it whole."""

    files: tuple[Path, ...] = ()
    render: Path | None = None


def find_kustomization(folder: Path) -> Path | None:
    return next((folder / name for name in KUSTOMIZATIONS if (folder / name).is_file()), None)


def plan_kustomization(kustomization: Path, root: Path) -> Plan:
    """The files ``kustomization`` lists (recursively), or that it must be rendered as a whole."""
    files: list[Path] = []
    if _collect(kustomization, root.resolve(), files, ()):
        return Plan(render=kustomization.parent)
    return Plan(files=tuple(files))


def _collect(kustomization: Path, root: Path, files: list[Path], chain: tuple[Path, ...]) -> bool:
    """Append the files listed by ``kustomization`` to ``files``; True when it needs rendering."""
    folder = kustomization.parent.resolve()
    if folder in chain:
        cycle = " -> ".join(str(part) for part in (*chain, folder))
        raise CheckError(f"kustomization cycle: {cycle}", Location(str(kustomization)))
    data = _read(kustomization)
    if set(data) - _LISTING_KEYS:
        return True
    resources = data.get("resources") or []
    if not isinstance(resources, list) or not all(isinstance(item, str) for item in resources):
        raise CheckError("resources must be a list of paths", Location(str(kustomization), None, "resources"))
    for reference in resources:
        if "://" in reference or reference.startswith("git@"):
            return True  # a remote resource: kustomize fetches it, or says why it cannot
        target = (kustomization.parent / reference).resolve()
        if not target.is_relative_to(root):
            raise CheckError(
                f"resource {reference!r} is outside {root}: validate reads only the folder it was given",
                Location(str(kustomization), None, "resources"),
            )
        if not target.exists():
            raise CheckError(
                f"resource {reference!r} does not exist", Location(str(kustomization), None, "resources")
            )
        nested = find_kustomization(target) if target.is_dir() else None
        if nested is not None:
            if _collect(nested, root, files, (*chain, folder)):
                return True
        elif target.is_dir():
            raise CheckError(
                f"resource {reference!r} is a folder without a kustomization",
                Location(str(kustomization), None, "resources"),
            )
        else:
            files.append(target)
    return False


def _read(kustomization: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(read_input(kustomization, error=CheckError, what="kustomization")) or {}
    except yaml.YAMLError as exc:
        raise CheckError(f"invalid kustomization: {exc}", Location(str(kustomization))) from None
    if not isinstance(data, dict):
        raise CheckError("a kustomization must be a mapping", Location(str(kustomization)))
    return data


def render_kustomization(folder: Path) -> str:
    """What ``kubectl kustomize folder`` (or ``kustomize build folder``) would apply."""
    if shutil.which("kubectl"):
        command = ["kubectl", "kustomize", str(folder)]
    elif shutil.which("kustomize"):
        command = ["kustomize", "build", str(folder)]
    else:
        raise CheckError(
            "this kustomization transforms its resources (patches, generators, components or remote "
            "resources): validating what it applies needs kubectl or kustomize on PATH, and neither is",
            Location(str(folder)),
        )
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=RENDER_TIMEOUT_S,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise CheckError(
            f"{' '.join(command[:2])} did not finish in {RENDER_TIMEOUT_S} s", Location(str(folder))
        ) from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["failed"])[-1].removeprefix("error: ")
        raise CheckError(f"{' '.join(command[:2])} failed: {reason}", Location(str(folder)))
    return done.stdout
