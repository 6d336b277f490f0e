"""How a controller gets AWS credentials: IRSA or EKS Pod Identity, never the node's role."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from eksnet_manifests.spec.base import StrictModel
from eksnet_manifests.spec.names import DnsLabel


class ServiceAccount(StrictModel):
    name: DnsLabel
    """ServiceAccount the controller runs as."""
    namespace: DnsLabel = "kube-system"
    """Namespace of the controller and its ServiceAccount."""
    create: bool = False
    """Let the Helm chart create the ServiceAccount; false means eksnet (or eksctl) provides it."""


class Irsa(StrictModel):
    """IAM Roles for Service Accounts: the pod assumes the role through the cluster's OIDC provider."""

    type: Literal["irsa"]
    role_name: str = Field(min_length=1, max_length=64, pattern=r"^[\w+=,.@-]+$")
    """IAM role name the ServiceAccount is annotated with."""
    oidc_provider: str | None = None
    """OIDC issuer host/path, e.g. ``oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE``."""


class PodIdentity(StrictModel):
    """EKS Pod Identity: an association binds the ServiceAccount to the role; no annotation needed."""

    type: Literal["podIdentity"]
    role_name: str = Field(min_length=1, max_length=64, pattern=r"^[\w+=,.@-]+$")
    """IAM role name of the Pod Identity association."""


Identity = Annotated[Irsa | PodIdentity, Field(discriminator="type")]
