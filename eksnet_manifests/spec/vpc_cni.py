"""Amazon VPC CNI settings: how pods get VPC addresses and how many the node keeps warm."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from eksnet_manifests.spec.base import StrictModel


class VpcCni(StrictModel):
    mode: Literal["secondary-ip", "prefix-delegation"] = "secondary-ip"
    """``secondary-ip`` (one VPC IP per pod) or ``prefix-delegation`` (/28 prefixes per ENI slot)."""
    warm_eni_target: int | None = Field(default=None, ge=0)
    """WARM_ENI_TARGET: spare ENIs kept attached."""
    warm_ip_target: int | None = Field(default=None, ge=0)
    """WARM_IP_TARGET: spare IPs kept; when set, WARM_ENI_TARGET is ignored."""
    minimum_ip_target: int | None = Field(default=None, ge=0)
    """MINIMUM_IP_TARGET: IPs allocated at node start."""
    warm_prefix_target: int | None = Field(default=None, ge=0)
    """WARM_PREFIX_TARGET: spare /28 prefixes (prefix delegation only)."""
