"""ARNs only the IAM artifacts name; role ARNs and partitions come from ``synth.helm`` (one place)."""

from __future__ import annotations


def oidc_provider_arn(partition: str, account_id: str, issuer: str) -> str:
    return f"arn:{partition}:iam::{account_id}:oidc-provider/{issuer}"


def hosted_zone_arn(partition: str, zone_id: str) -> str:
    return f"arn:{partition}:route53:::hostedzone/{zone_id}"
