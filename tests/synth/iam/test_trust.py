"""Trust policies: IRSA binds one ServiceAccount via the OIDC provider; Pod Identity trusts EKS."""

from __future__ import annotations

import pytest

from eksnet_manifests.synth.iam import build_iam_artifacts
from eksnet_manifests.synth.iam.grammar import check_trust_policy
from eksnet_manifests.synth.iam.roles import EXTERNAL_DNS, trust_path

SERVICE_ACCOUNT = {"name": "dns", "namespace": "dns-system"}


def trust_of(profile, controller: str = EXTERNAL_DNS) -> dict | None:
    artifacts = {artifact.path: artifact.content for artifact in build_iam_artifacts(profile, None)}
    return artifacts.get(trust_path(controller))


@pytest.mark.parametrize(
    "provider_field",
    [
        pytest.param(lambda issuer: {"oidcProvider": f"https://{issuer}/"}, id="issuer-url"),
        pytest.param(
            lambda issuer: {"oidcProviderArn": f"arn:aws:iam::111122223333:oidc-provider/{issuer}"},
            id="provider-arn",
        ),
    ],
)
def test_irsa_trust_binds_the_service_account_and_audience(make_profile, issuer: str, provider_field) -> None:
    # GIVEN an IRSA identity with its OIDC provider / WHEN built / THEN web identity for exactly that SA
    identity = provider_field(issuer)
    provider = f"arn:aws:iam::111122223333:oidc-provider/{issuer}"
    profile = make_profile(
        externalDns={
            "serviceAccount": SERVICE_ACCOUNT,
            "identity": {"type": "irsa", "roleName": "dns", **identity},
        }
    )
    trust = trust_of(profile)
    assert trust is not None
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Federated": provider}
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"] == {
        "StringEquals": {
            f"{issuer}:sub": "system:serviceaccount:dns-system:dns",
            f"{issuer}:aud": "sts.amazonaws.com",
        }
    }
    assert check_trust_policy(trust) == []


def test_pod_identity_trust_lets_the_eks_service_assume_and_tag(make_profile) -> None:
    profile = make_profile(externalDns={"identity": {"type": "podIdentity", "roleName": "dns"}})
    trust = trust_of(profile)
    assert trust is not None
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert sorted(statement["Action"]) == ["sts:AssumeRole", "sts:TagSession"]
    assert check_trust_policy(trust) == []


@pytest.mark.parametrize(
    ("account", "identity"),
    [
        pytest.param("111122223333", {"type": "irsa", "roleName": "dns"}, id="issuer-unknown"),
        pytest.param(
            None,
            {"type": "irsa", "roleName": "dns", "oidcProvider": "oidc.eks.ap-northeast-2.amazonaws.com/id/X"},
            id="account-unknown",
        ),
        pytest.param("111122223333", None, id="no-identity"),
    ],
)
def test_no_trust_policy_is_written_without_the_facts_it_needs(make_profile, account, identity) -> None:
    # GIVEN an identity whose provider ARN cannot be named / WHEN built / THEN no half-written trust policy
    section = {"serviceAccount": {"name": "dns", "create": True}}
    if identity is not None:
        section["identity"] = identity
    assert trust_of(make_profile(account=account, externalDns=section)) is None
