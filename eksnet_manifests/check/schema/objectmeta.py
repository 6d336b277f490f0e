"""The API server's checks of ``metadata`` that no JSON Schema carries (apimachinery ValidateObjectMeta).

Names must suit their kind (DNS subdomain for most, DNS-1035 label for Services, DNS-1123 label for
Namespaces, path segment for RBAC objects); label keys and values and annotation keys must be
qualified names; annotations may not exceed 256 KiB in total.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL = re.compile(rf"^{_LABEL}$")
_DNS1123_SUBDOMAIN = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
ANNOTATIONS_MAX_BYTES = 256 * 1024

RBAC_GROUP = "rbac.authorization.k8s.io"


def dns1123_subdomain(value: str) -> str | None:
    if len(value) > 253:
        return "must be no more than 253 characters"
    if not _DNS1123_SUBDOMAIN.match(value):
        return (
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
            "and must start and end with an alphanumeric character"
        )
    return None


def dns1123_label(value: str) -> str | None:
    if len(value) > 63:
        return "must be no more than 63 characters"
    if not _DNS1123_LABEL.match(value):
        return (
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
            "and must start and end with an alphanumeric character"
        )
    return None


def dns1035_label(value: str) -> str | None:
    if len(value) > 63:
        return "must be no more than 63 characters"
    if not _DNS1035_LABEL.match(value):
        return (
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
            "alphabetic character, and end with an alphanumeric character"
        )
    return None


def path_segment(value: str) -> str | None:
    if value in (".", ".."):
        return f"may not be '{value}'"
    if "/" in value or "%" in value:
        return "may not contain '/' or '%'"
    return None


def qualified_name(value: str) -> str | None:
    prefix, slash, name = value.rpartition("/")
    if slash and (not prefix or dns1123_subdomain(prefix)):
        return "prefix part must be a lowercase RFC 1123 subdomain"
    if not name or len(name) > 63:
        return "name part must be non-empty and no more than 63 characters"
    if not _QUALIFIED_NAME.match(name):
        return (
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
            "with an alphanumeric character"
        )
    return None


def label_value(value: str) -> str | None:
    if len(value) > 63:
        return "must be no more than 63 characters"
    if not _LABEL_VALUE.match(value):
        return (
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
            "and must start and end with an alphanumeric character"
        )
    return None


NAME_RULES: dict[tuple[str, str], Callable[[str], str | None]] = {
    ("", "Service"): dns1035_label,
    ("", "Namespace"): dns1123_label,
    **{
        (RBAC_GROUP, kind): path_segment
        for kind in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
    },
}


def check_metadata(group: str, kind: str, metadata: Any) -> Iterator[tuple[str, str]]:
    """``(path, message)`` for every problem in an object's metadata."""
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, Mapping):
        return
    name = metadata.get("name")
    if not name and not metadata.get("generateName"):
        yield "metadata.name", "Required value: name or generateName is required"
    elif isinstance(name, str) and name:
        problem = NAME_RULES.get((group, kind), dns1123_subdomain)(name)
        if problem:
            yield "metadata.name", f'Invalid value: "{name}": {problem}'
    namespace = metadata.get("namespace")
    if isinstance(namespace, str) and namespace and (problem := dns1123_label(namespace)):
        yield "metadata.namespace", f'Invalid value: "{namespace}": {problem}'
    yield from _labels(metadata.get("labels"))
    yield from _annotations(metadata.get("annotations"))


def _labels(labels: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(labels, Mapping):
        return
    for key, value in labels.items():
        if problem := qualified_name(key):
            yield f"metadata.labels[{key}]", f'Invalid value: "{key}": {problem}'
        if isinstance(value, str) and (problem := label_value(value)):
            yield f"metadata.labels[{key}]", f'Invalid value: "{value}": {problem}'


def _annotations(annotations: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(annotations, Mapping):
        return
    total = 0
    for key, value in annotations.items():
        total += len(key) + (len(value) if isinstance(value, str) else 0)
        if problem := qualified_name(key.lower()):
            yield f"metadata.annotations[{key}]", f'Invalid value: "{key}": {problem}'
    if total > ANNOTATIONS_MAX_BYTES:
        yield "metadata.annotations", f"Too long: must have at most {ANNOTATIONS_MAX_BYTES} bytes"
