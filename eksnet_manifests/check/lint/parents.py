"""Route attachment: each parentRef of an HTTP/GRPC/TLS/TCP/UDP route must land on a listener accepting it.

Messages name the route's ``Accepted`` condition as a conformant controller reports it (Gateway API v1.3.0
``apis/v1/shared_types.go``: NoMatchingParent, NotAllowedByListeners).
"""

from __future__ import annotations

from collections.abc import Iterator

from eksnet_manifests.check.documents import Document
from eksnet_manifests.check.findings import Finding, Severity
from eksnet_manifests.check.lint.gatewayapi import (
    ROUTE_KINDS,
    Admission,
    Attachment,
    admits_kind,
    attachments,
    namespace_admission,
)
from eksnet_manifests.check.lint.index import (
    GATEWAY_GROUP,
    Lint,
    LintOptions,
    ObjectIndex,
    missing_severity,
    namespace_of,
    object_finding,
)

PARENT_MISSING = "route-parent-missing"
LISTENER_MISSING = "route-listener-missing"
KIND_NOT_ALLOWED = "route-kind-not-allowed"
NAMESPACE_NOT_ALLOWED = "route-namespace-not-allowed"


def check_route_parents(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """A parentRef's Gateway must exist (absent: see LintOptions), with a listener matching its
    sectionName/port whose allowedRoutes admit the route's kind and namespace. A ``Selector`` is evaluated
    against the route's Namespace object; without that object it cannot be verified and is a warning."""
    for route in index.of_kind(GATEWAY_GROUP, *ROUTE_KINDS):
        for attachment in attachments(index, route):
            yield from _check_attachment(index, opts, route, attachment)


def _check_attachment(
    index: ObjectIndex, opts: LintOptions, route: Document, attachment: Attachment
) -> Iterator[Finding]:
    ref, owner = attachment.ref, attachment.owner
    if owner is None or attachment.gateway is None:
        missing = ref.describe() if owner is None else f"the Gateway of {ref.describe()}"
        message = f"{missing} is not in the input (no controller reports status for a missing parent)"
        yield object_finding(route, PARENT_MISSING, missing_severity(opts), message, ref.path)
        return
    if not attachment.listeners:
        message = f"{ref.describe()}: Accepted=False (NoMatchingParent), the {ref.kind} has no such listener"
        yield object_finding(route, LISTENER_MISSING, Severity.ERROR, message, ref.path)
        return
    by_kind = [
        listener for listener in attachment.listeners if admits_kind(listener, route.group, route.kind)
    ]
    if not by_kind:
        names = ", ".join(f"{listener.label} ({listener.protocol})" for listener in attachment.listeners)
        message = (
            f"{ref.describe()}: Accepted=False (NotAllowedByListeners), no listener admits {route.kind}; "
            f"listeners: {names}"
        )
        yield object_finding(route, KIND_NOT_ALLOWED, Severity.ERROR, message, ref.path)
        return
    route_ns = namespace_of(route)
    admissions = {namespace_admission(index, listener, ref.namespace, route_ns) for listener in by_kind}
    if Admission.ADMITTED in admissions:
        return
    if Admission.UNKNOWN in admissions:
        message = (
            f"{ref.describe()}: allowedRoutes selects namespaces by label and Namespace {route_ns} "
            "is not in the input, so attachment cannot be verified"
        )
        yield object_finding(route, NAMESPACE_NOT_ALLOWED, Severity.WARNING, message, ref.path)
        return
    message = (
        f"{ref.describe()}: Accepted=False (NotAllowedByListeners), allowedRoutes.namespaces of the "
        "listeners "
        f"does not admit namespace {route_ns}"
    )
    yield object_finding(route, NAMESPACE_NOT_ALLOWED, Severity.ERROR, message, ref.path)


ROUTE_PARENTS = Lint(
    "route-parents",
    (PARENT_MISSING, LISTENER_MISSING, KIND_NOT_ALLOWED, NAMESPACE_NOT_ALLOWED),
    check_route_parents,
)
