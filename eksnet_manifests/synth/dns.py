"""ExternalDNS annotations, the same for every exposure kind, with the prefix the pinned ExternalDNS reads."""

from __future__ import annotations

from eksnet_manifests.profile.exposure import AlbExposure, GatewayExposure, NlbExposure
from eksnet_manifests.synth.provenance import FieldPath, annotation


def dns_fields(prefix: str) -> dict[str, FieldPath]:
    """Generated ExternalDNS annotations -> the exposure fields they come from."""
    return {
        annotation(f"{prefix}hostname"): ("expose", "hosts"),
        annotation(f"{prefix}ttl"): ("expose", "ttl"),
    }


def dns_annotations(
    expose: NlbExposure | AlbExposure | GatewayExposure, prefix: str, *, hostname_annotation: bool
) -> dict[str, str]:
    """Record settings for ExternalDNS under ``prefix`` (``external-dns.alpha.kubernetes.io/`` or, from
    ExternalDNS v0.22, ``external-dns.kubernetes.io/``).

    Services carry their names in the hostname annotation; Ingresses and routes already list
    their hosts in the spec, which ExternalDNS reads, so they only get the TTL.
    """
    annotations: dict[str, str] = {}
    if hostname_annotation and expose.hosts:
        annotations[f"{prefix}hostname"] = ",".join(expose.hosts)
    if expose.ttl is not None and expose.hosts:
        annotations[f"{prefix}ttl"] = str(expose.ttl)
    return annotations
