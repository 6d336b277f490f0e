"""IngressGroups: the members that share one ALB, their order, and what they must agree on.

Conflicts are judged by the controller rule ``eksnet validate`` runs (``check.rules.ingress_groups``,
LBC v3.5.0 ``pkg/ingress``): exclusive settings must agree across the members that set them, key=value
maps per key, per-port settings per port. Each conflict is an error naming both Ingresses, at the
annotation of the later member. Members are ordered as LBC orders them (``group.order``, then
namespace/name; ``pkg/ingress/group_loader.go``), which lbc-migrate follows to place the Gateway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eksnet_manifests.check.lint.index import LintOptions, ObjectIndex
from eksnet_manifests.check.rules.ingress_groups import CONFLICT, check_ingress_groups
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.inputs import Inputs
from eksnet_manifests.migrate.report import Report, failed


@dataclass(frozen=True)
class Group:
    """Ingresses that share one load balancer: an IngressGroup, or one Ingress alone."""

    name: str
    explicit: bool
    members: tuple[Draft, ...]

    @property
    def namespace(self) -> str:
        """Where the Gateway goes: the first member's namespace."""
        return self.members[0].source.namespace

    @property
    def cross_namespace(self) -> bool:
        return len({member.source.namespace for member in self.members}) > 1


def partition(drafts: Sequence[Draft]) -> list[Group]:
    """Explicit groups by name, then each ungrouped Ingress alone, members in LBC's order."""
    explicit: dict[str, list[Draft]] = {}
    alone = []
    for draft in drafts:
        if draft.group_name:
            explicit.setdefault(draft.group_name, []).append(draft)
        else:
            alone.append(draft)
    groups = [
        Group(name, True, tuple(sorted(members, key=_member_order)))
        for name, members in sorted(explicit.items())
    ]
    groups += [Group(draft.source.name, False, (draft,)) for draft in sorted(alone, key=_member_order)]
    return groups


def _member_order(draft: Draft) -> tuple[int, str, str]:
    return (draft.group_order, draft.source.namespace, draft.source.name)


def report_conflicts(inputs: Inputs, report: Report) -> None:
    """An error entry per IngressGroup conflict, naming the Ingresses that disagree."""
    docs = [ingress.doc for ingress in inputs.alb_ingresses()]
    docs += [resource.doc for resource in (*inputs.classes.values(), *inputs.params.values())]
    by_ref = {(ingress.namespace, ingress.name): ingress for ingress in inputs.alb_ingresses()}
    for finding in check_ingress_groups(ObjectIndex(docs, {}), LintOptions()):
        ingress = by_ref.get((finding.namespace or "default", finding.name or ""))
        if ingress is None:
            continue
        outcome = failed(finding.message + f" [{CONFLICT if finding.rule == CONFLICT else finding.rule}]")
        report.add(ingress.source, finding.path or "metadata.annotations", outcome, outcome, finding.line)
