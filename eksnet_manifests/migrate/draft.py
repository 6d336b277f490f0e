"""What the translators make of one Ingress or NLB Service, before it becomes profile apps or Gateway
API objects.

``settings`` holds the typed profile fields (``expose.scheme``, ``expose.healthCheck.path``: the
annotation catalogue's names) with their values: the profile is the intermediate form, so an
exposure's settings are spelt once for both targets. ``raw`` holds the annotations a profile keeps as
written (``expose.annotations``); the other fields carry what Gateway API needs parsed: routing rules,
listen ports, actions, conditions, transforms and authentication.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eksnet_manifests.migrate.report import Source


@dataclass(frozen=True)
class ServiceRef:
    """An Ingress backend: a Service and port (number or name), or an LBC action (``use-annotation``)."""

    service: str | None = None
    port: int | str | None = None
    action: str | None = None
    at: str = ""
    """The input field it was read from."""


@dataclass(frozen=True)
class PathDraft:
    path: str
    path_type: str
    backend: ServiceRef


@dataclass
class RuleDraft:
    host: str | None
    paths: list[PathDraft] = field(default_factory=list)


@dataclass(frozen=True)
class ListenPort:
    protocol: str
    port: int

    @property
    def section(self) -> str:
        """The Gateway listener name lbc-migrate gives it: ``http-80``."""
        return f"{self.protocol.lower()}-{self.port}"


@dataclass
class Draft:
    """One Ingress, as the translators read it."""

    source: Source
    settings: dict[str, Any] = field(default_factory=dict)
    """Typed profile field (``expose.…``) -> value."""
    raw: dict[str, str] = field(default_factory=dict)
    """Annotations a profile keeps as written."""
    listen_ports: list[ListenPort] = field(default_factory=list)
    certificate_arns: list[str] = field(default_factory=list)
    ssl_redirect: int | None = None
    rules: list[RuleDraft] = field(default_factory=list)
    default_backend: ServiceRef | None = None
    tls_hosts: list[str] = field(default_factory=list)
    actions: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Parsed ``actions.<name>`` annotations."""
    conditions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Parsed ``conditions.<service or action name>`` annotations."""
    transforms: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    mutual_tls: list[dict[str, Any]] = field(default_factory=list)
    """Parsed ``mutual-authentication`` entries (per port)."""
    gateway: dict[str, Any] = field(default_factory=dict)
    """Settings only Gateway API takes typed: ``loadBalancer.<field>`` (LoadBalancerSettings),
    ``targetGroup.<field>`` (TargetGroupProps), ``listener.<PROTOCOL>-<port>.<field>`` (Listener)."""
    authentication: dict[str, Any] = field(default_factory=dict)
    """The ListenerRule fields of the Ingress's authentication (profile.listener_rule wire names)."""
    use_regex: bool = False
    ingress_class: str | None = None
    ttl: int | None = None
    hostname_annotation: tuple[str, ...] = ()

    @property
    def group_name(self) -> str | None:
        value = self.settings.get("expose.groupName")
        return str(value) if value is not None else None

    @property
    def group_order(self) -> int:
        value = self.settings.get("expose.groupOrder")
        return int(value) if value is not None else 0

    def hosts(self) -> list[str]:
        """Hosts of the rules, then of ``spec.tls``, once each (ExternalDNS's ingress source reads both)."""
        found = [rule.host for rule in self.rules if rule.host] + self.tls_hosts
        return list(dict.fromkeys(host for host in found if host))

    def services(self) -> list[str]:
        """Services the Ingress sends traffic to, in order (paths, default backend, forward actions)."""
        names = [path.backend.service for rule in self.rules for path in rule.paths]
        if self.default_backend is not None:
            names.append(self.default_backend.service)
        for action in self.actions.values():
            forward = action.get("forwardConfig") or {}
            names += [group.get("serviceName") for group in forward.get("targetGroups") or ()]
        return list(dict.fromkeys(name for name in names if isinstance(name, str)))


@dataclass(frozen=True)
class ServicePort:
    name: str | None
    port: int
    target_port: int | str
    protocol: str
    at: str


@dataclass
class ServiceDraft(Draft):
    """One NLB Service, as the translators read it."""

    ports: list[ServicePort] = field(default_factory=list)
    tls_ports: list[int] = field(default_factory=list)
    """Ports ``ssl-ports`` makes TLS listeners (all, when it is unset and certificates are given)."""
