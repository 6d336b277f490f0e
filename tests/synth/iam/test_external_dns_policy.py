"""ExternalDNS's Route 53 policy: write access only to the listed zones, the documented actions."""

from __future__ import annotations

import json
import re

import pytest

from eksnet_manifests.profile.dns import ExternalDns
from eksnet_manifests.synth.iam.external_dns_policy import (
    CHANGE_RECORDS,
    build_external_dns_policy,
    external_dns_scope,
)
from eksnet_manifests.synth.iam.grammar import check_policy

ZONES = ("Z0123456789EXAMPLEAB", "Z9876543210EXAMPLEAB")


def resources_for(policy: dict, action: str) -> set[str]:
    return {
        resource
        for statement in policy["Statement"]
        if action in statement["Action"]
        for resource in statement["Resource"]
    }


@pytest.mark.parametrize(
    ("partition", "zones"),
    [
        pytest.param("aws", ZONES[:1], id="one-zone"),
        pytest.param("aws", ZONES, id="two-zones"),
        pytest.param("aws-cn", ZONES[:1], id="china-partition"),
    ],
)
def test_record_changes_are_limited_to_the_listed_zones(partition: str, zones: tuple[str, ...]) -> None:
    # GIVEN hosted zone IDs / WHEN built / THEN ChangeResourceRecordSets names exactly those zones
    dns = ExternalDns(hosted_zone_ids=zones)
    policy = build_external_dns_policy(dns, partition)
    assert resources_for(policy, CHANGE_RECORDS) == {
        f"arn:{partition}:route53:::hostedzone/{z}" for z in zones
    }
    assert check_policy(policy, external_dns_scope(dns, partition)) == []


def test_without_zones_every_zone_is_writable_and_the_scope_is_unknown() -> None:
    # GIVEN no zone IDs / WHEN built / THEN hostedzone/* (documented default), nothing narrower to check
    dns = ExternalDns()
    policy = build_external_dns_policy(dns, "aws")
    assert resources_for(policy, CHANGE_RECORDS) == {"arn:aws:route53:::hostedzone/*"}
    assert external_dns_scope(dns, "aws") == {}
    assert check_policy(policy) == []


def test_actions_are_those_of_the_external_dns_aws_tutorial(upstream) -> None:
    # GIVEN the first policy in external-dns docs/tutorials/aws.md / THEN the same actions are granted
    text = (upstream / "external-dns" / "v0.22.0" / "docs" / "tutorials" / "aws.md").read_text()
    documented = json.loads(re.findall(r"```json\n(.*?)```", text, flags=re.S)[0])
    ours = build_external_dns_policy(ExternalDns(hosted_zone_ids=ZONES), "aws")

    def actions(policy: dict) -> set[str]:
        return {action for statement in policy["Statement"] for action in statement["Action"]}

    assert actions(ours) == actions(documented)
    assert resources_for(ours, "route53:ListHostedZones") == {"*"}


def test_zone_order_and_repeats_do_not_change_the_policy() -> None:
    forward = build_external_dns_policy(ExternalDns(hosted_zone_ids=ZONES), "aws")
    shuffled = build_external_dns_policy(ExternalDns(hosted_zone_ids=(ZONES[1], ZONES[0], ZONES[1])), "aws")
    assert forward == shuffled
