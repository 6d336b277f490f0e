"""How a controller gets AWS credentials: IRSA or EKS Pod Identity, never the node's role."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from eksnet_manifests.errors import shown
from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.names import DnsLabel, RoleName, identifier_check

# An EKS issuer is https://oidc.eks.<region>.amazonaws.com/id/<ID>; IAM names the provider by host/path.
_check_issuer = identifier_check(
    r"[a-z0-9.-]+\.[a-z]{2,}(/[A-Za-z0-9._~-]+)*",
    "an OIDC issuer like https://oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE",
    max_length=512,
)
_PROVIDER_ARN = re.compile(r"arn:(aws[a-z-]*):iam::([0-9]{12}):oidc-provider/(.+)", re.ASCII | re.DOTALL)


def _issuer(value: str) -> str:
    _check_issuer(value.removeprefix("https://").rstrip("/"))
    return value.removeprefix("https://").rstrip("/")


class ServiceAccount(StrictModel):
    name: DnsLabel
    """ServiceAccount the controller runs as."""
    namespace: DnsLabel = "kube-system"
    """Namespace of the controller and its ServiceAccount."""
    create: bool = False
    """The Helm chart creates the ServiceAccount; false: eksnet writes it to ``iam/serviceaccounts.yaml``."""

    @property
    def subject(self) -> str:
        """The identity Kubernetes gives the ServiceAccount's tokens (the IRSA ``sub`` claim)."""
        return f"system:serviceaccount:{self.namespace}:{self.name}"


class Irsa(StrictModel):
    """IAM Roles for Service Accounts: the pod assumes the role through the cluster's OIDC provider."""

    type: Literal["irsa"]
    role_name: RoleName
    """IAM role name the ServiceAccount is annotated with."""
    oidc_provider: str | None = None
    """OIDC issuer URL or host/path (``aws eks describe-cluster --query cluster.identity.oidc.issuer``).

    Needed for the trust policy; unset leaves ``iam/<controller>.trust.json`` out (eksctl still works)."""
    oidc_provider_arn: str | None = None
    """IAM OIDC provider ARN (``arn:aws:iam::<account>:oidc-provider/<issuer>``); instead of oidcProvider."""

    @field_validator("oidc_provider")
    @classmethod
    def _normalise_issuer(cls, value: str | None) -> str | None:
        return None if value is None else _issuer(value)

    @field_validator("oidc_provider_arn")
    @classmethod
    def _provider_arn(cls, value: str | None) -> str | None:
        if value is None:
            return None
        match = _PROVIDER_ARN.fullmatch(value)
        if match is None:
            raise ValueError(
                f"{shown(value)} is not an OIDC provider ARN like "
                "arn:aws:iam::111122223333:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE"
            )
        _issuer(match.group(3))
        return value

    @model_validator(mode="after")
    def _one_provider(self) -> Irsa:
        if self.oidc_provider is not None and self.oidc_provider_arn is not None:
            raise ValueError("set oidcProvider or oidcProviderArn, not both")
        return self

    @property
    def issuer(self) -> str | None:
        """The issuer as IAM names it (host/path, no scheme), from either field."""
        if self.oidc_provider_arn is not None:
            return self.oidc_provider_arn.split(":oidc-provider/", 1)[1]
        return self.oidc_provider

    @property
    def provider_account(self) -> str | None:
        """The account that holds the OIDC provider, when its ARN is given."""
        match = _PROVIDER_ARN.fullmatch(self.oidc_provider_arn or "")
        return match.group(2) if match else None


class PodIdentity(StrictModel):
    """EKS Pod Identity: an association binds the ServiceAccount to the role; no annotation needed."""

    type: Literal["podIdentity"]
    role_name: RoleName
    """IAM role name of the Pod Identity association (needs the eks-pod-identity-agent add-on)."""


Identity = Annotated[Irsa | PodIdentity, Field(discriminator="type")]
