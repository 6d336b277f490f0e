"""ServiceAccounts eksnet writes: only where the chart creates none, annotated for IRSA only."""

from __future__ import annotations

import pytest

from eksnet_manifests.errors import BuildError
from eksnet_manifests.synth.iam import build_iam_artifacts
from eksnet_manifests.synth.iam.service_accounts import SERVICE_ACCOUNTS_PATH


def service_accounts(profile) -> list[dict]:
    artifacts = {artifact.path: artifact.content for artifact in build_iam_artifacts(profile, None)}
    return artifacts.get(SERVICE_ACCOUNTS_PATH, [])


@pytest.mark.parametrize(
    ("identity", "annotations"),
    [
        pytest.param(
            {"type": "irsa", "roleName": "demo-dns"},
            {"eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/demo-dns"},
            id="irsa",
        ),
        pytest.param({"type": "podIdentity", "roleName": "demo-dns"}, None, id="pod-identity"),
        pytest.param(None, None, id="no-identity"),
    ],
)
def test_service_account_carries_the_role_annotation_only_for_irsa(
    make_profile, identity, annotations
) -> None:
    # GIVEN the chart does not create ExternalDNS's ServiceAccount / WHEN built / THEN eksnet writes it
    section = {"serviceAccount": {"name": "dns", "namespace": "dns-system", "create": False}}
    if identity is not None:
        section["identity"] = identity
    accounts = {sa["metadata"]["name"]: sa for sa in service_accounts(make_profile(externalDns=section))}
    metadata = accounts["dns"]["metadata"]
    assert metadata["namespace"] == "dns-system"
    assert metadata.get("annotations") == annotations


def test_chart_created_service_accounts_are_not_written_twice(make_profile) -> None:
    profile = make_profile(
        loadBalancerController={"serviceAccount": {"name": "lbc", "create": True}},
        externalDns={"serviceAccount": {"name": "dns", "create": True}},
    )
    assert service_accounts(profile) == []


def test_govcloud_role_arn_uses_the_partition(make_profile) -> None:
    profile = make_profile(
        region="us-gov-west-1", externalDns={"identity": {"type": "irsa", "roleName": "dns"}}
    )
    accounts = {sa["metadata"]["name"]: sa for sa in service_accounts(profile)}
    annotation = accounts["external-dns"]["metadata"]["annotations"]["eks.amazonaws.com/role-arn"]
    assert annotation == "arn:aws-us-gov:iam::111122223333:role/dns"


def test_irsa_without_account_id_is_a_build_error(make_profile) -> None:
    # GIVEN IRSA but no cluster.accountId / THEN no unannotated ServiceAccount silently using the node's role
    profile = make_profile(account=None, externalDns={"identity": {"type": "irsa", "roleName": "dns"}})
    with pytest.raises(BuildError, match=r"cluster\.accountId"):
        service_accounts(profile)
