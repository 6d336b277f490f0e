"""ExternalDNS's Route 53 permissions, scoped to the hosted zones it manages.

Actions follow kubernetes-sigs/external-dns v0.22.0 docs/tutorials/aws.md ("IAM Policy"): record
changes and listings on hosted zones, and ListHostedZones (which IAM cannot scope) on ``*``.
"""

from __future__ import annotations

from typing import Any

from eksnet_manifests.profile.dns import ExternalDns
from eksnet_manifests.synth.iam.arn import hosted_zone_arn
from eksnet_manifests.synth.iam.grammar import POLICY_VERSION

CHANGE_RECORDS = "route53:ChangeResourceRecordSets"
ZONE_ACTIONS = (CHANGE_RECORDS, "route53:ListResourceRecordSets", "route53:ListTagsForResources")
LIST_ZONES = "route53:ListHostedZones"
ALL_ZONES = "*"


def zone_arns(external_dns: ExternalDns, partition: str) -> tuple[str, ...]:
    """ARNs of the hosted zones ExternalDNS may change; every zone when none are listed."""
    zones = sorted(set(external_dns.hosted_zone_ids)) or [ALL_ZONES]
    return tuple(hosted_zone_arn(partition, zone) for zone in zones)


def build_external_dns_policy(external_dns: ExternalDns, partition: str) -> dict[str, Any]:
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {
                "Sid": "ChangeRecordsInManagedZones",
                "Effect": "Allow",
                "Action": list(ZONE_ACTIONS),
                "Resource": list(zone_arns(external_dns, partition)),
            },
            {"Sid": "FindHostedZones", "Effect": "Allow", "Action": [LIST_ZONES], "Resource": ["*"]},
        ],
    }


def external_dns_scope(external_dns: ExternalDns, partition: str) -> dict[str, tuple[str, ...]]:
    """Write actions and the ARNs they need, for ``check_policy``; empty when no zone is listed."""
    if not external_dns.hosted_zone_ids:
        return {}
    return {CHANGE_RECORDS: zone_arns(external_dns, partition)}
