"""Where each pinned release publishes its CRDs, for the CRD cache and for trees that reference them,
and how a release is named in messages.

Sources: kubernetes-sigs/gateway-api release assets ``<channel>-install.yaml`` (see ``gateway_api``);
kubernetes-sigs/aws-load-balancer-controller at each tag, ``helm/aws-load-balancer-controller/crds/
crds.yaml`` (elbv2.k8s.aws) and, from the releases serving gateway.k8s.aws, ``config/crd/gateway/
gateway-crds.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass

from eksnet_manifests.versions import gateway_api, gitops, lbc

GATEWAY_API = "gateway-api"
LBC = "aws-load-balancer-controller"
ARGO_CD = "argo-cd"
FLUX = "flux"
PRODUCT_NAMES = {
    GATEWAY_API: gateway_api.PRODUCT,
    LBC: lbc.PRODUCT,
    ARGO_CD: gitops.ARGO_CD,
    FLUX: gitops.FLUX,
}
_LBC_RAW = "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/{version}/{path}"


def lbc_crd_urls(version: str) -> tuple[str, ...]:
    """The files holding the CRDs of LBC ``version``."""
    files = ["helm/aws-load-balancer-controller/crds/crds.yaml"]
    if lbc.served_gateway_aws_versions(version):
        files.append("config/crd/gateway/gateway-crds.yaml")
    return tuple(_LBC_RAW.format(version=version, path=path) for path in files)


@dataclass(frozen=True, order=True)
class CrdRelease:
    """A release that publishes CRDs: a Gateway API release and channel, an LBC tag, Argo CD, Flux."""

    product: str
    version: str
    channel: str | None = None

    @property
    def label(self) -> str:
        """``Gateway API v1.3.0 (experimental)``, ``AWS Load Balancer Controller v3.1.0``, …"""
        suffix = f" ({self.channel})" if self.product == GATEWAY_API else ""
        return f"{PRODUCT_NAMES[self.product]} {self.version}{suffix}"

    def urls(self) -> tuple[str, ...]:
        """The release files holding its CRDs."""
        if self.product == GATEWAY_API:
            return (gateway_api.install_url(self.version, str(self.channel)),)
        if self.product == ARGO_CD:
            return gitops.argo_cd_crd_urls(self.version)
        if self.product == FLUX:
            return gitops.flux_crd_urls(self.version)
        return lbc_crd_urls(self.version)
