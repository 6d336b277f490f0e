"""IngressClassParams: settings of an IngressClass that LBC applies to each of its Ingresses, over their
annotations (LBC docs ``guide/ingress/ingress_class.md``, v3.5.0; lbc-migrate applies them the same way,
``pkg/ingress2gateway/translate/icp_overrides.go``).

Each field is read as the annotation it stands for, by the same translators, and reported at the
field of the IngressClassParams; the Ingresses of the class then take its settings, and an annotation
the class overrides is reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from eksnet_manifests.migrate.alb import translate_ingress
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.inputs import ALB_CONTROLLER, Resource, _list, _map
from eksnet_manifests.migrate.report import Report, annotation_field, dropped, translated
from eksnet_manifests.versions.lbc_annotations import INGRESS_PREFIX

A = INGRESS_PREFIX
# IngressClassParams field -> the annotation it stands for.
ANNOTATION_OF = {
    "scheme": "scheme",
    "ipAddressType": "ip-address-type",
    "loadBalancerName": "load-balancer-name",
    "sslPolicy": "ssl-policy",
    "sslRedirectPort": "ssl-redirect",
    "targetType": "target-type",
    "wafv2AclArn": "wafv2-acl-arn",
    "wafv2AclName": "wafv2-acl-name",
    "inboundCIDRs": "inbound-cidrs",
    "prefixListsIDs": "security-group-prefix-lists",
    "PrefixListsIDs": "security-group-prefix-lists",
    "certificateArn": "certificate-arn",
    "tags": "tags",
    "loadBalancerAttributes": "load-balancer-attributes",
    "group": "group.name",
    "subnets": "subnets",
    "minimumLoadBalancerCapacity": "minimum-load-balancer-capacity",
    "ipamConfiguration": "ipam-ipv4-pool-id",
    "listeners": "listener-attributes.",
}
# The translators of the keys a class sets.
CLASS_TRANSLATORS = ("group", "scheme", "certificates", "ssl_redirect", "load_balancer", "target_group")
NAMESPACES = (
    "a policy of the class (which namespaces may use it): eksnet does not write IngressClassParams; it keeps "
    "applying while the class does"
)


def _pairs(entries: Any) -> str:
    return ",".join(f"{_map(e).get('key')}={_map(e).get('value')}" for e in _list(entries))


def _annotations(field: str, value: Any) -> dict[str, str] | None:
    """The annotations that say what ``field: value`` says; None when no annotation can."""
    key = A + ANNOTATION_OF[field]
    if field in ("inboundCIDRs", "prefixListsIDs", "PrefixListsIDs", "certificateArn"):
        return {key: ",".join(map(str, _list(value)))}
    if field in ("tags", "loadBalancerAttributes"):
        return {key: _pairs(value)}
    if field == "group":
        return {key: str(_map(value)["name"])} if _map(value).get("name") else None
    if field == "subnets":
        return {key: ",".join(map(str, _list(_map(value).get("ids"))))} if _map(value).get("ids") else None
    if field == "minimumLoadBalancerCapacity":
        return {key: f"CapacityUnits={_map(value).get('capacityUnits')}"}
    if field == "ipamConfiguration":
        return {key: str(_map(value).get("ipv4IPAMPoolId", ""))}
    if field == "listeners":
        return {
            f"{key}{_map(item).get('protocol')}-{_map(item).get('port')}": _pairs(
                _map(item).get("listenerAttributes")
            )
            for item in _list(value)
        }
    return {key: str(value)}


@dataclass(frozen=True)
class ClassSettings:
    """What an IngressClassParams sets, as a draft of its own, and the annotation keys it owns."""

    name: str
    draft: Draft
    keys: tuple[str, ...]


def class_annotations(params: Resource) -> dict[str, tuple[str, str]]:
    """Annotation key -> (value, the field of ``params`` it stands for)."""
    found: dict[str, tuple[str, str]] = {}
    for field, value in params.spec.items():
        for key, text in (_annotations(field, value) if field in ANNOTATION_OF else None or {}).items():
            found[key] = (text, f"spec.{field}")
    return found


def translate_params(params: Resource, report: Report) -> ClassSettings:
    """Read each field of ``params`` as its annotation, reporting at the field."""
    given = class_annotations(params)
    annotations = {key: value for key, (value, _) in given.items()}
    lines = {key: path for key, (_, path) in given.items()}
    for field in params.spec:
        if f"spec.{field}" not in lines.values():
            path = f"spec.{field}"
            reason = NAMESPACES if field == "namespaceSelector" else "LBC's annotations have no such setting"
            report.both(params.source, path, dropped(reason), params.line_of(path))
    obj = {"metadata": {"name": params.name, "annotations": annotations}, "spec": {}}
    standin = Resource(replace(params.doc, obj=obj), params.source)
    scratch = Report()
    draft = translate_ingress(standin, scratch, CLASS_TRANSLATORS)
    for entry in scratch.entries:
        key = entry.field.removeprefix('metadata.annotations["').removesuffix('"]')
        path = lines.get(key, entry.field)
        report.add(params.source, path, entry.profile, entry.gateway, params.line_of(path))
    return ClassSettings(params.name, draft, tuple(annotations))


def apply_params(draft: Draft, settings: ClassSettings, report: Report) -> None:
    """The class's settings over the Ingress's own (LBC applies IngressClassParams over annotations)."""
    given = settings.draft
    draft.settings |= given.settings
    # The class's certificates do not change the Ingress's listen ports (its own annotation decides).
    draft.raw |= {key: value for key, value in given.raw.items() if key != A + "listen-ports"}
    draft.gateway |= given.gateway
    draft.certificate_arns = given.certificate_arns or draft.certificate_arns
    draft.ssl_redirect = given.ssl_redirect if given.ssl_redirect is not None else draft.ssl_redirect
    overridden = {annotation_field(key) for key in settings.keys}
    for index, entry in enumerate(report.entries):
        if entry.source == draft.source and entry.field in overridden:
            outcome = dropped(f"IngressClassParams {settings.name} sets it, over the annotation, as LBC does")
            report.entries[index] = replace(entry, profile=outcome, gateway=outcome)


def report_class(ingress_class: Resource, report: Report) -> None:
    """An IngressClass: LBC's, whose IngressClassParams apply to its Ingresses, or another controller's."""
    spec = ingress_class.spec
    source = ingress_class.source
    if spec.get("controller") != ALB_CONTROLLER:
        reason = f"controller {spec.get('controller')} is not LBC's: its Ingresses are left as they are"
        report.both(source, "spec.controller", dropped(reason), ingress_class.line_of("spec.controller"))
        return
    report.add(
        source,
        "spec.controller",
        translated("loadBalancerController.ingressClass", "the class LBC reconciles"),
        translated("GatewayClass spec.controllerName", "gateway.k8s.aws/alb"),
        ingress_class.line_of("spec.controller"),
    )
    if "parameters" in spec:
        applied = translated(
            "the Ingresses of the class", "its IngressClassParams apply to each, over its annotations"
        )
        report.both(source, "spec.parameters", applied, ingress_class.line_of("spec.parameters"))
