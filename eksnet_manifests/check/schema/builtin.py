"""Strict JSON Schemas of built-in kinds, read offline from the ``kubernetes-validate`` package.

The package ships one folder per Kubernetes minor (``v1.34.0-local-strict``): a file per kind
(``deployment-apps-v1.json``) whose ``$ref``s point into a shared ``_definitions.json``. We cut each
kind's schema loose from that file by copying in only the definitions it reaches.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from eksnet_manifests.check.documents import reference_problem
from eksnet_manifests.errors import CheckError

DEFS_PREFIX = "/api/_definitions.json#/$defs/"
LOCAL_PREFIX = "#/$defs/"
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
_VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.\d+-local-strict$")


def _parse_minor(kube_version: str) -> tuple[int, int]:
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?", kube_version.strip())
    if match is None:
        raise CheckError(f"Kubernetes version {kube_version!r} is not of the form 1.34")
    return int(match[1]), int(match[2])


def bundled_versions() -> dict[tuple[int, int], Path]:
    root = _package_folder("kubernetes_validate") / "kubernetes-json-schema"
    found = {}
    for folder in root.iterdir() if root.is_dir() else ():
        match = _VERSION_DIR.match(folder.name)
        if match:
            found[int(match[1]), int(match[2])] = folder
    return found


def _package_folder(name: str) -> Path:
    """Where an installed package's files are, found without importing it (kubernetes-validate's import
    loads jsonschema and its validators, which eksnet does not use)."""
    spec = importlib.util.find_spec(name)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(str(resources.files(name)))


@dataclass
class BuiltinSchemas:
    """Schemas of one Kubernetes minor version; ``note`` says when a nearby version stands in."""

    version: str
    folder: Path
    note: str | None = None
    _cache: dict[tuple[str, str], dict[str, Any] | None] = field(default_factory=dict, repr=False)

    @classmethod
    def for_version(cls, kube_version: str) -> BuiltinSchemas:
        wanted = _parse_minor(kube_version)
        versions = bundled_versions()
        usable = [v for v in versions if v <= wanted]
        if not usable:
            known = ", ".join(f"{a}.{b}" for a, b in sorted(versions)) or "none"
            raise CheckError(f"no built-in schemas for Kubernetes {kube_version} (bundled: {known})")
        chosen = max(usable)
        name = f"{chosen[0]}.{chosen[1]}"
        note = None
        if chosen != wanted:
            note = f"built-in schemas for Kubernetes {wanted[0]}.{wanted[1]} are not bundled; using {name}"
        return cls(name, versions[chosen], note)

    @cached_property
    def definitions(self) -> Mapping[str, Any]:
        with (self.folder / "_definitions.json").open(encoding="utf-8") as handle:
            return json.load(handle)["$defs"]

    def schema_for(self, api_version: str, kind: str) -> dict[str, Any] | None:
        """A self-contained schema for ``kind`` in ``api_version``, or None when it is not built in."""
        key = (api_version, kind)
        if key not in self._cache:
            self._cache[key] = self._load(api_version, kind)
        return self._cache[key]

    def _load(self, api_version: str, kind: str) -> dict[str, Any] | None:
        group, _, version = api_version.rpartition("/")
        if reference_problem(group, kind, version) is not None:
            return None  # the file name is built from these: never from "../.." or a slash
        file_group = f"-{group.split('.')[0]}" if group else ""
        path = self.folder / f"{kind.lower()}{file_group}-{version}.json"
        if not path.is_file():
            return None
        with path.open(encoding="utf-8") as handle:
            schema = json.load(handle)
        # File names keep only the group's first label; the full group must match too.
        gvks = schema.get("x-kubernetes-group-version-kind") or []
        wanted = {"group": group, "version": version, "kind": kind}
        if not any({k: g.get(k, "") for k in wanted} == wanted for g in gvks):
            return None
        return self.standalone(schema)

    def standalone(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        """``schema`` with local ``$ref``s and the definitions it reaches under ``$defs``."""
        local = _localise(schema)
        local.pop("$id", None)
        local["$defs"] = {name: _localise(self.definitions[name]) for name in self.reachable(schema)}
        return local

    def reachable(self, schema: Any) -> list[str]:
        seen: set[str] = set()
        pending = list(_refs(schema))
        while pending:
            name = pending.pop()
            if name not in seen:
                seen.add(name)
                pending.extend(_refs(self.definitions[name]))
        return sorted(seen)

    def object_meta_schema(self) -> dict[str, Any]:
        """ObjectMeta as a standalone schema: what the API server checks every ``metadata`` against."""
        return self.standalone({"$ref": LOCAL_PREFIX + OBJECT_META})


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref.rpartition("/")[2]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _localise(node: Any) -> Any:
    """Copy of schema ``node`` without descriptions, its refs pointing at the standalone ``#/$defs/...``."""
    if isinstance(node, dict):
        copy = {key: _localise(value) for key, value in node.items() if key != "description"}
        if isinstance(node.get("properties"), dict):
            copy["properties"] = {name: _localise(value) for name, value in node["properties"].items()}
        ref = copy.get("$ref")
        if isinstance(ref, str) and ref.startswith(DEFS_PREFIX):
            copy["$ref"] = LOCAL_PREFIX + ref[len(DEFS_PREFIX) :]
        return copy
    if isinstance(node, list):
        return [_localise(value) for value in node]
    return node
