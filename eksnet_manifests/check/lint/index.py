"""What every lint receives: one index of the documents by group, kind, namespace and name, and the options.

Also the Lint type and the two ways a lint reports (about an object, about a values file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity, finding_about
from eksnet_manifests.check.lint.values import ChartValues, chart_values
from eksnet_manifests.check.pins import ServedApis

T = TypeVar("T")
CORE = ""
GATEWAY_GROUP = "gateway.networking.k8s.io"
NETWORKING_GROUP = "networking.k8s.io"
LBC_GATEWAY_GROUP = "gateway.k8s.aws"

# Kinds the lints look up that have no namespace; everything else defaults to "default" when unset.
CLUSTER_SCOPED = frozenset(
    {
        (CORE, "Namespace"),
        (GATEWAY_GROUP, "GatewayClass"),
        (NETWORKING_GROUP, "IngressClass"),
        ("elbv2.k8s.aws", "IngressClassParams"),
    }
)


@dataclass(frozen=True)
class LintOptions:
    whole_set: bool = False
    """The documents are every object that will exist (``--strict``, or ``eksnet gen`` checking its own
    output). A reference to an object outside the set is then an error; otherwise the set may be partial and
    it is a warning."""
    served: ServedApis = field(default_factory=ServedApis)
    """The API versions the cluster serves (from the pinned releases or the CRDs given), for the rules
    that judge what a controller can watch."""


class ObjectKey(NamedTuple):
    group: str
    kind: str
    namespace: str
    name: str


def namespace_of(doc: Document) -> str:
    """The namespace the object lives in: "" when cluster-scoped, "default" when unset."""
    if (doc.group, doc.kind) in CLUSTER_SCOPED:
        return ""
    return doc.namespace or "default"


class ObjectIndex:
    """The input documents by key and by kind, plus the chart values (``values[chart]``) when given."""

    def __init__(self, docs: Sequence[Document], values: Mapping[str, Mapping[str, Any]]) -> None:
        self.documents = tuple(docs)
        self.values: Mapping[str, ChartValues] = MappingProxyType(
            {chart: chart_values(chart, data) for chart, data in values.items()}
        )
        self._by_key: dict[ObjectKey, Document] = {}
        self._by_kind: dict[tuple[str, str], list[Document]] = {}
        self._by_namespace: dict[tuple[str, str, str], list[Document]] = {}
        self.duplicates: list[tuple[Document, Document]] = []
        """(first, repeated) pairs of documents that share a key; lookups see the first."""
        self.notes: list[str] = []
        """What a check could not judge and why, for the user (not findings)."""
        self._memo: dict[str, Any] = {}
        for doc in self.documents:
            self._by_kind.setdefault((doc.group, doc.kind), []).append(doc)
            self._by_namespace.setdefault((doc.group, doc.kind, namespace_of(doc)), []).append(doc)
            if doc.name is None:
                continue
            key = ObjectKey(doc.group, doc.kind, namespace_of(doc), doc.name)
            first = self._by_key.setdefault(key, doc)
            if first is not doc:
                self.duplicates.append((first, doc))

    def memo(self, key: str, compute: Callable[[ObjectIndex], T]) -> T:
        """``compute(self)``, once per index: for facts several checks derive from all documents."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        result: T = self._memo[key]
        return result

    def get(self, group: str, kind: str, namespace: str, name: str) -> Document | None:
        if (group, kind) in CLUSTER_SCOPED:
            namespace = ""
        return self._by_key.get(ObjectKey(group, kind, namespace, name))

    def of_kind(self, group: str, *kinds: str) -> list[Document]:
        """Documents of the given kinds, kind by kind, each in input order."""
        return [doc for kind in kinds for doc in self._by_kind.get((group, kind), ())]

    def in_namespace(self, group: str, kind: str, namespace: str) -> list[Document]:
        return self._by_namespace.get((group, kind, namespace), [])


LintCheck = Callable[[ObjectIndex, LintOptions], Iterable[Finding]]


@dataclass(frozen=True)
class Lint:
    """A named check over the whole index; ``rules`` are the finding rule ids it may report."""

    id: str
    rules: tuple[str, ...]
    check: LintCheck

    def __call__(self, index: ObjectIndex, opts: LintOptions) -> Iterable[Finding]:
        return self.check(index, opts)


def missing_severity(opts: LintOptions) -> Severity:
    """Severity of a reference to an object absent from the input (see LintOptions.whole_set)."""
    return Severity.ERROR if opts.whole_set else Severity.WARNING


object_finding = finding_about


def values_finding(
    values: ChartValues, keys: tuple[str, ...], rule: str, severity: Severity, message: str
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        file=values.file,
        line=values.line_of(keys),
        path=".".join(keys),
    )


def object_ref(doc: Document) -> str:
    """``Kind ns/name`` for messages."""
    ns = namespace_of(doc)
    return f"{doc.kind} {ns}/{doc.name}" if ns else f"{doc.kind} {doc.name}"


def some_objects(docs: Sequence[Document], shown: int = 3) -> str:
    """``N object(s): Kind ns/a, Kind ns/b, ...`` naming each object once, for findings about many objects."""
    refs = list(dict.fromkeys(object_ref(doc) for doc in docs))
    more = ", ..." if len(refs) > shown else ""
    return f"{len(refs)} object(s): {', '.join(refs[:shown])}{more}"
