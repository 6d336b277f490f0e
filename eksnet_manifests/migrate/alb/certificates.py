"""TLS: ACM certificates (``certificate-arn``), the security policy (``ssl-policy``), mutual TLS
(``mutual-authentication``) and ``spec.tls``.

LBC serves ACM certificates only: ``spec.tls`` hosts let it discover them, its ``secretName`` is not
read (LBC docs ``guide/ingress/cert_discovery.md``, v3.5.0). On Gateway API the certificates and policy
go to the LoadBalancerConfiguration's HTTPS listener configurations, as lbc-migrate writes them.
"""

from __future__ import annotations

import json

from eksnet_manifests.migrate.alb.common import PREFIX, keep, note, parsed, typed
from eksnet_manifests.migrate.alb.listen_ports import KEY as LISTEN_PORTS
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.inputs import Resource, _list, _map
from eksnet_manifests.migrate.report import Report, dropped, failed, translated

KEYS = ("certificate-arn", "ssl-policy", "mutual-authentication")
CERTIFICATES, MUTUAL_TLS = PREFIX + "certificate-arn", PREFIX + "mutual-authentication"
NO_SECRETS = (
    "LBC does not read TLS Secrets: it serves ACM certificates (certificate-arn, or those it discovers "
    "for the TLS hosts)"
)
MUTUAL_TLS_GATEWAY = translated(
    "LoadBalancerConfiguration spec.listenerConfigurations[].mutualAuthentication"
)


def translate(ingress: Resource, draft: Draft, report: Report) -> None:
    if CERTIFICATES in ingress.annotations:
        arns = parsed(ingress, CERTIFICATES, report)
        if arns is not None:
            draft.certificate_arns = list(arns)
            typed(ingress, CERTIFICATES, draft, report)
            if LISTEN_PORTS not in ingress.annotations:
                # LBC's default with certificates is HTTPS 443 alone; eksnet would add HTTP 80.
                draft.raw[LISTEN_PORTS] = json.dumps([{"HTTPS": 443}], separators=(",", ":"))
    if PREFIX + "ssl-policy" in ingress.annotations:
        typed(ingress, PREFIX + "ssl-policy", draft, report)
    if MUTUAL_TLS in ingress.annotations:
        entries = parsed(ingress, MUTUAL_TLS, report)
        if entries is not None and not isinstance(entries, list):
            note(
                report, ingress, MUTUAL_TLS, failed("not a list of per-port settings: LBC fails the Ingress")
            )
        elif entries is not None:
            draft.mutual_tls = [entry for entry in entries if isinstance(entry, dict)]
            keep(ingress, MUTUAL_TLS, draft, report, MUTUAL_TLS_GATEWAY)
    for index, tls in enumerate(_list(ingress.spec.get("tls"))):
        entry = _map(tls)
        at = f"spec.tls[{index}]"
        hosts = [str(host) for host in _list(entry.get("hosts"))]
        draft.tls_hosts += hosts
        if hosts:
            report.add(
                ingress.source,
                f"{at}.hosts",
                translated("expose.hosts", "TLS hosts for certificate discovery"),
                translated("HTTPRoute spec.hostnames"),
                ingress.line_of(f"{at}.hosts"),
            )
        if "secretName" in entry:
            report.both(
                ingress.source, f"{at}.secretName", dropped(NO_SECRETS), ingress.line_of(f"{at}.secretName")
            )
