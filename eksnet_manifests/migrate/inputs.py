"""What ``eksnet migrate`` reads: Ingresses, Services, IngressClasses, IngressClassParams, Deployments.

Objects come from ``check.documents`` (files, folders, ``-``), keep their file and line, and are indexed
by namespace and name. An object without a namespace is in ``default``, as kubectl applies it. Other
kinds are reported as not read, so nothing in the input goes unmentioned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eksnet_manifests.check.documents import Document
from eksnet_manifests.migrate.report import Report, Source, dropped, failed
from eksnet_manifests.versions.lbc_annotations import NLB_PREFIX

# Where LBC's ingress controller is named: IngressClass spec.controller (LBC docs guide/ingress/
# ingress_class.md) and the controller's default class; the NLB Service class (guide/service/nlb.md).
ALB_CONTROLLER = "ingress.k8s.aws/alb"
NLB_CLASS = "service.k8s.aws/nlb"
LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
LBC_SERVICE_TYPES = ("external", "nlb-ip")
PARAMS_GROUP = "elbv2.k8s.aws"
READ_KINDS = ("Ingress", "Service", "IngressClass", "IngressClassParams", "Deployment")


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class Resource:
    """One input object with where it came from."""

    doc: Document
    source: Source

    @property
    def obj(self) -> Mapping[str, Any]:
        return self.doc.obj

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def namespace(self) -> str:
        return self.source.namespace

    @property
    def annotations(self) -> dict[str, str]:
        raw = _map(_map(self.obj.get("metadata")).get("annotations"))
        return {str(key): str(value) for key, value in raw.items()}

    @property
    def labels(self) -> dict[str, str]:
        raw = _map(_map(self.obj.get("metadata")).get("labels"))
        return {str(key): str(value) for key, value in raw.items()}

    @property
    def spec(self) -> Mapping[str, Any]:
        return _map(self.obj.get("spec"))

    def line_of(self, path: str) -> int | None:
        return self.doc.line_of(path)


def _resource(doc: Document, namespaced: bool = True) -> Resource:
    namespace = (doc.namespace or "default") if namespaced else ""
    source = Source(doc.kind, namespace, doc.name or "", doc.origin.file, doc.origin.line)
    return Resource(doc, source)


@dataclass
class Inputs:
    ingresses: list[Resource] = field(default_factory=list)
    services: dict[tuple[str, str], Resource] = field(default_factory=dict)
    classes: dict[str, Resource] = field(default_factory=dict)
    params: dict[str, Resource] = field(default_factory=dict)
    deployments: list[Resource] = field(default_factory=list)

    def service(self, namespace: str, name: str) -> Resource | None:
        return self.services.get((namespace, name))

    def load_balancer_services(self) -> list[Resource]:
        """Services LBC gives an NLB: ``type: LoadBalancer`` with its class or its ``type`` annotation."""
        return [service for service in self.services.values() if is_lbc_service(service)]

    def alb_ingresses(self) -> list[Resource]:
        return [ingress for ingress in self.ingresses if self.class_of(ingress) is not None]

    def class_of(self, ingress: Resource) -> str | None:
        """The IngressClass name of an Ingress LBC reconciles, else None."""
        name = ingress.spec.get("ingressClassName") or ingress.annotations.get(LEGACY_CLASS_ANNOTATION)
        if name is None:
            return "alb"  # no class: LBC takes it when it is the default class; eksnet assumes LBC's own
        known = self.classes.get(str(name))
        if known is not None:
            return str(name) if known.spec.get("controller") == ALB_CONTROLLER else None
        return str(name)

    def params_of(self, ingress: Resource) -> Resource | None:
        """The IngressClassParams of the Ingress's class, when the input has both."""
        name = self.class_of(ingress)
        ingress_class = self.classes.get(name or "")
        if ingress_class is None:
            return None
        parameters = _map(ingress_class.spec.get("parameters"))
        if parameters.get("kind") != "IngressClassParams":
            return None
        return self.params.get(str(parameters.get("name")))

    def deployment_for(self, service: Resource) -> Resource | None:
        """The Deployment in the Service's namespace whose pod labels the Service selects."""
        selector = {str(k): str(v) for k, v in _map(service.spec.get("selector")).items()}
        if not selector:
            return None
        for deployment in self.deployments:
            template = _map(_map(deployment.spec.get("template")).get("metadata"))
            labels = {str(k): str(v) for k, v in _map(template.get("labels")).items()}
            if deployment.namespace == service.namespace and selector.items() <= labels.items():
                return deployment
        return None


def is_lbc_service(service: Resource) -> bool:
    spec = service.spec
    if spec.get("type") != "LoadBalancer":
        return False
    if spec.get("loadBalancerClass") == NLB_CLASS:
        return True
    return service.annotations.get(NLB_PREFIX + "type") in LBC_SERVICE_TYPES


def invalid(documents: Sequence[Document], kube_version: str) -> dict[int, str]:
    """Per document (by position) the first schema error of a built-in kind migrate reads: the API server
    refuses such an object, so it is not migrated."""
    from eksnet_manifests.check.findings import Severity
    from eksnet_manifests.check.schema.registry import SchemaRegistry
    from eksnet_manifests.check.validate import ValidateOptions, validate_document

    registry = SchemaRegistry.build(kube_version)
    options = ValidateOptions(cel=False, ignore_missing_schemas=True)
    found = {}
    for position, doc in enumerate(documents):
        if doc.kind not in READ_KINDS or doc.kind == "IngressClassParams":
            continue
        errors = [f for f in validate_document(doc, registry, options) if f.severity is Severity.ERROR]
        if errors:
            found[position] = f"{errors[0].path or doc.kind}: {errors[0].message}"
    return found


def read_inputs(documents: Sequence[Document], report: Report, kube_version: str = "1.34") -> Inputs:
    """The objects ``migrate`` reads, by kind; every other object, and every object the API server would
    refuse, gets a report entry."""
    inputs = Inputs()
    refused = invalid(documents, kube_version)
    for position, doc in enumerate(documents):
        kind = doc.kind
        if position in refused:
            resource = _resource(
                doc, namespaced=bool(doc.namespace) or kind in ("Ingress", "Service", "Deployment")
            )
            reason = f"not a valid {kind} (the API server refuses it): {refused[position]}"
            report.both(resource.source, "kind", failed(reason))
            continue
        if kind == "Ingress" and doc.group == "networking.k8s.io":
            inputs.ingresses.append(_resource(doc))
        elif kind == "Service" and doc.api_version == "v1":
            resource = _resource(doc)
            inputs.services[(resource.namespace, resource.name)] = resource
        elif kind == "IngressClass" and doc.group == "networking.k8s.io":
            inputs.classes[doc.name or ""] = _resource(doc, namespaced=False)
        elif kind == "IngressClassParams" and doc.group == PARAMS_GROUP:
            inputs.params[doc.name or ""] = _resource(doc, namespaced=False)
        elif kind == "Deployment" and doc.group == "apps":
            inputs.deployments.append(_resource(doc))
        else:
            resource = _resource(doc, namespaced=bool(doc.namespace))
            report.both(
                resource.source,
                "kind",
                dropped(
                    f"migrate reads {', '.join(READ_KINDS)}; {doc.api_version} {kind or '(no kind)'} "
                    "is left as it is"
                ),
            )
    return inputs
