"""One IAM view per controller: who it runs as, how it gets credentials, and what it may do."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eksnet_manifests.profile.identity import Identity, ServiceAccount
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.helm import aws_partition
from eksnet_manifests.synth.iam.external_dns_policy import build_external_dns_policy

LBC = "aws-load-balancer-controller"
EXTERNAL_DNS = "external-dns"


@dataclass(frozen=True)
class ControllerRole:
    controller: str
    """Chart name; also the stem of ``iam/<controller>.policy.json`` and ``.trust.json``."""
    field: str
    """Profile section, for messages (``loadBalancerController``)."""
    service_account: ServiceAccount
    identity: Identity | None
    policy: Mapping[str, Any] | None
    """Permissions policy, or None when it could not be loaded."""
    partition: str
    account_id: str | None


def controller_roles(profile: Profile, lbc_policy: Mapping[str, Any] | None) -> tuple[ControllerRole, ...]:
    """The two controllers, LBC first (the order every IAM artifact lists them in).

    LBC's policy is the one loaded for its pinned release; ExternalDNS's is built from the profile.
    """
    partition = aws_partition(profile.cluster.region)
    account = profile.cluster.account_id
    lbc, dns = profile.load_balancer_controller, profile.external_dns
    dns_policy = build_external_dns_policy(dns, partition)
    return (
        ControllerRole(
            LBC, "loadBalancerController", lbc.service_account, lbc.identity, lbc_policy, partition, account
        ),
        ControllerRole(
            EXTERNAL_DNS, "externalDns", dns.service_account, dns.identity, dns_policy, partition, account
        ),
    )


def policy_path(controller: str) -> str:
    return f"iam/{controller}.policy.json"


def trust_path(controller: str) -> str:
    return f"iam/{controller}.trust.json"
