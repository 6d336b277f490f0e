"""eksctl fragment: roles for IRSA and Pod Identity with the permissions policy inline."""

from __future__ import annotations

import pytest

from eksnet_manifests.render.yaml_out import render_artifact
from eksnet_manifests.synth.iam import build_iam_artifacts
from eksnet_manifests.synth.iam.eksctl import EKSCTL_PATH
from eksnet_manifests.synth.iam.roles import policy_path

IRSA = {"type": "irsa", "roleName": "demo-lbc"}
POD_IDENTITY = {"type": "podIdentity", "roleName": "demo-dns"}


def eksctl_config(profile, lbc_policy) -> dict | None:
    artifacts = {artifact.path: artifact for artifact in build_iam_artifacts(profile, lbc_policy)}
    artifact = artifacts.get(EKSCTL_PATH)
    return None if artifact is None else artifact.content


def test_fragment_is_a_cluster_config_of_the_profile_cluster(make_profile, upstream_lbc_policy) -> None:
    config = eksctl_config(make_profile(loadBalancerController={"identity": IRSA}), upstream_lbc_policy)
    assert config is not None
    assert (config["apiVersion"], config["kind"]) == ("eksctl.io/v1alpha5", "ClusterConfig")
    assert config["metadata"] == {"name": "demo", "region": "ap-northeast-2"}


def test_irsa_role_is_created_with_oidc_and_the_policy_while_the_service_account_is_left_alone(
    make_profile, upstream_lbc_policy
) -> None:
    # GIVEN LBC on IRSA / WHEN built / THEN withOIDC and one role-only entry with the policy inline
    config = eksctl_config(make_profile(loadBalancerController={"identity": IRSA}), upstream_lbc_policy)
    assert config is not None
    assert config["iam"]["withOIDC"] is True
    (entry,) = config["iam"]["serviceAccounts"]
    assert entry["metadata"] == {"name": "aws-load-balancer-controller", "namespace": "kube-system"}
    assert entry["roleName"] == "demo-lbc"
    assert entry["roleOnly"] is True
    assert entry["attachPolicy"] == upstream_lbc_policy
    assert "addons" not in config


def test_pod_identity_association_brings_the_agent_add_on(make_profile, upstream_lbc_policy) -> None:
    # GIVEN ExternalDNS on Pod Identity / WHEN built / THEN an association with the built policy and the agent
    profile = make_profile(externalDns={"identity": POD_IDENTITY, "hostedZoneIds": ["Z0123456789EXAMPLEAB"]})
    artifacts = {
        artifact.path: artifact.content for artifact in build_iam_artifacts(profile, upstream_lbc_policy)
    }
    config = artifacts[EKSCTL_PATH]
    (association,) = config["iam"]["podIdentityAssociations"]
    assert association == {
        "namespace": "kube-system",
        "serviceAccountName": "external-dns",
        "roleName": "demo-dns",
        "createServiceAccount": False,
        "permissionPolicy": artifacts[policy_path("external-dns")],
    }
    assert config["addons"] == [{"name": "eks-pod-identity-agent"}]
    assert "withOIDC" not in config["iam"]


def test_no_fragment_without_a_role_to_create(make_profile, upstream_lbc_policy) -> None:
    # GIVEN no controller with an identity / THEN no eksctl file
    assert eksctl_config(make_profile(), upstream_lbc_policy) is None


@pytest.mark.parametrize(
    ("identity", "section", "key"),
    [
        (IRSA, "serviceAccounts", "attachPolicy"),
        (POD_IDENTITY, "podIdentityAssociations", "permissionPolicy"),
    ],
    ids=["irsa", "pod-identity"],
)
def test_lbc_role_without_a_policy_file_gets_eksctls_well_known_policy(
    make_profile, upstream, identity, section, key
) -> None:
    # GIVEN LBC with an identity but no iamPolicy loaded
    config = eksctl_config(make_profile(loadBalancerController={"identity": identity}), None)
    # THEN eksctl still creates the role the values name, with its well-known LBC policy
    assert config is not None
    (entry,) = config["iam"][section]
    assert entry["roleName"] == identity["roleName"]
    assert entry["wellKnownPolicies"] == {"awsLoadBalancerController": True}
    assert key not in entry
    # AND the key is one eksctl's schema knows
    import json

    schema = json.loads((upstream / "eksctl" / "v0.230.0" / "schema.json").read_text())
    assert "awsLoadBalancerController" in schema["definitions"]["WellKnownPolicies"]["properties"]


def test_rendered_fragment_explains_how_to_apply_it(make_profile, upstream_lbc_policy) -> None:
    profile = make_profile(loadBalancerController={"identity": IRSA}, externalDns={"identity": POD_IDENTITY})
    (artifact,) = [a for a in build_iam_artifacts(profile, upstream_lbc_policy) if a.path == EKSCTL_PATH]
    text = render_artifact(artifact).decode()
    assert f"eksctl create iamserviceaccount --config-file {EKSCTL_PATH} --approve" in text
    assert f"eksctl create podidentityassociation --config-file {EKSCTL_PATH}" in text
    assert "# IRSA needs the cluster's IAM OIDC provider." in text
