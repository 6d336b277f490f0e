"""Validated name types shared by every section: DNS labels, hostnames, ports, versions."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

_LABEL = r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"
_DNS1123_LABEL = re.compile(rf"^{_LABEL}$")
_HOSTNAME = re.compile(rf"^(\*\.)?{_LABEL}(\.{_LABEL})+$")
_URL_PATH = re.compile(r"^/[^\s?#]*$")
_VERSION = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")


def _dns_label(value: str) -> str:
    if not _DNS1123_LABEL.match(value):
        raise ValueError(
            f"{value!r} is not a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)"
        )
    return value


def _hostname(value: str) -> str:
    host = value.strip().lower().removesuffix(".")
    if len(host) > 253 or not _HOSTNAME.match(host):
        raise ValueError(f"{value!r} is not a valid DNS hostname (e.g. app.example.com)")
    return host


def _url_path(value: str) -> str:
    if not _URL_PATH.match(value):
        raise ValueError(f"{value!r} is not an absolute URL path like /healthz")
    return value


def _version(value: str) -> str:
    if not _VERSION.match(value):
        raise ValueError(f"{value!r} is not a release version like v2.14.0")
    return value


def version_tuple(version: str) -> tuple[int, int, int]:
    match = _VERSION.match(version)
    if match is None:
        raise ValueError(f"{version!r} is not a release version like v2.14.0")
    major, minor, patch = (int(group) for group in match.groups())
    return major, minor, patch


DnsLabel = Annotated[str, AfterValidator(_dns_label)]
Hostname = Annotated[str, AfterValidator(_hostname)]
ReleaseVersion = Annotated[str, AfterValidator(_version)]
UrlPath = Annotated[str, AfterValidator(_url_path)]
Port = Annotated[int, Field(ge=1, le=65535)]


def host_in_domain(host: str, domain: str) -> bool:
    """True when ``host`` equals ``domain`` or is below it (ExternalDNS domainFilter semantics)."""
    host, domain = host.removeprefix("*."), domain.lower().removesuffix(".").removeprefix(".")
    return host == domain or host.endswith("." + domain)
