"""ExternalDNS annotations, the same for every exposure kind."""

from __future__ import annotations

from eksnet_manifests.profile.exposure import AlbExposure, GatewayExposure, NlbExposure

HOSTNAME = "external-dns.alpha.kubernetes.io/hostname"
TTL = "external-dns.alpha.kubernetes.io/ttl"


def dns_annotations(
    expose: NlbExposure | AlbExposure | GatewayExposure, *, hostname_annotation: bool
) -> dict[str, str]:
    """Record settings for ExternalDNS.

    Services carry their names in the hostname annotation; Ingresses and routes already list
    their hosts in the spec, which ExternalDNS reads, so they only get the TTL.
    """
    annotations: dict[str, str] = {}
    if hostname_annotation and expose.hosts:
        annotations[HOSTNAME] = ",".join(expose.hosts)
    if expose.ttl is not None and expose.hosts:
        annotations[TTL] = str(expose.ttl)
    return annotations
