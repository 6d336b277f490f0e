"""The ALB's listeners (``listen-ports``): one Gateway listener per port, named as lbc-migrate names them
(``http-80``, ``https-443``).

Without the annotation LBC listens on HTTP 80, or on HTTPS 443 alone when ``certificate-arn`` is set
(LBC docs ``guide/ingress/annotations.md`` listen-ports, v3.5.0). eksnet's ALB exposures write HTTP 80
and, with TLS, HTTPS 443; other ports stay in ``expose.annotations``.
"""

from __future__ import annotations

import json

from eksnet_manifests.migrate.alb.common import PREFIX, keep, note
from eksnet_manifests.migrate.draft import Draft, ListenPort
from eksnet_manifests.migrate.inputs import Resource
from eksnet_manifests.migrate.report import Report, failed, translated

KEYS = ("listen-ports",)
KEY = PREFIX + "listen-ports"
CERTIFICATES = PREFIX + "certificate-arn"
HTTP, HTTPS = ListenPort("HTTP", 80), ListenPort("HTTPS", 443)


class BadPorts(ValueError):
    pass


def parse_ports(value: str) -> list[ListenPort]:
    """``[{"HTTP": 80}, {"HTTPS": 443}]`` as listen ports, in order."""
    try:
        entries = json.loads(value)
    except json.JSONDecodeError as exc:
        raise BadPorts(f"not JSON ({exc.msg})") from None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise BadPorts('not a list like [{"HTTP": 80}, {"HTTPS": 443}]')
    ports = []
    for entry in entries:
        for protocol, port in entry.items():
            if (
                str(protocol).upper() not in ("HTTP", "HTTPS")
                or not isinstance(port, int)
                or isinstance(port, bool)
            ):
                raise BadPorts(f"{protocol!r}: {port!r} is not an HTTP or HTTPS port")
            ports.append(ListenPort(str(protocol).upper(), port))
    return list(dict.fromkeys(ports))


def ports_of(ingress: Resource) -> list[ListenPort]:
    """The ports LBC listens on for the Ingress (its default without the annotation); [] if unreadable."""
    value = ingress.annotations.get(KEY)
    if value is None:
        return [HTTPS] if ingress.annotations.get(CERTIFICATES) else [HTTP]
    try:
        return parse_ports(value)
    except BadPorts:
        return []


def translate(ingress: Resource, draft: Draft, report: Report) -> None:
    draft.listen_ports = ports_of(ingress)
    if KEY not in ingress.annotations:
        return
    try:
        ports = parse_ports(ingress.annotations[KEY])
    except BadPorts as exc:
        note(report, ingress, KEY, failed(f"LBC cannot read it: {exc}"))
        return
    if any(port.protocol == "HTTPS" for port in ports):
        draft.settings["expose.https"] = True
    sections = ", ".join(port.section for port in ports)
    gateway = translated("Gateway spec.listeners", f"listeners {sections}")
    if ports == [HTTP]:
        note(report, ingress, KEY, translated("expose.https", "HTTP 80 only: eksnet's default"), gateway)
    elif set(ports) == {HTTP, HTTPS}:
        note(report, ingress, KEY, translated("expose.https"), gateway)
    else:
        why = "kept as written: eksnet's ALB exposures write HTTP 80 and HTTPS 443 only"
        keep(ingress, KEY, draft, report, gateway, why)
