"""LBC annotation families and the value syntaxes its annotation parser reads (LBC v3.5.0 pkg/annotations)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

ALB = "alb.ingress.kubernetes.io/"
NLB = "service.beta.kubernetes.io/aws-load-balancer-"


def string_list(value: Any) -> list[str]:
    """``a, b,c`` -> ["a", "b", "c"] (ParseStringSliceAnnotation)."""
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def string_map(value: Any) -> dict[str, str]:
    """``k1=v1,k2=v2`` -> {"k1": "v1", "k2": "v2"} (ParseStringMapAnnotation)."""
    pairs = (item.split("=", 1) for item in string_list(value) if "=" in item)
    return {key.strip(): val.strip() for key, val in pairs}


def listen_ports(notes: Mapping[str, Any]) -> dict[int, str] | None:
    """Port -> protocol of an Ingress (``listen-ports``; default HTTP:80, or HTTPS:443 with certificates);
    None when the annotation is not the JSON list LBC expects."""
    raw = notes.get(ALB + "listen-ports")
    if raw is None:
        return {443: "HTTPS"} if notes.get(ALB + "certificate-arn") else {80: "HTTP"}
    try:
        entries = json.loads(str(raw))
    except ValueError:
        return None
    if not isinstance(entries, list) or not entries:
        return None
    ports: dict[int, str] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            return None
        for protocol, port in entry.items():
            if not isinstance(port, int) or isinstance(port, bool):
                return None
            ports[port] = str(protocol)
    return ports
