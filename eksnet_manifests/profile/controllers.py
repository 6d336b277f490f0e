"""Pinned versions and settings of the AWS Load Balancer Controller and Gateway API."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import Field

from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.exposure import Scheme, Tls
from eksnet_manifests.profile.gateway import Gateway, GatewayClassSettings, Listener
from eksnet_manifests.profile.identity import Identity, ServiceAccount
from eksnet_manifests.profile.names import ChartVersion, DnsLabel, PositiveCount, ReleaseVersion


class LoadBalancerController(StrictModel):
    version: ReleaseVersion = "v3.5.0"
    """Controller release; decides the feature gates, CRDs and gateway.k8s.aws API versions emitted."""
    chart_version: ChartVersion | None = None
    """Helm chart version of eks/aws-load-balancer-controller (default: the one shipping ``version``),
    pinned in the values header; a chart of another controller release is an error."""
    ingress_class: DnsLabel = "alb"
    """IngressClass the controller manages."""
    feature_gates: dict[str, bool] = Field(default_factory=dict)
    """Extra ``--feature-gates``; names must exist in the pinned release (unknown ones stop it)."""
    replicas: PositiveCount = 2
    """Controller replicas (one leader, the rest standby)."""
    service_account: ServiceAccount = ServiceAccount(name="aws-load-balancer-controller")
    """ServiceAccount of the controller."""
    identity: Identity | None = None
    """IRSA or Pod Identity role; unset means the ServiceAccount must already have credentials."""
    iam_policy: str | None = None
    """Path or URL of the controller's ``iam_policy.json`` for this version; unset writes no LBC policy."""


class GatewayApi(StrictModel):
    version: ReleaseVersion = "v1.6.1"
    """Gateway API CRD release installed in the cluster; decides the apiVersions written and the CRDs
    custom resources are checked against."""
    channel: Literal["standard", "experimental"] = "standard"
    """CRD channel installed (before v1.5.0 TLSRoute, before v1.6.0 TCPRoute/UDPRoute need experimental)."""
    gateway_class_name: DnsLabel = "aws-alb"
    """GatewayClass for the LBC ALB controller (``gateway.k8s.aws/alb``)."""
    gateway_name: DnsLabel = "alb-http"
    """The shared Gateway every gateway-exposed app's HTTPRoute attaches to."""
    namespace: DnsLabel = "default"
    """Namespace of the Gateway and its LoadBalancerConfiguration."""
    load_balancer_configuration_name: DnsLabel = "lbc-config"
    """LoadBalancerConfiguration referenced by the GatewayClass."""
    scheme: Scheme = "internal"
    """ALB scheme (LoadBalancerConfiguration ``scheme``); internal is LBC's default."""
    tls: Tls = Tls()
    """HTTPS listener: certificate ARNs, or ``https: true`` for discovery."""
    allowed_routes: Literal["Same", "All"] = "Same"
    """Which namespaces may attach routes to the Gateway's listeners (Same is the Gateway API default)."""
    alb_gateway_class_name: DnsLabel = "aws-alb-gateway"
    """GatewayClass of the ALB Gateways in ``gateways`` that name none (``gateway.k8s.aws/alb``)."""
    nlb_gateway_class_name: DnsLabel = "aws-nlb-gateway"
    """GatewayClass of the NLB Gateways in ``gateways`` that name none (``gateway.k8s.aws/nlb``)."""
    gateways: tuple[Gateway, ...] = ()
    """Gateways of their own (ALB or NLB), each with its load balancer settings; apps choose one by name."""
    gateway_classes: tuple[GatewayClassSettings, ...] = ()
    """Defaults for every Gateway of a class (a LoadBalancerConfiguration on the GatewayClass)."""

    @cached_property
    def _shared_gateway(self) -> Gateway:
        return self.shared_gateway()

    def shared_gateway(self) -> Gateway:
        """The shared Gateway as a Gateway model: an HTTP listener and, with TLS, an HTTPS one."""
        listeners = [Listener(name="http", protocol="HTTP", port=80)]
        if self.tls.tls_enabled:
            listeners.append(Listener(name="https", protocol="HTTPS", port=443))
        return Gateway(
            name=self.gateway_name,
            type="alb",
            namespace=self.namespace,
            gateway_class_name=self.gateway_class_name,
            scheme=self.scheme,
            listeners=tuple(listeners),
            allowed_routes=self.allowed_routes,
        )

    def gateway(self, name: str | None) -> Gateway | None:
        """The Gateway apps name with ``expose.gateway`` (None: the shared one); None when unknown."""
        if name is None:
            return self._shared_gateway
        return next((gateway for gateway in self.gateways if gateway.name == name), None)

    def gateway_namespace(self, gateway: Gateway) -> str:
        return gateway.namespace or self.namespace

    def gateway_class(self, gateway: Gateway) -> str:
        default = self.alb_gateway_class_name if gateway.type == "alb" else self.nlb_gateway_class_name
        return gateway.gateway_class_name or default

    def class_settings(self, name: str) -> GatewayClassSettings | None:
        return next((entry for entry in self.gateway_classes if entry.name == name), None)
