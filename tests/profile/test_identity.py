"""Identity spec: IRSA names its OIDC provider one way, normalised; bad input fails at file:line: field."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from eksnet_manifests.errors import SpecError
from eksnet_manifests.profile.identity import Irsa, ServiceAccount
from eksnet_manifests.profile.load import parse_profile

ISSUER = "oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
PROVIDER_ARN = f"arn:aws:iam::111122223333:oidc-provider/{ISSUER}"


@pytest.mark.parametrize(
    "given",
    [
        pytest.param(f"https://{ISSUER}", id="issuer-url"),
        pytest.param(f"https://{ISSUER}/", id="trailing-slash"),
        pytest.param(ISSUER, id="host-path"),
    ],
)
def test_oidc_provider_is_stored_as_iam_names_it(given: str) -> None:
    irsa = Irsa(type="irsa", role_name="r", oidc_provider=given)
    assert irsa.oidc_provider == ISSUER
    assert irsa.issuer == ISSUER
    assert irsa.provider_account is None


def test_provider_arn_gives_issuer_and_account() -> None:
    irsa = Irsa(type="irsa", role_name="r", oidc_provider_arn=PROVIDER_ARN)
    assert (irsa.issuer, irsa.provider_account) == (ISSUER, "111122223333")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"oidc_provider": "not an issuer"}, "is not an OIDC issuer", id="bad-issuer"),
        pytest.param(
            {"oidc_provider_arn": f"arn:aws:iam::1:oidc-provider/{ISSUER}"},
            "is not an OIDC provider ARN",
            id="short-account",
        ),
        pytest.param(
            {"oidc_provider": ISSUER, "oidc_provider_arn": PROVIDER_ARN},
            "set oidcProvider or oidcProviderArn, not both",
            id="both",
        ),
        pytest.param({"role_name": "has space"}, "is not an IAM role name", id="bad-role-name"),
    ],
)
def test_bad_irsa_settings_are_rejected(fields: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Irsa.model_validate({"type": "irsa", "role_name": "r", **fields})


def test_service_account_subject_is_the_irsa_sub_claim() -> None:
    account = ServiceAccount(name="external-dns", namespace="dns")
    assert account.subject == "system:serviceaccount:dns:external-dns"


def test_bad_issuer_in_a_profile_points_at_its_line() -> None:
    text = """\
cluster: {name: myeks, region: ap-northeast-2, vpcId: vpc-0123456789abcdef0}
nodeGroups: [{name: primary, instanceType: t3.medium, desiredSize: 3}]
externalDns:
  identity:
    type: irsa
    roleName: dns
    oidcProvider: "not an issuer"
apps: []
"""
    with pytest.raises(SpecError) as caught:
        parse_profile(text, "eksnet.yaml")
    assert str(caught.value).startswith("eksnet.yaml:7: externalDns.identity.oidcProvider: ")
