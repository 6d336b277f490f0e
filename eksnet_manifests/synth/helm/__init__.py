"""Helm values for the controllers eksnet configures, and the ServiceAccount block both charts share."""

from __future__ import annotations

from typing import Any

from eksnet_manifests.errors import BuildError, Location
from eksnet_manifests.profile.cluster import Cluster
from eksnet_manifests.profile.identity import Identity, Irsa, PodIdentity, ServiceAccount
from eksnet_manifests.versions.aws import aws_partition

__all__ = ["aws_partition", "role_arn", "service_account_values"]

ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn"


def role_arn(cluster: Cluster, role_name: str, identity_field: str) -> str:
    """ARN of IAM role ``role_name`` in the cluster's account; BuildError when the account is unknown."""
    if cluster.account_id is None:
        raise BuildError(
            f"{identity_field} is irsa, so the role ARN needs the AWS account ID: set cluster.accountId",
            Location(field="cluster.accountId"),
        )
    return f"arn:{aws_partition(cluster.region)}:iam::{cluster.account_id}:role/{role_name}"


def service_account_values(
    account: ServiceAccount, identity: Identity | None, cluster: Cluster, section: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """The ``serviceAccount`` values and their comments; ``section`` is the profile key (``externalDns``)."""
    values: dict[str, Any] = {"create": account.create, "name": account.name}
    where = f"{account.namespace}/{account.name}"
    comments = {
        "serviceAccount": _credentials_comment(identity, where),
        "serviceAccount.create": (
            "the chart creates the ServiceAccount"
            if account.create
            else f"existing ServiceAccount {where}, written by eksnet to iam/serviceaccounts.yaml"
        ),
        "serviceAccount.name": f"pods run as this ServiceAccount; install the release in {account.namespace}",
    }
    if isinstance(identity, Irsa):
        arn = role_arn(cluster, identity.role_name, f"{section}.identity")
        values["annotations"] = {ROLE_ARN_ANNOTATION: arn}
        comments["serviceAccount.annotations"] = (
            "IRSA role the pods assume through the cluster's OIDC provider"
            if account.create
            else "IRSA role; the chart applies these only when it creates the ServiceAccount, "
            "so iam/serviceaccounts.yaml carries the same annotation"
        )
    return values, comments


def _credentials_comment(identity: Identity | None, where: str) -> str:
    if isinstance(identity, Irsa):
        return f"AWS credentials: IRSA, role {identity.role_name}"
    if isinstance(identity, PodIdentity):
        return (
            f"AWS credentials: EKS Pod Identity, an association binds {where} to role "
            f"{identity.role_name} (no annotation needed)"
        )
    return "AWS credentials: no IAM role in the profile, so the ServiceAccount must already have one"
