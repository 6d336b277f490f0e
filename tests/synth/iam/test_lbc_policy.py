"""LBC policy per release: the published URL per partition, and the actions an upgrade adds or removes."""

from __future__ import annotations

import copy

import pytest

from eksnet_manifests.synth.iam.lbc_policy import allowed_actions, diff_actions, published_policy_url

LISTENER_ATTRIBUTES = "elasticloadbalancing:DescribeListenerAttributes"


@pytest.mark.parametrize(
    ("partition", "file"),
    [("aws", "iam_policy.json"), ("aws-cn", "iam_policy_cn.json"), ("aws-us-gov", "iam_policy_us-gov.json")],
)
def test_published_url_names_the_release_tag_and_the_partition_file(partition: str, file: str) -> None:
    assert published_policy_url("v3.5.0", partition) == (
        f"https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/docs/install/{file}"
    )


def without_action(policy: dict, action: str) -> dict:
    """``policy`` as an older release would have it: ``action`` not yet granted."""
    older = copy.deepcopy(policy)
    for statement in older["Statement"]:
        named = statement["Action"]
        statement["Action"] = [a for a in ([named] if isinstance(named, str) else named) if a != action]
    older["Statement"] = [s for s in older["Statement"] if s["Action"]]
    return older


def test_upgrade_diff_shows_the_action_the_old_policy_lacks(upstream_lbc_policy) -> None:
    # GIVEN a policy without DescribeListenerAttributes / WHEN diffed with v3.5.0 / THEN that is added
    old = without_action(upstream_lbc_policy, LISTENER_ATTRIBUTES)
    change = diff_actions(old, upstream_lbc_policy)
    assert change.added == (LISTENER_ATTRIBUTES,)
    assert change.removed == ()
    assert change.lines() == [f"+ {LISTENER_ATTRIBUTES}"]


def test_downgrade_diff_shows_removed_actions(upstream_lbc_policy) -> None:
    change = diff_actions(upstream_lbc_policy, without_action(upstream_lbc_policy, LISTENER_ATTRIBUTES))
    assert change.lines() == [f"- {LISTENER_ATTRIBUTES}"]


def test_same_policy_has_no_change(upstream_lbc_policy) -> None:
    assert not diff_actions(upstream_lbc_policy, copy.deepcopy(upstream_lbc_policy)).changed


def test_action_case_does_not_count_as_a_change() -> None:
    # IAM action names are case-insensitive
    old = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "EC2:describeVpcs", "Resource": "*"}],
    }
    new = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "ec2:DescribeVpcs", "Resource": "*"}],
    }
    assert not diff_actions(old, new).changed


def test_deny_statements_grant_nothing() -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "ec2:DescribeVpcs", "Resource": "*"},
            {"Effect": "Deny", "Action": "ec2:DeleteVpc", "Resource": "*"},
        ],
    }
    assert list(allowed_actions(policy).values()) == ["ec2:DescribeVpcs"]
