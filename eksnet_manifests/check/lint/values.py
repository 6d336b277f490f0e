"""Helm values files as lint input: which chart a file configures, and the few settings the lints read.

Which file configures which chart is ``check.values_files``'s call. When a chart's values are absent,
every lint that needs them reports nothing.
Defaults below are the charts' own: aws-load-balancer-controller 3.5.0, external-dns 1.21.1.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from eksnet_manifests.check.lint.fields import as_str, dig, items
from eksnet_manifests.check.values_files import classify_values_file
from eksnet_manifests.errors import CheckError, Location

DEFAULT_EXTERNAL_DNS_SOURCES = ("service", "ingress")
DEFAULT_LBC_INGRESS_CLASS = "alb"


class ChartValues(Mapping[str, Any]):
    """A parsed values mapping that remembers its file, so findings about it can point there."""

    def __init__(self, chart: str, data: Mapping[str, Any], file: str | None = None) -> None:
        self.chart = chart
        self.data = data
        self.file = file or f"<{chart} values>"

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"ChartValues({self.chart!r}, file={self.file!r})"

    def line_of(self, keys: Iterable[str]) -> int | None:
        """1-based line of the deepest of ``keys`` present, when loaded with positions (ruamel)."""
        line = None
        node: Any = self.data
        for key in keys:
            position = getattr(node, "lc", None)
            if not isinstance(node, Mapping) or key not in node:
                break
            if position is not None:
                line = position.key(key)[0] + 1
            node = node[key]
        return line


def values_from_documents(parsed: Iterable[tuple[str, Any]]) -> dict[str, ChartValues]:
    """Pick the values files out of ``(path, parsed content)`` pairs, keyed by chart name.

    Raises CheckError when a values file is not a mapping, or when two files configure the same chart
    (one validation run describes one cluster).
    """
    found: dict[str, ChartValues] = {}
    for path, content in parsed:
        chart = classify_values_file(path)
        if chart is None:
            continue
        if content is not None and not isinstance(content, Mapping):
            raise CheckError(f"{chart} values must be a mapping", Location(file=path))
        if chart in found:
            raise CheckError(
                f"{chart} values given twice (also {found[chart].file}); validate one cluster at a time",
                Location(file=path),
            )
        found[chart] = ChartValues(chart, content or {}, path)
    return found


def chart_values(chart: str, values: Mapping[str, Any]) -> ChartValues:
    return values if isinstance(values, ChartValues) else ChartValues(chart, values)


def feature_gate(lbc: Mapping[str, Any], gate: str) -> bool | None:
    """``controllerConfig.featureGates.<gate>`` as a bool; None when unset (the controller default)."""
    value = dig(lbc, "controllerConfig", "featureGates", gate)
    if isinstance(value, bool):
        return value
    text = as_str(value)
    return {"true": True, "false": False}.get(text.lower()) if text else None


def image_tag(values: Mapping[str, Any]) -> str | None:
    """The controller release the values pin (``image.tag``), or None when the chart's default applies."""
    return as_str(dig(values, "image", "tag"))


def lbc_ingress_class(lbc: Mapping[str, Any]) -> str | None:
    """The IngressClass the LBC chart creates, or None when ``createIngressClassResource`` is false."""
    if lbc.get("createIngressClassResource") is False:
        return None
    return as_str(lbc.get("ingressClass")) or DEFAULT_LBC_INGRESS_CLASS


def external_dns_sources(external_dns: Mapping[str, Any]) -> tuple[str, ...]:
    if "sources" not in external_dns:
        return DEFAULT_EXTERNAL_DNS_SOURCES
    return tuple(s for s in items(external_dns["sources"]) if isinstance(s, str))


def domain_list(external_dns: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """``domainFilters`` / ``excludeDomains`` normalised as ExternalDNS does: lower case, no trailing dot."""
    return tuple(
        d.strip().lower().rstrip(".")
        for d in items(external_dns.get(key))
        if isinstance(d, str) and d.strip()
    )


def external_dns_setting(external_dns: Mapping[str, Any], key: str) -> str | None:
    return as_str(external_dns.get(key))
