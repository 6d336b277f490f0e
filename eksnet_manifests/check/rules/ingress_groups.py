"""IngressGroups as the AWS Load Balancer Controller merges them (LBC v3.5.0 ``pkg/ingress``).

Ingresses naming the same ``alb.ingress.kubernetes.io/group.name`` share one ALB. Settings of the load
balancer itself must agree across the members that set them; per listen port, protocol, inbound CIDRs and
SSL policy must agree; listen ports, certificates and rules are merged. A conflict fails the whole group:
LBC reconciles none of its Ingresses until it is resolved.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.fields import annotation_path, annotations, as_map, as_str, dig
from eksnet_manifests.check.lint.index import (
    NETWORKING_GROUP,
    Lint,
    LintOptions,
    ObjectIndex,
    object_finding,
    object_ref,
)
from eksnet_manifests.check.rules.annotation_keys import GO_TRUE
from eksnet_manifests.check.rules.annotations import ALB, listen_ports, string_list, string_map
from eksnet_manifests.versions import lbc_annotations as catalogue
from eksnet_manifests.versions.lbc_annotations import BOOLEAN, LIST, MAP, STRING

CONFLICT = "ingress-group-conflict"
INVALID = "ingress-group-invalid"

PREFIX = ALB
GROUP_NAME = PREFIX + "group.name"
GROUP_ORDER = PREFIX + "group.order"
LISTEN_PORTS = PREFIX + "listen-ports"
# Merge behaviour per annotation, from the catalogue (pkg/ingress/model_build_*.go, LBC v3.5.0):
# exclusive settings of the load balancer must agree across the members that set them; key=value maps
# are merged and one key with two values is a conflict; some settings are decided per listen port.
_ENTRIES = [entry for entry in catalogue.of_family("ingress") if entry.pattern is None]
EXCLUSIVE = tuple(entry.key.removeprefix(PREFIX) for entry in _ENTRIES if entry.scope == "exclusive")
MERGED_MAPS = tuple(
    entry.key.removeprefix(PREFIX) for entry in _ENTRIES if entry.scope == "merged" and entry.value == MAP
)
PER_PORT = tuple(
    entry.key.removeprefix(PREFIX)
    for entry in _ENTRIES
    if entry.scope == "per-port" and entry.value in (LIST, STRING)
)
_VALUE_TYPES = {entry.key.removeprefix(PREFIX): entry.value for entry in _ENTRIES}
# IngressClassParams fields that replace a member's annotation (class settings win).
CLASS_PARAMS = {
    "scheme": "scheme",
    "ip-address-type": "ipAddressType",
    "load-balancer-name": "loadBalancerName",
}
GROUP_NAME_MAX = 63
ORDER_RANGE = (-1000, 1000)


@dataclass(frozen=True)
class Member:
    ingress: Document
    settings: Mapping[str, str]
    """Effective value per annotation suffix (IngressClassParams applied)."""


def check_ingress_groups(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    groups: dict[str, list[Member]] = {}
    for ingress in index.of_kind(NETWORKING_GROUP, "Ingress"):
        notes = annotations(ingress.obj)
        name = as_str(notes.get(GROUP_NAME))
        if name is None:
            continue
        yield from _invalid_membership(ingress, name, notes)
        groups.setdefault(name, []).append(Member(ingress, _settings(index, ingress)))
    for name, members in sorted(groups.items()):
        if len(members) > 1:
            yield from _conflicts(name, members)


def _invalid_membership(ingress: Document, name: str, notes: Mapping[str, Any]) -> Iterator[Finding]:
    # pkg/ingress/group_loader.go validateGroupName and sortGroupMembers (LBC v3.5.0).
    if len(name) > GROUP_NAME_MAX or not re.match(r"^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$", name):
        message = (
            f"group name {name!r} is invalid (lower-case alphanumerics, '-' and '.', at most "
            f"{GROUP_NAME_MAX}): "
            "LBC rejects the Ingress as an invalid ingress group"
        )
        yield object_finding(ingress, INVALID, Severity.ERROR, message, annotation_path(GROUP_NAME))
    order = as_str(notes.get(GROUP_ORDER))
    if order is not None:
        low, high = ORDER_RANGE
        if not order.lstrip("-").isdigit() or not low <= int(order) <= high:
            message = f"group.order {order!r} must be an integer within [{low}, {high}]: LBC fails the group"
            yield object_finding(ingress, INVALID, Severity.ERROR, message, annotation_path(GROUP_ORDER))


def _settings(index: ObjectIndex, ingress: Document) -> dict[str, str]:
    notes = annotations(ingress.obj)
    settings = {key[len(PREFIX) :]: str(value) for key, value in notes.items() if str(key).startswith(PREFIX)}
    params = _class_params(index, ingress)
    for suffix, field in CLASS_PARAMS.items():
        if as_str(params.get(field)):
            settings[suffix] = str(params[field])
    return settings


def _class_params(index: ObjectIndex, ingress: Document) -> Mapping[str, Any]:
    class_name = as_str(dig(ingress.obj, "spec", "ingressClassName"))
    ingress_class = index.get(NETWORKING_GROUP, "IngressClass", "", class_name) if class_name else None
    ref = as_map(dig(ingress_class.obj, "spec", "parameters")) if ingress_class else {}
    if ref.get("kind") != "IngressClassParams" or not as_str(ref.get("name")):
        return {}
    params = index.get("elbv2.k8s.aws", "IngressClassParams", "", str(ref["name"]))
    return as_map(params.obj.get("spec")) if params else {}


def _conflicts(group: str, members: Sequence[Member]) -> Iterator[Finding]:
    for suffix in EXCLUSIVE:
        setters = [(m, _normalised(suffix, m.settings[suffix])) for m in members if suffix in m.settings]
        yield from _disagreement(group, suffix, setters)
    for suffix in MERGED_MAPS:
        by_key: dict[str, list[tuple[Member, str]]] = {}
        for member in members:
            for key, value in string_map(member.settings.get(suffix)).items():
                by_key.setdefault(key, []).append((member, value))
        for key, setters in sorted(by_key.items()):
            yield from _disagreement(group, f"{suffix} {key}", setters, annotation=suffix)
    yield from _port_conflicts(group, members)


def _port_conflicts(group: str, members: Sequence[Member]) -> Iterator[Finding]:
    by_port: dict[int, list[tuple[Member, str]]] = {}
    for member in members:
        ports = listen_ports({PREFIX + key: value for key, value in member.settings.items()}) or {}
        for port, protocol in ports.items():
            by_port.setdefault(port, []).append((member, protocol))
    for port, listeners in sorted(by_port.items()):
        yield from _disagreement(
            group, f"listen-ports protocol of port {port}", listeners, annotation="listen-ports"
        )
        sharing = [member for member, _ in listeners]
        for suffix in PER_PORT:
            if suffix == "ssl-policy" and all(protocol != "HTTPS" for _, protocol in listeners):
                continue
            setters = [(m, _normalised(suffix, m.settings[suffix])) for m in sharing if suffix in m.settings]
            yield from _disagreement(group, f"{suffix} of port {port}", setters, annotation=suffix)


def _disagreement(
    group: str, what: str, setters: Sequence[tuple[Member, str]], annotation: str | None = None
) -> Iterator[Finding]:
    values = {value for _, value in setters}
    if len(values) < 2:
        return
    first_value = setters[0][1]
    shown = ", ".join(f"{value!r} on {object_ref(m.ingress)}" for m, value in setters)
    for member, value in setters[1:]:
        if value == first_value:
            continue
        message = (
            f"IngressGroup {group}: conflicting {what} ({shown}): LBC fails to reconcile the whole group, so "
            f"none of its Ingresses is updated. Set the same value on every member, or on one member only"
        )
        path = annotation_path(PREFIX + (annotation or what))
        yield object_finding(member.ingress, CONFLICT, Severity.ERROR, message, path)


def _normalised(suffix: str, value: str) -> str:
    """The value as LBC compares it: lists as sets, maps by key, booleans parsed."""
    kind = _VALUE_TYPES.get(suffix)
    if kind == LIST:
        return ",".join(sorted(set(string_list(value))))
    if kind == MAP:
        return ",".join(f"{key}={item}" for key, item in sorted(string_map(value).items()))
    if kind == BOOLEAN:
        return str(value.strip() in GO_TRUE).lower()
    return value.strip()


INGRESS_GROUPS = Lint("ingress-groups", (CONFLICT, INVALID), check_ingress_groups)
