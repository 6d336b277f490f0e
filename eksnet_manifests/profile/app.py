"""An application: one Deployment and one Service, exposed one way."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.exposure import Exposure, NoExposure
from eksnet_manifests.profile.names import Count, DnsLabel, Port


class ResourceList(StrictModel):
    cpu: str | None = None
    """CPU quantity, e.g. ``100m``."""
    memory: str | None = None
    """Memory quantity, e.g. ``128Mi``."""


class Resources(StrictModel):
    requests: ResourceList | None = None
    """What the scheduler reserves."""
    limits: ResourceList | None = None
    """Hard caps."""


class AppDefaults(StrictModel):
    image: str = "nginx:alpine"
    """Container image for apps that name none."""
    port: Port = 80
    """Container port for apps that name none."""
    service_port: Port = 80
    """Service port for apps that name none."""
    replicas: Count = 2
    """Replica count for apps that name none."""
    namespace: DnsLabel = "default"
    """Namespace for apps that name none."""


class App(StrictModel):
    name: DnsLabel
    """App name: Deployment, Service and route names, and the file ``apps/<name>.yaml``."""
    namespace: DnsLabel | None = None
    """Namespace (default: ``defaults.namespace``)."""
    image: str | None = None
    """Container image (default: ``defaults.image``)."""
    port: Port | None = None
    """Container port the app listens on (default: ``defaults.port``)."""
    service_port: Port | None = None
    """Port the Service and load balancer listen on (default: ``defaults.servicePort``)."""
    replicas: Count | None = None
    """Replicas (default: ``defaults.replicas``)."""
    env: dict[str, str] = Field(default_factory=dict)
    """Environment variables."""
    resources: Resources | None = None
    """CPU and memory requests and limits."""
    labels: dict[str, str] = Field(default_factory=dict)
    """Extra labels on every object of the app."""
    image_pull_policy: Literal["Always", "IfNotPresent", "Never"] | None = None
    """Image pull policy (Kubernetes default when unset)."""
    termination_grace_period_seconds: Count | None = None
    """Seconds a pod gets to stop (the lab uses 0)."""
    expose: Exposure = Field(default_factory=NoExposure)
    """How the app is reached; ``type`` is one of nlb, alb, gateway, none."""

    def resolved(self, defaults: AppDefaults) -> App:
        """A copy with every defaulted field filled in from ``defaults``."""
        return self.model_copy(
            update={
                "namespace": self.namespace or defaults.namespace,
                "image": self.image or defaults.image,
                "port": self.port or defaults.port,
                "service_port": self.service_port or defaults.service_port,
                "replicas": defaults.replicas if self.replicas is None else self.replicas,
            }
        )
