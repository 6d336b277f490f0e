"""The two controllers' Helm charts as GitOps engines install them: repository, chart, pinned version."""

from __future__ import annotations

from dataclasses import dataclass

from eksnet_manifests.errors import BuildError, Location
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.helm import external_dns_values, lbc_values


@dataclass(frozen=True)
class ChartRelease:
    release: str
    """Helm release name, also the chart's name in its repository."""
    repository: str
    """Short name of the chart repository (``helm repo add NAME``)."""
    repository_url: str
    version: str | None
    """None only where eksnet does not know the chart of the release and nothing installs it pinned."""
    namespace: str
    values_path: str

    @property
    def chart(self) -> str:
        return self.release


def controller_charts(profile: Profile, *, pinned: bool) -> tuple[ChartRelease, ...]:
    """LBC and ExternalDNS, each at the chart version the values files are written for.

    A GitOps engine installs exactly the version it is given (``pinned``), so there an LBC release whose
    chart eksnet does not know needs ``loadBalancerController.chartVersion`` (BuildError).
    """
    lbc = profile.load_balancer_controller
    lbc_chart = lbc_values.chart_version(lbc)
    if lbc_chart is None and pinned:
        raise BuildError(
            f"the chart of {lbc.version} is not known to eksnet, and the GitOps engine needs a pinned chart: "
            "set loadBalancerController.chartVersion",
            Location(field="loadBalancerController.chartVersion"),
        )
    dns = profile.external_dns
    return (
        ChartRelease(
            lbc_values.RELEASE_NAME,
            lbc_values.CHART.partition("/")[0],
            lbc_values.CHART_REPOSITORY,
            lbc_chart,
            lbc.service_account.namespace,
            lbc_values.LBC_VALUES_PATH,
        ),
        ChartRelease(
            external_dns_values.RELEASE_NAME,
            external_dns_values.CHART.partition("/")[0],
            external_dns_values.CHART_REPOSITORY,
            dns.chart_version,
            dns.service_account.namespace,
            external_dns_values.EXTERNAL_DNS_VALUES_PATH,
        ),
    )
