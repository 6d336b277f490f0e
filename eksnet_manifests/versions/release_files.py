"""Where each pinned release publishes its CRDs, for the CRD cache and for trees that reference them.

Sources: kubernetes-sigs/gateway-api release assets ``<channel>-install.yaml`` (see ``gateway_api``);
kubernetes-sigs/aws-load-balancer-controller at each tag, ``helm/aws-load-balancer-controller/crds/
crds.yaml`` (elbv2.k8s.aws) and, from the releases serving gateway.k8s.aws, ``config/crd/gateway/
gateway-crds.yaml``.
"""

from __future__ import annotations

from eksnet_manifests.versions import lbc

_LBC_RAW = "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/{version}/{path}"


def lbc_crd_urls(version: str) -> tuple[str, ...]:
    """The files holding the CRDs of LBC ``version``."""
    files = ["helm/aws-load-balancer-controller/crds/crds.yaml"]
    if lbc.served_gateway_aws_versions(version):
        files.append("config/crd/gateway/gateway-crds.yaml")
    return tuple(_LBC_RAW.format(version=version, path=path) for path in files)
