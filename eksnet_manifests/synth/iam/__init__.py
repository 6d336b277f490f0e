"""IAM artifacts under ``iam/``: permissions and trust policies, an eksctl fragment, ServiceAccounts.

The controllers work only when policy, role trust, ServiceAccount and Helm values agree; every piece
here is derived from the same profile fields, and what cannot be derived becomes a warning line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from eksnet_manifests.profile.identity import Irsa
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.artifact import Artifact
from eksnet_manifests.synth.helm import aws_partition
from eksnet_manifests.synth.iam.eksctl import build_eksctl_artifact
from eksnet_manifests.synth.iam.external_dns_policy import external_dns_scope
from eksnet_manifests.synth.iam.grammar import check_policy
from eksnet_manifests.synth.iam.roles import LBC, ControllerRole, controller_roles, policy_path, trust_path
from eksnet_manifests.synth.iam.service_accounts import SERVICE_ACCOUNTS_PATH, build_service_accounts
from eksnet_manifests.synth.iam.trust import build_trust_policy


def build_iam_artifacts(profile: Profile, lbc_policy: Mapping[str, Any] | None) -> list[Artifact]:
    """Policies, trust policies, the eksctl fragment and ServiceAccounts for both controllers.

    ``lbc_policy`` is the controller's published ``iam_policy.json`` for the pinned version, already
    loaded; with None the LBC policy file and its eksctl entry are left out (see ``iam_warnings``).
    """
    roles = controller_roles(profile, lbc_policy)
    artifacts: list[Artifact] = []
    for role in roles:
        if role.policy is not None:
            artifacts.append(Artifact(policy_path(role.controller), dict(role.policy)))
        trust = build_trust_policy(role)
        if trust is not None:
            artifacts.append(Artifact(trust_path(role.controller), trust))
    eksctl = build_eksctl_artifact(profile.cluster, roles)
    if eksctl is not None:
        artifacts.append(eksctl)
    service_accounts = build_service_accounts(profile.cluster, roles)
    if service_accounts:
        artifacts.append(Artifact(SERVICE_ACCOUNTS_PATH, service_accounts))
    return artifacts


def iam_warnings(profile: Profile, lbc_policy: Mapping[str, Any] | None = None) -> list[str]:
    """What ``build_iam_artifacts(profile, lbc_policy)`` could not honour, one line each.

    Pass the same ``lbc_policy``: None adds the line saying the LBC policy was not written.
    """
    roles = controller_roles(profile, lbc_policy)
    lines = [line for role in roles for line in _identity_warnings(profile, role)]
    lbc = profile.load_balancer_controller
    if lbc_policy is None:
        lines.append(
            f"{policy_path(LBC)} not written: no IAM policy was loaded for aws-load-balancer-controller "
            f"{lbc.version}; run `eksnet iam lbc-policy --version {lbc.version}` (downloads and caches the "
            "published policy) or set loadBalancerController.iamPolicy to a file or URL"
        )
    if not profile.external_dns.hosted_zone_ids:
        lines.append(
            "externalDns.hostedZoneIds is empty: ExternalDNS may change records in every hosted zone of the "
            "account (hostedzone/*); list the zones it manages"
        )
    scope = external_dns_scope(profile.external_dns, aws_partition(profile.cluster.region))
    for role in roles:
        if role.policy is not None:
            lines += [
                f"{policy_path(role.controller)}: {problem}" for problem in check_policy(role.policy, scope)
            ]
    return lines


def _identity_warnings(profile: Profile, role: ControllerRole) -> Iterator[str]:
    identity, cluster = role.identity, profile.cluster
    if identity is None:
        yield (
            f"{role.field}.identity is unset: {role.controller} falls back to the node's role, which "
            "every pod on the node can use; set identity.type to irsa or podIdentity"
        )
        return
    if not isinstance(identity, Irsa):
        return
    if identity.issuer is None:
        yield (
            f"{role.field}.identity.oidcProvider is unset: {trust_path(role.controller)} not written "
            f"(the eksctl fragment still creates the role); find the issuer with `aws eks describe-cluster "
            f"--name {cluster.name} --query cluster.identity.oidc.issuer`"
        )
    elif build_trust_policy(role) is None:
        yield (
            f"{trust_path(role.controller)} not written: the OIDC provider ARN needs cluster.accountId "
            f"(or set {role.field}.identity.oidcProviderArn)"
        )
    provider_account = identity.provider_account
    if provider_account not in (None, cluster.account_id) and cluster.account_id is not None:
        yield (
            f"{role.field}.identity.oidcProviderArn is in account {provider_account} but cluster.accountId "
            f"is {cluster.account_id}: a role can only trust an OIDC provider of its own account"
        )
