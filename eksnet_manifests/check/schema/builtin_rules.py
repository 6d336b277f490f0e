"""A few checks the API server makes on built-in kinds beyond their schema (k8s.io/kubernetes validation).

Only unambiguous, common mistakes: a workload whose selector does not select its own pod template, and a
Service with several ports that are not all named, or named twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from eksnet_manifests.check.labels import selector_matches

Check = Callable[[Mapping[str, Any]], Iterator[tuple[str, str]]]


def _as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def check_workload_selector(obj: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    spec = _as_map(obj.get("spec"))
    selector = spec.get("selector")
    labels = _as_map(_as_map(_as_map(spec.get("template")).get("metadata")).get("labels"))
    if not isinstance(selector, Mapping):
        return
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        yield "spec.selector", "Invalid value: empty selector is invalid"
    elif not selector_matches(selector, labels):
        yield "spec.template.metadata.labels", "Invalid value: `selector` does not match template `labels`"


def check_replication_controller_selector(obj: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    spec = _as_map(obj.get("spec"))
    selector = spec.get("selector")
    labels = _as_map(_as_map(_as_map(spec.get("template")).get("metadata")).get("labels"))
    if (
        isinstance(selector, Mapping)
        and selector
        and "template" in spec
        and not selector_matches({"matchLabels": selector}, labels)
    ):
        yield "spec.template.metadata.labels", "Invalid value: `selector` does not match template `labels`"


def check_service_port_names(obj: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    ports = _as_map(obj.get("spec")).get("ports")
    if not isinstance(ports, list) or len(ports) < 2:
        return
    seen: set[str] = set()
    for index, port in enumerate(ports):
        name = _as_map(port).get("name")
        if not name:
            yield f"spec.ports[{index}].name", "Required value"
        elif name in seen:
            yield f"spec.ports[{index}].name", f'Duplicate value: "{name}"'
        else:
            seen.add(name)


BUILTIN_RULES: dict[tuple[str, str], Check] = {
    **{
        ("apps", kind): check_workload_selector
        for kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet")
    },
    ("", "ReplicationController"): check_replication_controller_selector,
    ("", "Service"): check_service_port_names,
}


def check_builtin(group: str, kind: str, obj: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """``(path, message)`` for each problem the API server would find beyond the schema."""
    check = BUILTIN_RULES.get((group, kind))
    if check is not None:
        yield from check(obj)
