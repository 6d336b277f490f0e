"""Object identity and class references: duplicates, Gateway -> GatewayClass, Ingress -> IngressClass."""

from __future__ import annotations

from collections.abc import Iterator

from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.fields import as_str, dig
from eksnet_manifests.check.lint.index import (
    GATEWAY_GROUP,
    NETWORKING_GROUP,
    Lint,
    LintOptions,
    ObjectIndex,
    missing_severity,
    object_finding,
    object_ref,
)
from eksnet_manifests.check.lint.values import lbc_ingress_class
from eksnet_manifests.check.values_files import LBC

DUPLICATE = "duplicate-object"
GATEWAY_CLASS_MISSING = "gateway-class-missing"
INGRESS_CLASS_MISSING = "ingress-class-missing"


def check_duplicates(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """Two documents with the same group, kind, namespace and name: the later one replaces the first when
    applied, and the lints only see the first."""
    for first, repeated in index.duplicates:
        where = f"{first.origin.file}" + (f":{first.origin.line}" if first.origin.line else "")
        message = f"{object_ref(repeated)} is also defined in {where} [doc {first.origin.index}]"
        yield object_finding(repeated, DUPLICATE, Severity.ERROR, message)


def check_gateway_classes(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """A Gateway's ``gatewayClassName`` must name a GatewayClass (absent: see LintOptions)."""
    for gateway in index.of_kind(GATEWAY_GROUP, "Gateway"):
        class_name = as_str(dig(gateway.obj, "spec", "gatewayClassName"))
        if class_name and index.get(GATEWAY_GROUP, "GatewayClass", "", class_name) is None:
            message = f"GatewayClass {class_name} is not in the input"
            yield object_finding(
                gateway, GATEWAY_CLASS_MISSING, missing_severity(opts), message, "spec.gatewayClassName"
            )


def check_ingress_classes(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """An Ingress's ``ingressClassName`` must name an IngressClass in the input or the one the LBC chart
    creates (``ingressClass``, default ``alb``, unless ``createIngressClassResource: false``; needs LBC
    values). Otherwise it is a missing reference (see LintOptions). Ingresses without the field are not
    checked."""
    lbc = index.values.get(LBC)
    chart_class = lbc_ingress_class(lbc) if lbc is not None else None
    for ingress in index.of_kind(NETWORKING_GROUP, "Ingress"):
        class_name = as_str(dig(ingress.obj, "spec", "ingressClassName"))
        if not class_name or class_name == chart_class:
            continue
        if index.get(NETWORKING_GROUP, "IngressClass", "", class_name) is None:
            hint = "" if lbc is not None else " (LBC values not given, so the chart's class is unknown)"
            message = f"IngressClass {class_name} is not in the input{hint}"
            yield object_finding(
                ingress, INGRESS_CLASS_MISSING, missing_severity(opts), message, "spec.ingressClassName"
            )


DUPLICATES = Lint("duplicates", (DUPLICATE,), check_duplicates)
GATEWAY_CLASSES = Lint("gateway-classes", (GATEWAY_CLASS_MISSING,), check_gateway_classes)
INGRESS_CLASSES = Lint("ingress-classes", (INGRESS_CLASS_MISSING,), check_ingress_classes)
