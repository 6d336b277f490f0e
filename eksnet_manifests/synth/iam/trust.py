"""Trust policies: who may assume a controller's role.

IRSA: the cluster's OIDC provider, for exactly one ServiceAccount and the STS audience (the shape
in external-dns docs/tutorials/aws.md, "IAM Roles for Service Accounts"). Pod Identity: the EKS
Pod Identity service, which tags the session with the cluster, namespace and ServiceAccount.
"""

from __future__ import annotations

from typing import Any

from eksnet_manifests.profile.identity import Irsa, PodIdentity, ServiceAccount
from eksnet_manifests.synth.iam.arn import oidc_provider_arn
from eksnet_manifests.synth.iam.grammar import POLICY_VERSION, STS_AUDIENCE, WEB_IDENTITY_ACTION
from eksnet_manifests.synth.iam.roles import ControllerRole

POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com"


def irsa_trust_policy(provider_arn: str, issuer: str, service_account: ServiceAccount) -> dict[str, Any]:
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider_arn},
                "Action": WEB_IDENTITY_ACTION,
                "Condition": {
                    "StringEquals": {
                        f"{issuer}:sub": service_account.subject,
                        f"{issuer}:aud": STS_AUDIENCE,
                    }
                },
            }
        ],
    }


def pod_identity_trust_policy() -> dict[str, Any]:
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": POD_IDENTITY_PRINCIPAL},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
            }
        ],
    }


def build_trust_policy(role: ControllerRole) -> dict[str, Any] | None:
    """The role's trust policy, or None when the identity is unset or the OIDC provider is unknown."""
    identity = role.identity
    if isinstance(identity, PodIdentity):
        return pod_identity_trust_policy()
    if isinstance(identity, Irsa):
        provider = provider_arn_of(role)
        if provider is not None and identity.issuer is not None:
            return irsa_trust_policy(provider, identity.issuer, role.service_account)
    return None


def provider_arn_of(role: ControllerRole) -> str | None:
    """The OIDC provider ARN: given in the profile, or built from the issuer and cluster.accountId."""
    identity = role.identity
    if not isinstance(identity, Irsa):
        return None
    if identity.oidc_provider_arn is not None:
        return identity.oidc_provider_arn
    if identity.issuer is None or role.account_id is None:
        return None
    return oidc_provider_arn(role.partition, role.account_id, identity.issuer)
