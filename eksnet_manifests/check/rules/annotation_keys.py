"""LBC annotation keys as the pinned controller reads them (the catalogue ``versions.lbc_annotations``).

LBC ignores a key it does not know, a key it reads from the other kind of object, and a key of a later
release, so the setting silently does not happen; it fails the object on a boolean or integer value it
cannot parse (``pkg/annotations/parser.go``, LBC v3.5.0). Service keys under
``service.beta.kubernetes.io/aws-load-balancer-`` are judged only on Services LBC reconciles: the
in-tree cloud provider reads others of that prefix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.fields import annotation_path, annotations, as_str, dig
from eksnet_manifests.check.lint.index import (
    CORE,
    NETWORKING_GROUP,
    Lint,
    LintOptions,
    ObjectIndex,
    object_finding,
)
from eksnet_manifests.check.lint.values import image_tag
from eksnet_manifests.check.values_files import LBC
from eksnet_manifests.versions import lbc_annotations as catalogue
from eksnet_manifests.versions.lbc import PRODUCT, RELEASES
from eksnet_manifests.versions.lbc_annotations import BOOLEAN, INTEGER, NLB_PREFIX, Annotation

UNKNOWN = "lbc-annotation-unknown"
WRONG_KIND = "lbc-annotation-wrong-kind"
UNREAD = "lbc-annotation-unread"
DEPRECATED = "lbc-annotation-deprecated"
VALUE = "lbc-annotation-value"

LBC_SERVICE_CLASS = "service.k8s.aws/nlb"
# strconv.ParseBool and ParseInt, which ParseBoolAnnotation and ParseInt64Annotation call.
GO_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
GO_BOOLEANS = GO_TRUE | {"0", "f", "F", "FALSE", "false", "False"}
_GO_INTEGER = re.compile(r"[+-]?[0-9]+")
INT64 = 2**63


def check_annotation_keys(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    release = opts.served.lbc_version or _values_release(index)
    unjudged: set[str] = set()
    for doc in (*index.of_kind(NETWORKING_GROUP, "Ingress"), *index.of_kind(CORE, "Service")):
        notes = annotations(doc.obj)
        lbc_service = doc.kind == "Service" and _reconciled_by_lbc(doc.obj, notes)
        for key, value in notes.items():
            family = catalogue.family_of(str(key))
            if family is None or (family == "service" and doc.kind == "Service" and not lbc_service):
                continue
            entry = catalogue.lookup(str(key))
            if entry is None:
                yield _unknown(doc, str(key))
                continue
            yield from _misplaced(doc, entry, str(key))
            if release is None:
                if not catalogue.reads(entry, RELEASES[0]):
                    unjudged.add(str(key))
            elif not catalogue.reads(entry, release):
                message = (
                    f"{PRODUCT} {release} does not read {key} (first read by {entry.since}): the setting has "
                    f"no effect. Pin {entry.since} or newer (loadBalancerController.version), or remove it"
                )
                yield object_finding(doc, UNREAD, Severity.ERROR, message, annotation_path(str(key)))
            yield from _value_problem(doc, entry, str(key), value)
    if unjudged:
        index.notes.append(
            f"the {PRODUCT} release is unknown (no profile and no values image.tag), so whether it reads "
            f"{', '.join(sorted(unjudged))} was not checked"
        )


def _values_release(index: ObjectIndex) -> str | None:
    values = index.values.get(LBC)
    return image_tag(values) if values is not None else None


def _reconciled_by_lbc(service: Mapping[str, Any], notes: Mapping[str, Any]) -> bool:
    # pkg/service/service_utils.go IsServiceSupported (LBC v3.5.0): the class, else the legacy type.
    load_balancer_class = as_str(dig(service, "spec", "loadBalancerClass"))
    if load_balancer_class is not None:
        return load_balancer_class == LBC_SERVICE_CLASS
    kind = as_str(notes.get(NLB_PREFIX + "type"))
    return kind == "nlb-ip" or (
        kind == "external" and as_str(notes.get(NLB_PREFIX + "nlb-target-type")) in ("ip", "instance")
    )


def _unknown(doc: Document, key: str) -> Finding:
    nearest = catalogue.nearest(key)
    hint = f"; did you mean {nearest}?" if nearest else ""
    message = f"{PRODUCT} reads no annotation {key}, so it has no effect{hint}"
    return object_finding(doc, UNKNOWN, Severity.WARNING, message, annotation_path(key))


def _misplaced(doc: Document, entry: Annotation, key: str) -> Iterator[Finding]:
    if doc.kind not in entry.read_from:
        message = (
            f"{PRODUCT} reads {key} from {' and '.join(entry.read_from)} objects only: on this {doc.kind} "
            "it has no effect"
        )
        yield object_finding(doc, WRONG_KIND, Severity.WARNING, message, annotation_path(key))
    if entry.replaced_by:
        message = f"{key} is deprecated: use {entry.replaced_by}, which LBC reads first"
        yield object_finding(doc, DEPRECATED, Severity.WARNING, message, annotation_path(key))


def _value_problem(doc: Document, entry: Annotation, key: str, value: Any) -> Iterator[Finding]:
    text = str(value)
    if entry.value == BOOLEAN and text not in GO_BOOLEANS:
        problem = f"{key} must be true or false, not {text!r}"
    elif (
        entry.value == INTEGER
        and not entry.choices
        and (not _GO_INTEGER.fullmatch(text) or not -INT64 <= int(text) < INT64)
    ):
        problem = f"{key} must be a whole number, not {text!r}"
    else:
        return
    # pkg/annotations/parser.go ParseBoolAnnotation / ParseInt64Annotation (LBC v3.5.0).
    message = f"{problem}: LBC fails to parse it and does not reconcile the {doc.kind}"
    yield object_finding(doc, VALUE, Severity.ERROR, message, annotation_path(key))


ANNOTATION_KEYS = Lint(
    "lbc-annotation-keys", (UNKNOWN, WRONG_KIND, UNREAD, DEPRECATED, VALUE), check_annotation_keys
)
