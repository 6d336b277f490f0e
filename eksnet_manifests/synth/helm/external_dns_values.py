"""Helm values for the ExternalDNS chart (external-dns/external-dns) on Route 53."""

from __future__ import annotations

import shlex
from typing import Any

from eksnet_manifests.errors import BuildError, Location
from eksnet_manifests.profile.dns import ExternalDns, Source
from eksnet_manifests.profile.exposure import GatewayExposure
from eksnet_manifests.profile.names import version_tuple
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.artifact import Artifact
from eksnet_manifests.synth.helm import service_account_values
from eksnet_manifests.versions import external_dns

EXTERNAL_DNS_VALUES_PATH = "helm/external-dns.values.yaml"
CHART = "external-dns/external-dns"
CHART_REPOSITORY = "https://kubernetes-sigs.github.io/external-dns/"
RELEASE_NAME = "external-dns"

# The one place the profile's ``policy`` becomes the chart's ``policy`` value (and its meaning).
POLICIES: dict[str, tuple[str, str]] = {
    "sync": ("sync", "creates, updates and deletes the records it owns"),
    "upsert-only": ("upsert-only", "creates and updates records, never deletes them"),
    "create-only": ("create-only", "creates records, never updates or deletes them"),
}


# The chart's own default, kept when no app is exposed yet so ExternalDNS still starts.
CHART_DEFAULT_SOURCES: tuple[Source, ...] = ("service", "ingress")


def external_dns_sources(profile: Profile) -> tuple[Source, ...]:
    """Sources ExternalDNS watches: the profile's list, else those the apps' exposure types need,
    else the chart's default."""
    explicit = profile.external_dns.sources
    if explicit is not None:
        return explicit
    return profile.derived_sources() or CHART_DEFAULT_SOURCES


def build_external_dns_values(profile: Profile) -> Artifact:
    """Values for ExternalDNS: AWS provider, identity, sources, domains and ownership registry."""
    dns = profile.external_dns
    cluster = profile.cluster
    sources = external_dns_sources(profile)
    if not sources:
        # ExternalDNS requires at least one --source and would not start without one.
        raise BuildError(
            "externalDns.sources is empty: ExternalDNS needs at least one source to start",
            Location(field="externalDns.sources"),
        )
    service_account, account_comments = service_account_values(
        dns.service_account, dns.identity, cluster, "externalDns"
    )
    policy, policy_meaning = POLICIES[dns.policy]
    registry, registry_comments = _registry_values(dns, cluster.name)
    values: dict[str, Any] = {
        "image": {"tag": dns.release},
        "provider": {"name": "aws"},
        "env": [{"name": "AWS_DEFAULT_REGION", "value": cluster.region}],
        "serviceAccount": service_account,
        "sources": list(sources),
        "domainFilters": list(dns.domain_filters),
        "policy": policy,
        **registry,
        "interval": dns.interval,
        "logLevel": dns.log_level,
    }
    comments = {
        "image.tag": (
            "pinned to externalDns.version"
            if dns.version
            else f"the release chart {dns.chart_version} deploys, pinned so checks know what runs"
        ),
        "provider.name": "Route 53",
        "env": "the AWS SDK region; pods cannot read it from instance metadata under IMDSv2 hop limit 1",
        **account_comments,
        "sources": "objects whose hostnames become records; the chart grants RBAC per source name",
        "domainFilters": (
            "only zones and records under these domains are managed"
            if dns.domain_filters
            else "empty: every hosted zone the IAM role can reach is managed"
        ),
        "policy": policy_meaning,
        **registry_comments,
        "interval": "time between two syncs with Route 53",
        "logLevel": "ExternalDNS log level",
    }
    if _routes_on_listener_sets(profile):
        values["enableGatewayListenerSets"] = True
        comments["enableGatewayListenerSets"] = (
            "--gateway-listener-sets: follow routes attached to ListenerSets to their Gateway"
        )
    extra_args = _extra_args(dns)
    if extra_args:
        values["extraArgs"] = extra_args
        comments["extraArgs"] = "Route 53 zone limits: --zone-id-filter per hosted zone ID, --aws-zone-type"
    return Artifact(EXTERNAL_DNS_VALUES_PATH, values, comments, _header(dns))


def _routes_on_listener_sets(profile: Profile) -> bool:
    """Whether an app with hosts attaches to a ListenerSet; a chart without the value is an error."""
    needed = any(
        isinstance(app.expose, GatewayExposure) and app.expose.listener_set and app.expose.hosts
        for app in profile.apps
    )
    chart = profile.external_dns.chart_version
    if needed and version_tuple(f"v{chart.split('-')[0]}") < version_tuple(
        f"v{external_dns.LISTENER_SETS_CHART}"
    ):
        raise BuildError(
            f"apps with hosts attach to ListenerSets: ExternalDNS follows them from chart "
            f"{external_dns.LISTENER_SETS_CHART} (enableGatewayListenerSets); chart {chart} gives them no "
            "records",
            Location(field="externalDns.chartVersion"),
        )
    return needed


def _registry_values(dns: ExternalDns, cluster_name: str) -> tuple[dict[str, Any], dict[str, str]]:
    """``registry`` and the TXT settings, which the chart passes on only with the txt registry."""
    if dns.registry != "txt":
        for field, value in (("txtOwnerId", dns.txt_owner_id), ("txtPrefix", dns.txt_prefix)):
            if value is not None:
                message = f"{field} has no effect with registry {dns.registry}"
                raise BuildError(message, Location(field=f"externalDns.{field}"))
        comment = "no ownership records"
        if dns.policy == "sync":
            comment += ", so sync deletes every record in the zones that no source names"
        return {"registry": dns.registry}, {"registry": comment}
    values: dict[str, Any] = {"registry": "txt", "txtOwnerId": dns.txt_owner_id or cluster_name}
    comments = {
        "registry": "TXT records mark which records this instance owns",
        "txtOwnerId": "owner written in the TXT records; records of other owners are left alone"
        + ("" if dns.txt_owner_id else " (default: the cluster name)"),
    }
    if dns.txt_prefix is not None:
        values["txtPrefix"] = dns.txt_prefix
        comments["txtPrefix"] = "prefix of the TXT record names"
    return values, comments


def _extra_args(dns: ExternalDns) -> list[str]:
    args = [f"--zone-id-filter={zone}" for zone in dns.hosted_zone_ids]
    if dns.zone_type is not None:
        args.append(f"--aws-zone-type={dns.zone_type}")
    return args


def _header(dns: ExternalDns) -> str:
    # Profile values in a command line people paste are quoted for the shell (validated already).
    namespace, version = shlex.quote(dns.service_account.namespace), shlex.quote(dns.chart_version)
    return "\n".join(
        (
            f"Helm values for chart {CHART} {dns.chart_version}.",
            f"helm repo add external-dns {CHART_REPOSITORY}",
            f"helm upgrade --install {RELEASE_NAME} {CHART} --version {version} "
            f"--namespace {namespace} -f {EXTERNAL_DNS_VALUES_PATH}",
        )
    )
