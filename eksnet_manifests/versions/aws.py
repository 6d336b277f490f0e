"""AWS partitions by region name (AWS General Reference, "ARN format": aws, aws-cn, aws-us-gov, aws-iso*)."""

from __future__ import annotations

import re

_ISO_REGION = re.compile(r"^[a-z]{2}-iso([a-z]?)-")


def aws_partition(region: str) -> str:
    """The ARN partition of ``region``: aws, aws-cn, aws-us-gov or an aws-iso* partition."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    iso = _ISO_REGION.match(region)
    if iso:
        return f"aws-iso-{iso.group(1)}" if iso.group(1) else "aws-iso"
    return "aws"
