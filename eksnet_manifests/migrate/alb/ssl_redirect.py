"""HTTP -> HTTPS redirection (``ssl-redirect``).

LBC answers every HTTP listener's requests with a 301 to the HTTPS port; lbc-migrate writes one redirect
HTTPRoute per HTTP listener and attaches the Ingress's routes to the HTTPS listener only (LBC
``pkg/ingress2gateway/translate/group.go``, v3.5.0). A profile's ``sslRedirect: true`` redirects to 443.
"""

from __future__ import annotations

from eksnet_manifests.migrate.alb.common import PREFIX, keep, note, parsed
from eksnet_manifests.migrate.alb.listen_ports import HTTPS, ports_of
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.inputs import Resource
from eksnet_manifests.migrate.report import Report, failed, translated

KEYS = ("ssl-redirect",)
KEY = PREFIX + "ssl-redirect"
GATEWAY = translated(
    "HTTPRoute (redirect)",
    "a route on each HTTP listener answers 301 to HTTPS; the Ingress's routes attach to the HTTPS listener",
)


def translate(ingress: Resource, draft: Draft, report: Report) -> None:
    if KEY not in ingress.annotations:
        return
    port = parsed(ingress, KEY, report)
    if port is None:
        return
    ports = ports_of(ingress)
    if not any(listen.protocol == "HTTPS" and listen.port == port for listen in ports):
        note(
            report, ingress, KEY, failed(f"redirects to {port}, which no HTTPS listen port is: LBC fails it")
        )
        return
    draft.ssl_redirect = port
    if port == HTTPS.port:
        draft.settings["expose.sslRedirect"] = True
        note(report, ingress, KEY, translated("expose.sslRedirect"), GATEWAY)
    else:
        keep(ingress, KEY, draft, report, GATEWAY, "kept as written: sslRedirect redirects to 443")
