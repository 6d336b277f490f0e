"""Validate manifests as the API server would on create: schema, defaults, list keys, then CEL rules.

``validate_documents`` checks each object on its own; ``validate_paths`` (what ``eksnet validate`` runs)
also loads the files, takes CRDs found in them, and adds the cross-resource lints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from eksnet_manifests.check.cel.cost import CostBudget
from eksnet_manifests.check.cel.runtime import RuleOutcome
from eksnet_manifests.check.documents import Document, expand_lists, load_inputs
from eksnet_manifests.check.findings import Finding, Severity, finding_about, sort_findings
from eksnet_manifests.check.parallel import map_forked, split_evenly
from eksnet_manifests.check.pins import served_apis
from eksnet_manifests.check.schema.builtin_rules import check_builtin
from eksnet_manifests.check.schema.crds import is_crd
from eksnet_manifests.check.schema.messages import blocks_cel, describe, render_path
from eksnet_manifests.check.schema.objectmeta import check_metadata
from eksnet_manifests.check.schema.registry import KindSchema, SchemaRegistry
from eksnet_manifests.check.schema.structural import prepare
from eksnet_manifests.check.values_files import LBC, classify_values_file
from eksnet_manifests.errors import CheckError
from eksnet_manifests.versions.pins import Pins

if TYPE_CHECKING:
    from eksnet_manifests.check.schema.crd_cache import CrdSet

DEFAULT_KUBE_VERSION = "1.34"
CEL_SKIPPED = (
    "some validation rules were not checked because the object was invalid; "
    "correct the existing errors to complete validation"
)


@dataclass(frozen=True)
class ValidateOptions:
    cel: bool = True
    """Evaluate ``x-kubernetes-validations`` rules of CRDs."""
    ignore_missing_schemas: bool = False
    """Skip objects whose kind has no schema instead of reporting ``schema-missing``."""


class _Reporter:
    """Findings about one document, all carrying its position and identity."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.findings: list[Finding] = []

    def add(self, rule: str, message: str, path: str = "", severity: Severity = Severity.ERROR) -> None:
        self.findings.append(finding_about(self.doc, rule, severity, message, path))


def validate_documents(
    docs: Sequence[Document], registry: SchemaRegistry, opts: ValidateOptions
) -> list[Finding]:
    """Every finding about every document, sorted."""
    findings: list[Finding] = []
    for doc in docs:
        try:
            findings.extend(validate_document(doc, registry, opts))
        except RecursionError:
            findings.append(
                finding_about(doc, "invalid-document", Severity.ERROR, "object nested too deeply")
            )
    return sort_findings(findings)


PARALLEL_FROM = 500
"""Objects from which validation is split over several processes."""


def validate_in_parts(
    docs: Sequence[Document], registry: SchemaRegistry, opts: ValidateOptions, workers: int
) -> list[Finding]:
    """``validate_documents``, by ``workers`` processes for many objects (each compiles what it meets)."""
    parts = split_evenly([1] * len(docs), workers if len(docs) >= PARALLEL_FROM else 1)
    found = map_forked(
        lambda index: validate_documents(docs[parts[index].start : parts[index].stop], registry, opts),
        len(parts),
    )
    return sort_findings([finding for part in found for finding in part])


def validate_document(doc: Document, registry: SchemaRegistry, opts: ValidateOptions) -> list[Finding]:
    report = _Reporter(doc)
    for key, line in doc.duplicate_keys:
        report.add("duplicate-key", f'mapping key "{key}" already set (line {line})')
    if not doc.api_version or not doc.kind:
        missing = " and ".join(f for f, v in (("apiVersion", doc.api_version), ("kind", doc.kind)) if not v)
        report.add("invalid-document", f"{missing} must be set on a Kubernetes object")
        return report.findings
    schema = registry.lookup(doc.api_version, doc.kind)
    if schema is None:
        if not opts.ignore_missing_schemas:
            report.add("schema-missing", registry.missing_reason(doc.api_version, doc.kind))
        return report.findings
    for path, message in check_metadata(doc.group, doc.kind, doc.obj.get("metadata")):
        report.add("metadata", message, path)
    _check_object(doc.obj, schema, registry, opts, report)
    return report.findings


def _check_object(
    obj: Mapping[str, Any],
    schema: KindSchema,
    registry: SchemaRegistry,
    opts: ValidateOptions,
    report: _Reporter,
) -> None:
    prepared = None
    if schema.crd is not None and schema.structural is not None:
        if schema.crd.deprecation:
            report.add("deprecated-api", schema.crd.deprecation, severity=Severity.WARNING)
        if schema.crd.status_subresource and "status" in obj:
            # With a status subresource the API server drops status on create.
            obj = {key: value for key, value in obj.items() if key != "status"}
        prepared = prepare(obj, schema.structural)
        obj = prepared.value
        for problem in prepared.problems:
            report.add("list-duplicate", problem.message, render_path(problem.path))
    try:
        validator = schema.validator
    except ValueError as exc:
        # jsonschema-rs checks the schema against its meta-schema first: a pattern RE2 rejects or a
        # malformed keyword. The API server refuses such a CRD, so its objects cannot be checked.
        where = ".".join(str(part) for part in getattr(exc, "instance_path", ()))
        detail = getattr(exc, "message", str(exc)).splitlines()[0] + (f" at {where}" if where else "")
        report.add(
            "crd-schema-invalid",
            f"the CRD's schema for {report.doc.kind} cannot be used ({detail}); "
            "the API server would refuse the CRD, so this object was not checked",
        )
        return
    blocked = False
    for error in validator.iter_errors(obj):
        blocked = blocked or blocks_cel(error)
        for rule, path, message in describe(error):
            report.add(rule, message, path)
    if schema.crd is None:
        for path, message in check_builtin(report.doc.group, report.doc.kind, obj):
            report.add("validation", message, path)
    if opts.cel and prepared is not None and prepared.checkpoints:
        if blocked:
            report.add("cel-skipped", CEL_SKIPPED, severity=Severity.WARNING)
            return
        budget = CostBudget()  # the API server's runtime budget is per object
        for point in prepared.checkpoints:
            for outcome in registry.cel.check(point, budget):
                _report_rule(outcome, report)


def _report_rule(outcome: RuleOutcome, report: _Reporter) -> None:
    if outcome.unsupported:
        message = f"{outcome.message} (rule: {outcome.rule.rule})"
        report.add("cel-unsupported", message, render_path(outcome.path), Severity.WARNING)
    elif outcome.over_budget:
        message = f"{outcome.message} (rule: {outcome.rule.rule})"
        report.add("cel-cost", message, render_path(outcome.path), Severity.WARNING)
    else:
        report.add("cel", outcome.message, render_path(outcome.path))


@dataclass(frozen=True)
class Checked:
    """What a validation run read: the files, and the objects by kind."""

    files: tuple[str, ...]
    kinds: Mapping[str, int]

    @property
    def objects(self) -> int:
        return sum(self.kinds.values())

    def summary(self) -> str:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.kinds.items()))
        files = f"{len(self.files)} file{'s' if len(self.files) != 1 else ''}"
        objects = f"{self.objects} object{'s' if self.objects != 1 else ''}"
        return f"checked {files}, {objects}" + (f" ({kinds})" if kinds else "")


@dataclass(frozen=True)
class Validation:
    findings: list[Finding]
    checked: Checked
    notes: list[str]


def validate_paths(
    paths: Sequence[str | Path],
    opts: ValidateOptions,
    kube_version: str = DEFAULT_KUBE_VERSION,
    crd_sources: Sequence[str] = (),
    *,
    stdin: TextIO | None = None,
    strict: bool = False,
    pins: Pins | None = None,
    vendored: Mapping[CrdSet, Sequence[Mapping[str, Any]]] | None = None,
    workers: int = 1,
) -> Validation:
    """Load ``paths``, validate every object (CRDs in the input count as schemas, ``List`` items count as
    objects) and run the lints and controller rules.

    Helm values files of the charts the lints know (``*aws-load-balancer-controller*.values.yaml``) are
    handed to the lints rather than validated as objects. A file that does not parse is a finding of
    that file and the others are still checked. ``strict`` tells the lints the input is the whole set
    of objects. Custom resources are checked against the CRDs of the ``pins`` (the LBC release also
    from the LBC values' ``image.tag``), from the CRD cache (else ``vendored``, a generated tree's own copy),
    then ``crd_sources`` and the input's CRDs. ``workers`` processes parse and validate large inputs.
    """
    inputs = load_inputs(paths, stdin, workers=workers)
    return validate_loaded(
        inputs.documents,
        opts,
        kube_version,
        crd_sources,
        strict=strict,
        pins=pins,
        files=tuple(inputs.files),
        unparsed=inputs.unparsed,
        vendored=vendored,
        workers=workers,
    )


def validate_loaded(
    documents: Sequence[Document],
    opts: ValidateOptions,
    kube_version: str = DEFAULT_KUBE_VERSION,
    crd_sources: Sequence[str] = (),
    *,
    strict: bool = False,
    pins: Pins | None = None,
    files: tuple[str, ...] = (),
    unparsed: Sequence[CheckError] = (),
    vendored: Mapping[CrdSet, Sequence[Mapping[str, Any]]] | None = None,
    workers: int = 1,
) -> Validation:
    """``validate_paths`` on documents already loaded (or built in memory), ``unparsed`` files as findings."""
    from eksnet_manifests.check.lint import LintOptions, image_tag, values_from_documents
    from eksnet_manifests.check.rules import run_checks
    from eksnet_manifests.check.schema.crd_cache import crd_groups, pinned_crds

    documents = expand_lists(documents)
    values_docs = [doc for doc in documents if classify_values_file(doc.origin.file)]
    objects = [doc for doc in documents if not classify_values_file(doc.origin.file)]
    values = values_from_documents((doc.origin.file, doc.obj) for doc in values_docs)
    lbc_values = values.get(LBC)
    pins = (pins or Pins()).with_lbc(image_tag(lbc_values) if lbc_values is not None else None)
    pinned, pinned_notes = pinned_crds(pins, crd_groups([doc.obj for doc in objects]), vendored=vendored)
    registry = SchemaRegistry.build(kube_version, crd_sources, _crds_in(objects), pinned_crds=pinned)
    notes = [*registry.notes, *pinned_notes]
    findings = [
        Finding(
            "yaml-syntax",
            Severity.ERROR,
            error.message,
            error.location.file or "<input>",
            None,
            error.location.line,
        )
        for error in unparsed
    ]
    findings += validate_in_parts(objects, registry, opts, workers)
    served = served_apis(pins, served_by_crds(registry))
    findings += run_checks(objects, LintOptions(whole_set=strict, served=served), values, notes, workers)
    checked = Checked(files, Counter(doc.kind or "(no kind)" for doc in objects))
    return Validation(sort_findings(findings), checked, notes)


def served_by_crds(registry: SchemaRegistry) -> dict[tuple[str, str], list[str]]:
    """(group, kind) -> served versions of every CRD the registry holds."""
    return {key: [v for v, crd in versions.items() if crd.served] for key, versions in registry.crds.items()}


def _crds_in(docs: Iterable[Document]) -> list[Mapping[str, Any]]:
    return [doc.obj for doc in docs if is_crd(doc.obj)]
