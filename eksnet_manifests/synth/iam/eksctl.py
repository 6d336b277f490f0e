"""An eksctl ClusterConfig fragment creating each controller's role with its permissions policy inline.

IRSA roles go under ``iam.serviceAccounts`` with ``roleOnly: true`` and Pod Identity roles under
``iam.podIdentityAssociations``: eksctl makes the roles and trust, while the ServiceAccounts come
from the charts or ``iam/serviceaccounts.yaml``, so each object has exactly one owner. A controller
whose policy file was not loaded gets eksctl's own well-known policy for it, so the role the Helm
values name is still created with the rights the controller needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eksnet_manifests.profile.cluster import Cluster
from eksnet_manifests.profile.identity import Irsa, PodIdentity
from eksnet_manifests.synth.artifact import Artifact
from eksnet_manifests.synth.iam.roles import EXTERNAL_DNS, LBC, ControllerRole

EKSCTL_PATH = "iam/eksctl-iam.yaml"
EKSCTL_API_VERSION = "eksctl.io/v1alpha5"
POD_IDENTITY_AGENT = "eks-pod-identity-agent"
# eksctl v0.230.0 schema.json, definitions.WellKnownPolicies: the policies eksctl ships per controller.
WELL_KNOWN_POLICIES = {LBC: "awsLoadBalancerController", EXTERNAL_DNS: "externalDNS"}
_HEADER = (
    "eksctl ClusterConfig fragment: the controllers' IAM roles.\n"
    "IRSA:         eksctl utils associate-iam-oidc-provider --config-file {path} --approve\n"
    "              eksctl create iamserviceaccount --config-file {path} --approve\n"
    "Pod Identity: eksctl create addon --config-file {path}\n"
    "              eksctl create podidentityassociation --config-file {path}"
)


def build_eksctl_artifact(cluster: Cluster, roles: Sequence[ControllerRole]) -> Artifact | None:
    """The fragment for every controller with an identity and a policy; None when there is none."""
    config = build_eksctl_config(cluster, roles)
    if config is None:
        return None
    comments = {}
    if "withOIDC" in config["iam"]:
        comments["iam.withOIDC"] = "IRSA needs the cluster's IAM OIDC provider."
    if "addons" in config:
        comments["addons"] = "Pod Identity needs the EKS Pod Identity Agent on every node."
    return Artifact(EKSCTL_PATH, config, comments=comments, header=_HEADER.format(path=EKSCTL_PATH))


def build_eksctl_config(cluster: Cluster, roles: Sequence[ControllerRole]) -> dict[str, Any] | None:
    granted = [role for role in roles if role.policy is not None or role.controller in WELL_KNOWN_POLICIES]
    irsa = [role for role in granted if isinstance(role.identity, Irsa)]
    pod_identity = [role for role in granted if isinstance(role.identity, PodIdentity)]
    if not irsa and not pod_identity:
        return None
    iam: dict[str, Any] = {}
    if irsa:
        iam["withOIDC"] = True
        iam["serviceAccounts"] = [_service_account_role(role) for role in irsa]
    if pod_identity:
        iam["podIdentityAssociations"] = [_pod_identity_association(role) for role in pod_identity]
    config: dict[str, Any] = {
        "apiVersion": EKSCTL_API_VERSION,
        "kind": "ClusterConfig",
        "metadata": {"name": cluster.name, "region": cluster.region},
    }
    if pod_identity:
        config["addons"] = [{"name": POD_IDENTITY_AGENT}]
    config["iam"] = iam
    return config


def _service_account_role(role: ControllerRole) -> dict[str, Any]:
    assert role.identity is not None
    return {
        "metadata": {"name": role.service_account.name, "namespace": role.service_account.namespace},
        "roleName": role.identity.role_name,
        "roleOnly": True,
        **_permissions(role, "attachPolicy"),
    }


def _pod_identity_association(role: ControllerRole) -> dict[str, Any]:
    assert role.identity is not None
    return {
        "namespace": role.service_account.namespace,
        "serviceAccountName": role.service_account.name,
        "roleName": role.identity.role_name,
        "createServiceAccount": False,
        **_permissions(role, "permissionPolicy"),
    }


def _permissions(role: ControllerRole, inline_key: str) -> dict[str, Any]:
    """The policy inline, or eksctl's well-known policy for the controller when none was loaded."""
    if role.policy is not None:
        return {inline_key: dict(role.policy)}
    return {"wellKnownPolicies": {WELL_KNOWN_POLICIES[role.controller]: True}}
