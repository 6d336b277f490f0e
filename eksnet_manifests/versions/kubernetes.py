"""Kubernetes facts every release shares (kubernetes.io docs, "Namespaces": initial namespaces)."""

from __future__ import annotations

# Created by the cluster itself; an object may name them without a Namespace manifest.
BUILTIN_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})
