"""The iam/ tree as a whole: coherent with the Helm values, complete for the lab, warnings for gaps."""

from __future__ import annotations

import copy
import re

import pytest

from eksnet_manifests.render.yaml_out import render_artifact
from eksnet_manifests.synth.helm.external_dns_values import build_external_dns_values
from eksnet_manifests.synth.helm.lbc_values import build_lbc_values
from eksnet_manifests.synth.iam import build_iam_artifacts, iam_warnings
from eksnet_manifests.synth.iam.eksctl import EKSCTL_PATH
from eksnet_manifests.synth.iam.grammar import check_policy, check_trust_policy
from eksnet_manifests.synth.iam.roles import EXTERNAL_DNS, LBC, policy_path, trust_path
from eksnet_manifests.synth.iam.service_accounts import SERVICE_ACCOUNTS_PATH

CONTROLLERS = (LBC, EXTERNAL_DNS)
VALUES_BUILDERS = {LBC: build_lbc_values, EXTERNAL_DNS: build_external_dns_values}


@pytest.fixture
def lab_artifacts(lab_profile, upstream_lbc_policy) -> dict:
    return {
        artifact.path: artifact.content for artifact in build_iam_artifacts(lab_profile, upstream_lbc_policy)
    }


def test_lab_writes_policy_and_trust_for_both_controllers_plus_eksctl_and_service_accounts(
    lab_artifacts,
) -> None:
    expected = {policy_path(c) for c in CONTROLLERS} | {trust_path(c) for c in CONTROLLERS}
    assert set(lab_artifacts) == expected | {EKSCTL_PATH, SERVICE_ACCOUNTS_PATH}


@pytest.mark.parametrize("controller", CONTROLLERS)
def test_trust_subject_is_the_service_account_the_helm_values_run_as(
    lab_profile, lab_artifacts, controller
) -> None:
    # GIVEN the lab / WHEN IAM artifacts and Helm values are built / THEN the trust policy's sub names the
    # ServiceAccount the chart's pods use, in the namespace the release is installed into
    values = VALUES_BUILDERS[controller](lab_profile)
    namespace = re.search(r"--namespace (\S+)", values.header or "").group(1)
    subject = f"system:serviceaccount:{namespace}:{values.content['serviceAccount']['name']}"
    (statement,) = lab_artifacts[trust_path(controller)]["Statement"]
    subjects = {
        value for key, value in statement["Condition"]["StringEquals"].items() if key.endswith(":sub")
    }
    assert subjects == {subject}


@pytest.mark.parametrize("controller", CONTROLLERS)
def test_eksctl_service_account_and_values_name_the_same_role(lab_profile, lab_artifacts, controller) -> None:
    # THEN eksctl creates the role the ServiceAccount annotation and the Helm values point at
    values = VALUES_BUILDERS[controller](lab_profile).content["serviceAccount"]
    (entry,) = [
        e
        for e in lab_artifacts[EKSCTL_PATH]["iam"]["serviceAccounts"]
        if e["metadata"]["name"] == values["name"]
    ]
    (account,) = [
        sa for sa in lab_artifacts[SERVICE_ACCOUNTS_PATH] if sa["metadata"]["name"] == values["name"]
    ]
    role_arn = values["annotations"]["eks.amazonaws.com/role-arn"]
    assert role_arn.endswith(f":role/{entry['roleName']}")
    assert account["metadata"]["annotations"] == values["annotations"]
    assert account["metadata"]["namespace"] == entry["metadata"]["namespace"]
    assert values["create"] is False


@pytest.mark.parametrize("controller", CONTROLLERS)
def test_eksctl_attaches_the_written_permissions_policy(lab_artifacts, controller) -> None:
    (entry,) = [
        e for e in lab_artifacts[EKSCTL_PATH]["iam"]["serviceAccounts"] if e["metadata"]["name"] == controller
    ]
    assert entry["attachPolicy"] == lab_artifacts[policy_path(controller)]


def test_lab_external_dns_may_change_only_the_listed_zone(lab_profile, lab_artifacts) -> None:
    zones = {f"arn:aws:route53:::hostedzone/{zone}" for zone in lab_profile.external_dns.hosted_zone_ids}
    writable = {
        resource
        for statement in lab_artifacts[policy_path(EXTERNAL_DNS)]["Statement"]
        if "route53:ChangeResourceRecordSets" in statement["Action"]
        for resource in statement["Resource"]
    }
    assert writable == zones


def test_lab_lbc_policy_is_the_loaded_release_policy_unchanged(lab_artifacts, upstream_lbc_policy) -> None:
    assert lab_artifacts[policy_path(LBC)] == upstream_lbc_policy


def test_every_emitted_policy_passes_the_checks(lab_profile, lab_artifacts) -> None:
    zones = tuple(f"arn:aws:route53:::hostedzone/{z}" for z in lab_profile.external_dns.hosted_zone_ids)
    scope = {"route53:ChangeResourceRecordSets": zones}
    for controller in CONTROLLERS:
        assert check_policy(lab_artifacts[policy_path(controller)], scope) == []
        assert check_trust_policy(lab_artifacts[trust_path(controller)]) == []


def test_complete_lab_has_no_warning(lab_profile, upstream_lbc_policy) -> None:
    assert iam_warnings(lab_profile, upstream_lbc_policy) == []


def test_rendering_twice_gives_the_same_bytes(lab_profile, upstream_lbc_policy) -> None:
    def render() -> list[bytes]:
        return [
            render_artifact(a) for a in build_iam_artifacts(lab_profile, copy.deepcopy(upstream_lbc_policy))
        ]

    assert render() == render()


def test_without_the_lbc_policy_its_file_is_left_out_and_the_warning_says_how_to_get_it(lab_profile) -> None:
    paths = {artifact.path for artifact in build_iam_artifacts(lab_profile, None)}
    assert policy_path(LBC) not in paths
    assert policy_path(EXTERNAL_DNS) in paths
    version = lab_profile.load_balancer_controller.version
    (line,) = [w for w in iam_warnings(lab_profile, None) if policy_path(LBC) in w]
    assert f"eksnet iam lbc-policy --version {version}" in line
    assert "loadBalancerController.iamPolicy" in line


POD_LBC = {"identity": {"type": "podIdentity", "roleName": "lbc"}}
POD_DNS_ONE_ZONE = {"identity": {"type": "podIdentity", "roleName": "dns"}, "hostedZoneIds": ["Z012345"]}
FOREIGN_PROVIDER = "arn:aws:iam::444455556666:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/X"


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        pytest.param(
            {"externalDns": {"hostedZoneIds": ["Z012345"]}},
            [
                f"loadBalancerController.identity is unset: {LBC} falls back to the node's role",
                f"externalDns.identity is unset: {EXTERNAL_DNS} falls back to the node's role",
            ],
            id="identities-unset",
        ),
        pytest.param(
            {"loadBalancerController": POD_LBC, "externalDns": {"identity": POD_DNS_ONE_ZONE["identity"]}},
            ["externalDns.hostedZoneIds is empty: ExternalDNS may change records in every hosted zone"],
            id="zones-unset",
        ),
        pytest.param(
            {
                "loadBalancerController": {"identity": {"type": "irsa", "roleName": "lbc"}},
                "externalDns": POD_DNS_ONE_ZONE,
            },
            [f"loadBalancerController.identity.oidcProvider is unset: {trust_path(LBC)} not written"],
            id="issuer-unset",
        ),
        pytest.param(
            {
                "loadBalancerController": POD_LBC,
                "externalDns": {
                    "hostedZoneIds": ["Z012345"],
                    "identity": {"type": "irsa", "roleName": "dns", "oidcProviderArn": FOREIGN_PROVIDER},
                },
            },
            ["externalDns.identity.oidcProviderArn is in account 444455556666 but cluster.accountId is"],
            id="provider-in-other-account",
        ),
    ],
)
def test_each_gap_is_one_warning_line(make_profile, upstream_lbc_policy, sections, expected) -> None:
    # GIVEN a profile with one kind of gap / WHEN warnings are listed / THEN one line per gap names the field
    lines = iam_warnings(make_profile(**sections), upstream_lbc_policy)
    assert len(lines) == len(expected), lines
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start)


def test_problems_of_a_supplied_lbc_policy_are_warnings(make_profile, upstream_lbc_policy) -> None:
    broken = copy.deepcopy(upstream_lbc_policy)
    broken["Statement"][0]["Effect"] = "allow"
    profile = make_profile(loadBalancerController=POD_LBC, externalDns=POD_DNS_ONE_ZONE)
    assert iam_warnings(profile, broken) == [
        f"{policy_path(LBC)}: Statement[0]: Effect must be Allow or Deny, not 'allow'"
    ]
