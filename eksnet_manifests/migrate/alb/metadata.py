"""Everything else on the Ingress's metadata: ExternalDNS annotations, other tools' annotations, keys
LBC does not read, and labels.

An ``alb.ingress.kubernetes.io/*`` key the catalogue does not list is unknown: LBC ignores it, and the
report names the nearest documented key.
"""

from __future__ import annotations

from eksnet_manifests.migrate.alb.common import keep, note
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.inputs import LEGACY_CLASS_ANNOTATION, Resource
from eksnet_manifests.migrate.report import Report, dropped, translated, unknown
from eksnet_manifests.migrate.values import BadValue, as_int, as_list
from eksnet_manifests.versions import external_dns
from eksnet_manifests.versions import lbc_annotations as catalogue

KEYS: tuple[str, ...] = ()
BOOKKEEPING = ("kubectl.kubernetes.io/last-applied-configuration",)
NEW_OBJECTS = (
    "an annotation of the Ingress: the Gateway API objects are new; carry it over if a tool reads it"
)
LABELS = (
    "eksnet labels an app's objects with app.kubernetes.io/name, managed-by and the app's labels; "
    "add these to apps[].labels to keep them"
)
DNS_PREFIXES = (external_dns.ALPHA_PREFIX, external_dns.GA_PREFIX)


def owns(key: str) -> bool:
    """Keys this translator reports: every key that is not LBC's."""
    return catalogue.family_of(key) != "ingress" and key != LEGACY_CLASS_ANNOTATION


def translate(ingress: Resource, draft: Draft, report: Report) -> None:
    for key in sorted(ingress.annotations):
        if catalogue.family_of(key) == "ingress" and catalogue.lookup(key) is None:
            note(report, ingress, key, unknown(key))
        elif key in BOOKKEEPING:
            note(report, ingress, key, dropped("kubectl's record of the last apply; kubectl writes it again"))
        elif key.startswith(DNS_PREFIXES):
            _dns(ingress, key, draft, report)
        elif owns(key):
            keep(ingress, key, draft, report, dropped(NEW_OBJECTS), "kept as written on the Ingress")
    if ingress.labels:
        report.both(ingress.source, "metadata.labels", dropped(LABELS), ingress.line_of("metadata.labels"))


def _dns(ingress: Resource, key: str, draft: Draft, report: Report) -> None:
    name = key.rpartition("/")[2]
    value = ingress.annotations[key]
    on_routes = translated("HTTPRoute metadata.annotations", f"ExternalDNS {name} on each route")
    if name == "ttl":
        try:
            draft.ttl = as_int(value)
        except BadValue as exc:
            note(report, ingress, key, dropped(f"ExternalDNS ignores it: {exc}"))
            return
        note(report, ingress, key, translated("expose.ttl"), on_routes)
    elif name == "hostname":
        draft.hostname_annotation = as_list(value)
        keep(ingress, key, draft, report, on_routes, "kept as written: the Ingress's rules name its hosts")
    else:
        keep(ingress, key, draft, report, on_routes, "kept as written")
