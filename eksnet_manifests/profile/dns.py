"""ExternalDNS on Route 53: which names it may manage and how it treats records it owns."""

from __future__ import annotations

from typing import Literal

from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.identity import Identity, ServiceAccount
from eksnet_manifests.profile.names import ChartVersion, Domain, Duration, ReleaseVersion, identifier
from eksnet_manifests.versions import external_dns
from eksnet_manifests.versions.release import UnknownRelease

Source = Literal[
    "service",
    "ingress",
    "gateway-httproute",
    "gateway-grpcroute",
    "gateway-tlsroute",
    "gateway-tcproute",
    "gateway-udproute",
]
HostedZoneId = identifier(r"Z[0-9A-Z]{4,32}", "a Route 53 hosted zone ID like Z0123456789ABCDEFGHIJ")
TxtValue = identifier(
    r"[A-Za-z0-9_.-]+", "a TXT owner ID or prefix of letters, digits, '_', '.' and '-'", max_length=63
)


class ExternalDns(StrictModel):
    domain_filters: tuple[Domain, ...] = ()
    """Domains ExternalDNS may manage; every app host must fall inside one of them."""
    policy: Literal["sync", "upsert-only", "create-only"] = "upsert-only"
    """``sync`` also deletes records; ``upsert-only`` never deletes; ``create-only`` never updates."""
    txt_owner_id: TxtValue | None = None
    """Owner ID written in TXT registry records (default: the cluster name)."""
    txt_prefix: TxtValue | None = None
    """Prefix for TXT registry record names."""
    registry: Literal["txt", "noop"] = "txt"
    """Ownership registry; ``txt`` is needed for safe deletes."""
    log_level: Literal["panic", "debug", "info", "warning", "error", "fatal"] = "info"
    """ExternalDNS log level."""
    interval: Duration = "1m"
    """Sync interval."""
    sources: tuple[Source, ...] | None = None
    """Kinds of objects watched; unset derives them from the apps' exposure types."""
    hosted_zone_ids: tuple[HostedZoneId, ...] = ()
    """Route 53 hosted zone IDs ExternalDNS may change."""
    zone_type: Literal["public", "private"] | None = None
    """Only manage zones of this type."""
    chart_version: ChartVersion = "1.21.1"
    """Helm chart version of external-dns, pinned in the values header."""
    version: ReleaseVersion | None = None
    """ExternalDNS release (image tag); default: the one the chart deploys. Decides the annotation prefix
    written (external-dns.alpha.kubernetes.io/ until v0.21, external-dns.kubernetes.io/ from v0.22)."""
    service_account: ServiceAccount = ServiceAccount(name="external-dns")
    """ServiceAccount of ExternalDNS."""
    identity: Identity | None = None
    """IRSA or Pod Identity role."""

    @property
    def release(self) -> str:
        """The ExternalDNS release that runs: ``version``, else the chart's; UnknownRelease when unknown."""
        release = self.version or external_dns.app_version(self.chart_version)
        if release is None:
            raise UnknownRelease(
                f"external-dns chart {self.chart_version} is not known to eksnet: set externalDns.version "
                "to the ExternalDNS release it deploys"
            )
        external_dns.table_release(release)
        return release
