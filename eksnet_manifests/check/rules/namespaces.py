"""Every namespaced object's Namespace must exist: the input's Namespace objects or a built-in one."""

from __future__ import annotations

from collections.abc import Iterator

from eksnet_manifests.check.findings import Finding
from eksnet_manifests.check.lint.fields import as_str, dig
from eksnet_manifests.check.lint.index import (
    CORE,
    Lint,
    LintOptions,
    ObjectIndex,
    missing_severity,
    object_finding,
)
from eksnet_manifests.versions.kubernetes import BUILTIN_NAMESPACES

NAMESPACE_MISSING = "namespace-missing"

# Kinds without a namespace, so metadata.namespace on them means nothing.
CLUSTER_SCOPED_KINDS = frozenset(
    {
        "Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding",
        "CustomResourceDefinition", "IngressClass", "GatewayClass", "PriorityClass", "RuntimeClass",
        "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding", "IngressClassParams", "APIService", "CSIDriver",
    }
)  # fmt: skip


def check_namespaces(index: ObjectIndex, opts: LintOptions) -> Iterator[Finding]:
    """An object naming ``metadata.namespace`` outside the built-in ones needs that Namespace in the input
    (absent: see LintOptions)."""
    declared = {doc.name for doc in index.of_kind(CORE, "Namespace") if doc.name}
    for doc in index.documents:
        namespace = as_str(dig(doc.obj, "metadata", "namespace"))
        if not namespace or doc.kind in CLUSTER_SCOPED_KINDS or namespace in BUILTIN_NAMESPACES | declared:
            continue
        # kubernetes plugin/pkg/admission/namespace/lifecycle (NamespaceLifecycle): no object in a missing
        # namespace.
        message = (
            f"Namespace {namespace} is not in the input: the API server rejects the object "
            f'(namespaces "{namespace}" not found) until it exists; add the Namespace'
        )
        yield object_finding(doc, NAMESPACE_MISSING, missing_severity(opts), message, "metadata.namespace")


NAMESPACES = Lint("namespaces", (NAMESPACE_MISSING,), check_namespaces)
