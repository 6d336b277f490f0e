"""Which schema an object is checked against: built-in kinds for one Kubernetes version, plus CRDs.

Built from CRD sources (files, directories, URLs) and CRD objects found in the input itself. Everything
is compiled on first use and cached per (apiVersion, kind): JSON Schema validators, structural trees
and (in ``cel``) CEL programs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from eksnet_manifests.check.cel.runtime import CelValidator
from eksnet_manifests.check.schema.builtin import BuiltinSchemas
from eksnet_manifests.check.schema.crds import CrdVersion, index_crds, is_crd, load_crd_documents
from eksnet_manifests.check.schema.formats import FORMAT_CHECKERS
from eksnet_manifests.check.schema.openapi import crd_schema_to_json_schema
from eksnet_manifests.check.schema.structural import Node, compile_node


@dataclass
class KindSchema:
    """The schema of one apiVersion and kind; ``crd`` and ``structural`` are set for custom resources."""

    api_version: str
    kind: str
    json_schema: dict[str, Any]
    crd: CrdVersion | None = None
    structural: Node | None = None

    @cached_property
    def validator(self) -> Any:
        import jsonschema_rs

        return jsonschema_rs.validator_for(
            self.json_schema,
            validate_formats=True,
            formats=FORMAT_CHECKERS,
            pattern_options=jsonschema_rs.RegexOptions(),
        )


@dataclass
class SchemaRegistry:
    builtins: BuiltinSchemas
    crds: dict[tuple[str, str], dict[str, CrdVersion]]
    notes: list[str] = field(default_factory=list)
    """Things worth telling the user that are not findings (e.g. which Kubernetes schemas stand in)."""
    cel: CelValidator = field(default_factory=CelValidator)
    _kinds: dict[tuple[str, str], KindSchema | None] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        kube_version: str,
        crd_sources: Sequence[str] = (),
        extra_crds: Sequence[Mapping[str, Any]] = (),
        pinned_crds: Sequence[tuple[Mapping[str, Any], str]] = (),
    ) -> SchemaRegistry:
        """Built-ins of ``kube_version``, the ``pinned_crds`` of the pinned releases (with their source),
        then CRDs from ``crd_sources``, then ``extra_crds``; a later CRD of a group and kind wins."""
        builtins = BuiltinSchemas.for_version(kube_version)
        loaded = list(pinned_crds)
        loaded += [
            (doc.obj, f"{doc.origin.file}:{doc.origin.line}") for doc in load_crd_documents(crd_sources)
        ]
        loaded += [(crd, "<input>") for crd in extra_crds if is_crd(crd)]
        registry = cls(builtins, index_crds(loaded))
        if builtins.note:
            registry.notes.append(builtins.note)
        return registry

    def has_schema(self, api_version: str, kind: str) -> bool:
        return self.lookup(api_version, kind) is not None

    def lookup(self, api_version: str, kind: str) -> KindSchema | None:
        key = (api_version, kind)
        if key not in self._kinds:
            self._kinds[key] = self._resolve(api_version, kind)
        return self._kinds[key]

    def missing_reason(self, api_version: str, kind: str) -> str:
        group, _, version = api_version.rpartition("/")
        versions = self.crds.get((group, kind))
        if versions:
            crd = next(iter(versions.values()))
            served = ", ".join(sorted(v.version for v in versions.values() if v.served)) or "none"
            if version in versions and versions[version].schema is None:
                return f"CRD {crd.name} has no schema for version {version}"
            return f"CRD {crd.name} does not serve version {version} (served: {served})"
        return (
            f"no schema for {kind} in {api_version}: not a built-in kind of Kubernetes "
            f"{self.builtins.version} and no CRD given for it (use --crds, or --profile for the CRDs of "
            "its pinned releases)"
        )

    def _resolve(self, api_version: str, kind: str) -> KindSchema | None:
        group, _, version = api_version.rpartition("/")
        crd = self.crds.get((group, kind), {}).get(version)
        if crd is not None:
            if not crd.served or crd.schema is None:
                return None
            json_schema = crd_schema_to_json_schema(crd.schema, metadata=self.builtins.object_meta_schema())
            return KindSchema(api_version, kind, json_schema, crd, compile_node(crd.schema))
        if (group, kind) in self.crds:
            return None
        builtin = self.builtins.schema_for(api_version, kind)
        return KindSchema(api_version, kind, builtin) if builtin is not None else None
