"""ServiceAccounts the charts do not create (``serviceAccount.create: false``), with the IRSA role."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eksnet_manifests.profile.cluster import Cluster
from eksnet_manifests.profile.identity import Irsa
from eksnet_manifests.synth.context import MANAGED_BY
from eksnet_manifests.synth.helm import ROLE_ARN_ANNOTATION, role_arn
from eksnet_manifests.synth.iam.roles import ControllerRole

SERVICE_ACCOUNTS_PATH = "iam/serviceaccounts.yaml"


def build_service_accounts(cluster: Cluster, roles: Sequence[ControllerRole]) -> list[dict[str, Any]]:
    """One ServiceAccount per controller whose chart does not create its own.

    IRSA ServiceAccounts carry the role annotation, built like the Helm values' (BuildError without
    cluster.accountId); Pod Identity needs none.
    """
    return [
        _service_account(role, _role_annotations(cluster, role))
        for role in roles
        if not role.service_account.create
    ]


def _role_annotations(cluster: Cluster, role: ControllerRole) -> dict[str, str]:
    if isinstance(role.identity, Irsa):
        arn = role_arn(cluster, role.identity.role_name, f"{role.field}.identity")
        return {ROLE_ARN_ANNOTATION: arn}
    return {}


def _service_account(role: ControllerRole, annotations: dict[str, str]) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "name": role.service_account.name,
        "namespace": role.service_account.namespace,
        "labels": {"app.kubernetes.io/name": role.controller, **MANAGED_BY},
    }
    if annotations:
        metadata["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata}
