"""A Service and the Deployment it selects, as the fields of a profile app (image, ports, replicas, env,
resources), with a report entry for every field read.

eksnet writes an app's Deployment and Service from these few fields, so whatever else the originals
carry (probes, volumes, sidecars, selectors of their own) is named in the report: the Deployment eksnet
writes would not have it. On Gateway API the Service and Deployment stay as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eksnet_manifests.migrate.draft import ServicePort
from eksnet_manifests.migrate.inputs import Inputs, Resource, _list, _map, is_lbc_service
from eksnet_manifests.migrate.report import (
    Outcome,
    Report,
    annotation_field,
    approximated,
    dropped,
    translated,
    unknown,
)
from eksnet_manifests.versions import lbc_annotations as catalogue

UNCHANGED_SERVICE = translated("Service (unchanged)", "the routes send traffic to it as it is")
UNCHANGED_DEPLOYMENT = translated("Deployment (unchanged)")
NAME_LABEL = "app.kubernetes.io/name"
CONTAINER = "spec.template.spec.containers[0]"
# Container and pod fields the app model writes: field -> the app field.
CONTAINER_FIELDS = {
    "image": "image",
    "imagePullPolicy": "imagePullPolicy",
    "env": "env",
    "resources": "resources",
}
SERVICE_SPEC_KEPT = ("type", "ports", "selector")
SERVICE_SPEC_SERVER = ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy")
NLB_SPEC = ("loadBalancerClass", "loadBalancerSourceRanges", "allocateLoadBalancerNodePorts",
            "externalTrafficPolicy", "loadBalancerIP", "healthCheckNodePort")  # fmt: skip


def _lost(what: str) -> Outcome:
    return dropped(
        f"eksnet's app model has no {what}: the Deployment or Service eksnet writes would not have it"
    )


def resolve_port(service: Resource, port: int | str | None) -> ServicePort | None:
    """The Service port an Ingress backend names (by number or name; None: the first)."""
    for index, raw in enumerate(_list(service.spec.get("ports"))):
        entry = _map(raw)
        if port is None or entry.get("port") == port or (entry.get("name") and entry.get("name") == port):
            number = entry.get("port")
            if isinstance(number, int):
                target = entry.get("targetPort", number)
                name = str(entry["name"]) if entry.get("name") else None
                protocol = str(entry.get("protocol") or "TCP")
                return ServicePort(name, number, target, protocol, f"spec.ports[{index}]")
    return None


def app_fields(
    service: Resource, chosen: list[ServicePort], inputs: Inputs, report: Report
) -> dict[str, Any]:
    """The profile app of ``service`` serving the ports ``chosen`` (one number; TCP, UDP or both)."""
    app: dict[str, Any] = {"name": service.name, "namespace": service.namespace}
    source = service.source
    deployment = inputs.deployment_for(service)
    container = _container(deployment) if deployment is not None else {}
    if chosen:
        app["servicePort"] = chosen[0].port
        target = _container_port(chosen[0].target_port, container)
        if target is not None:
            app["port"] = target
    numbers = {port.port for port in chosen}
    for index, raw in enumerate(_list(service.spec.get("ports"))):
        at = f"spec.ports[{index}]"
        if _map(raw).get("port") in numbers and chosen and "port" not in app:
            target = chosen[0].target_port
            why = (
                f"targetPort {target!r} names no container port of its Deployment: the app gets defaults.port"
            )
            report.add(
                source, at, approximated("servicePort, port", why), UNCHANGED_SERVICE, service.line_of(at)
            )
        elif _map(raw).get("port") in numbers:
            report.add(source, at, translated("servicePort, port"), UNCHANGED_SERVICE, service.line_of(at))
        else:
            why = "eksnet gives an app one Service port: serve this one from another app, or use --to gateway"
            report.add(source, at, dropped(why), UNCHANGED_SERVICE, service.line_of(at))
    _service_spec(service, report)
    _labels(service, report)
    if not is_lbc_service(service):
        backend_annotations(service, report)
    if deployment is None:
        report.add(
            source,
            "metadata.name",
            approximated(
                "image", "no Deployment in the input has the pods it selects: the app gets defaults.image"
            ),
            UNCHANGED_SERVICE,
            service.line_of("metadata.name"),
        )
        return app
    app |= _deployment(deployment, container, report)
    return app


def _service_spec(service: Resource, report: Report) -> None:
    spec = service.spec
    selector = _map(spec.get("selector"))
    if "selector" in spec:
        eksnet = {NAME_LABEL: service.name}
        outcome = (
            translated("name")
            if dict(selector) == eksnet
            else approximated(
                "name", f"eksnet selects pods by {NAME_LABEL}={service.name}; see the cut-over plan"
            )
        )
        report.add(
            service.source, "spec.selector", outcome, UNCHANGED_SERVICE, service.line_of("spec.selector")
        )
    if "type" in spec:
        kind = str(spec["type"])
        outcome = translated("expose.type" if kind == "LoadBalancer" else "expose.serviceType", kind)
        report.add(service.source, "spec.type", outcome, UNCHANGED_SERVICE, service.line_of("spec.type"))
    for key in spec:
        if key in (*SERVICE_SPEC_KEPT, *NLB_SPEC):
            continue
        outcome = (
            dropped("assigned by the API server") if key in SERVICE_SPEC_SERVER else _lost(f"spec.{key}")
        )
        report.add(service.source, f"spec.{key}", outcome, UNCHANGED_SERVICE, service.line_of(f"spec.{key}"))


def _labels(resource: Resource, report: Report) -> None:
    if resource.labels:
        why = "eksnet labels an app's objects with app.kubernetes.io/name, managed-by and apps[].labels"
        unchanged = UNCHANGED_SERVICE if resource.source.kind == "Service" else UNCHANGED_DEPLOYMENT
        report.add(
            resource.source, "metadata.labels", dropped(why), unchanged, resource.line_of("metadata.labels")
        )


def _container(deployment: Resource) -> Mapping[str, Any]:
    pod = _map(_map(deployment.spec.get("template")).get("spec"))
    containers = _list(pod.get("containers"))
    return _map(containers[0]) if containers else {}


def _container_port(target: int | str, container: Mapping[str, Any]) -> int | None:
    if isinstance(target, int):
        return target
    for port in _list(container.get("ports")):
        if _map(port).get("name") == target and isinstance(_map(port).get("containerPort"), int):
            return int(_map(port)["containerPort"])
    return None


def _deployment(deployment: Resource, container: Mapping[str, Any], report: Report) -> dict[str, Any]:
    app: dict[str, Any] = {}
    source = deployment.source

    def add(path: str, outcome: Outcome) -> None:
        report.add(source, path, outcome, UNCHANGED_DEPLOYMENT, deployment.line_of(path))

    spec = deployment.spec
    if isinstance(spec.get("replicas"), int):
        app["replicas"] = spec["replicas"]
        add("spec.replicas", translated("replicas"))
    if "selector" in spec:
        selector = _map(_map(spec["selector"]).get("matchLabels"))
        same = dict(selector) == {NAME_LABEL: deployment.name}
        add(
            "spec.selector",
            translated("name")
            if same
            else approximated(
                "name",
                f"eksnet's Deployment selects {NAME_LABEL}={deployment.name}; a selector cannot change, so "
                "the Deployment is created anew (see the cut-over plan)",
            ),
        )
    for key in spec:
        if key not in ("replicas", "selector", "template"):
            add(f"spec.{key}", _lost(f"spec.{key}"))
    _labels(deployment, report)
    pod = _map(_map(spec.get("template")).get("spec"))
    for key in pod:
        if key == "terminationGracePeriodSeconds" and isinstance(pod[key], int):
            app["terminationGracePeriodSeconds"] = pod[key]
            add(f"spec.template.spec.{key}", translated("terminationGracePeriodSeconds"))
        elif key != "containers":
            add(f"spec.template.spec.{key}", _lost(f"pod {key}"))
    for index, extra in enumerate(_list(pod.get("containers"))[1:], start=1):
        add(f"spec.template.spec.containers[{index}]", _lost(f"second container ({_map(extra).get('name')})"))
    app |= _container_fields(container, add)
    return app


def _container_fields(container: Mapping[str, Any], add: Any) -> dict[str, Any]:
    app: dict[str, Any] = {}
    for key, value in container.items():
        path = f"{CONTAINER}.{key}"
        if key == "image":
            app["image"] = str(value)
            add(path, translated("image"))
        elif key == "imagePullPolicy":
            app["imagePullPolicy"] = str(value)
            add(path, translated("imagePullPolicy"))
        elif key == "env":
            env = {
                str(_map(v).get("name")): str(_map(v)["value"]) for v in _list(value) if "value" in _map(v)
            }
            sourced = [str(_map(v).get("name")) for v in _list(value) if "value" not in _map(v)]
            app["env"] = env
            add(
                path,
                translated("env")
                if not sourced
                else approximated(
                    "env", f"only plain values: {', '.join(sourced)} (valueFrom) would be lost"
                ),
            )
        elif key == "resources":
            resources = {
                kind: {
                    name: str(amount)
                    for name, amount in _map(_map(value).get(kind)).items()
                    if name in ("cpu", "memory")
                }
                for kind in ("requests", "limits")
                if _map(_map(value).get(kind))
            }
            app["resources"] = {kind: items for kind, items in resources.items() if items}
            add(path, translated("resources", "cpu and memory"))
        elif key == "ports":
            add(path, translated("port"))
        elif key == "name":
            add(path, approximated("name", "eksnet names the container after the app"))
        else:
            add(path, _lost(f"container {key}"))
    return app


PER_BACKEND = (
    "a per-backend setting of LBC: an eksnet app's Service carries no LBC annotations; set it on the "
    "Ingress's app, where it applies to every backend of that Ingress"
)


def backend_annotations(service: Resource, report: Report) -> None:
    """Annotations of a Service behind an Ingress: LBC reads some of its keys per backend."""
    for key in sorted(service.annotations):
        entry = catalogue.lookup(key)
        path = annotation_field(key)
        line = service.line_of(path)
        if catalogue.family_of(key) == "ingress" and entry is None:
            report.both(service.source, path, unknown(key), line)
        elif entry is not None and "Service" in entry.read_from and entry.family == "ingress":
            gateway = translated("TargetGroupConfiguration of the Service", "over the Ingress's settings")
            report.add(service.source, path, dropped(PER_BACKEND), gateway, line)
        elif entry is not None:
            report.both(
                service.source, path, dropped(f"LBC reads {key} from {', '.join(entry.read_from)} only"), line
            )
        else:
            report.add(service.source, path, _lost("Service annotations"), UNCHANGED_SERVICE, line)
