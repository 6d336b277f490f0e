"""Controller releases against the installed Gateway API: every watched kind must be served."""

from __future__ import annotations

from typing import Any

import pytest

from eksnet_manifests.check.documents import documents_from_objects
from eksnet_manifests.check.lint import LintOptions, run_lints
from eksnet_manifests.check.pins import served_apis
from eksnet_manifests.check.rules.controller_versions import (
    EXTERNAL_DNS_GATEWAY_API,
    EXTERNAL_DNS_UNSERVED,
    LBC_GATE_TURNED_OFF,
    LBC_GATEWAY_API,
    LBC_UNSERVED,
)
from eksnet_manifests.check.values_files import EXTERNAL_DNS, LBC
from eksnet_manifests.versions.pins import Pins
from tests.check.lint.manifests import gateway, gateway_class


def lbc_values(tag: str | None, **gates: bool) -> dict[str, Any]:
    values: dict[str, Any] = {"controllerConfig": {"featureGates": gates}}
    if tag:
        values["image"] = {"tag": tag}
    return values


def run(lint, values: dict, pins: Pins | None, objects: list | None = None, crds: dict | None = None):
    notes: list[str] = []
    docs = documents_from_objects(objects or [], "m.yaml")
    findings = run_lints(docs, LintOptions(served=served_apis(pins, crds)), values, (lint,), notes)
    return findings, notes


@pytest.mark.parametrize(
    ("tag", "gates", "pins", "expected"),
    [
        ("v3.5.0", {"NLBGatewayAPI": True}, Pins("v1.3.0", "experimental"), [LBC_UNSERVED]),
        ("v3.5.0", {"NLBGatewayAPI": True}, Pins("v1.6.0", "experimental"), []),
        ("v3.5.0", {}, Pins("v1.3.0", "standard"), []),
        ("v3.1.0", {"NLBGatewayAPI": True}, Pins("v1.3.0", "standard"), [LBC_UNSERVED]),
        ("v3.1.0", {"NLBGatewayAPI": True}, Pins("v1.3.0", "experimental"), []),
        (
            "v3.2.0",
            {"ALBGatewayAPI": True, "NLBGatewayAPI": False},
            Pins("v1.3.0", "standard"),
            [LBC_UNSERVED],
        ),
    ],
    ids=[
        "l4-v1-routes-unserved",
        "l4-v1-routes-served",
        "defaulted-gates-turned-off-by-detection",
        "l4-alpha-routes-need-experimental",
        "lab",
        "listener-set-watched-unconditionally-in-3.2.0",
    ],
)
def test_lbc_watches(tag: str, gates: dict, pins: Pins, expected: list) -> None:
    findings, _ = run(LBC_GATEWAY_API, {LBC: lbc_values(tag, **gates)}, pins)
    assert [f.rule for f in findings] == expected


def test_unserved_finding_names_both_releases_the_gate_and_the_fix() -> None:
    findings, _ = run(
        LBC_GATEWAY_API, {LBC: lbc_values("v3.5.0", NLBGatewayAPI=True)}, Pins("v1.3.0", "experimental")
    )
    [finding] = findings
    assert finding.path == "image.tag"
    assert "Load Balancer Controller v3.5.0 watches TCPRoute gateway.networking.k8s.io/v1" in finding.message
    assert "which Gateway API v1.3.0 (experimental) does not serve (TCPRoute: v1alpha2" in finding.message
    assert "Install Gateway API v1.6.0 or newer (experimental channel" in finding.message
    assert finding.message.endswith("or set NLBGatewayAPI: false")


def test_served_versions_can_come_from_the_crds_given() -> None:
    # GIVEN no pinned Gateway API, but CRDs serving TCPRoute at v1alpha2 only
    crds = {("gateway.networking.k8s.io", "TCPRoute"): ["v1alpha2"]}
    findings, _ = run(LBC_GATEWAY_API, {LBC: lbc_values("v3.5.0", NLBGatewayAPI=True)}, None, crds=crds)
    assert [f.rule for f in findings] == [LBC_UNSERVED]
    assert (
        "which the CRDs given does not serve" in findings[0].message
        or "the CRDs given" in findings[0].message
    )


def test_a_gate_detection_turns_off_under_gateways_relying_on_it_is_an_error() -> None:
    # GIVEN v3.5.0 with ALB explicit, Gateway API v1.0.0 (no GRPCRoute at v1), and an ALB Gateway
    objects = [gateway_class(), gateway()]
    findings, _ = run(
        LBC_GATEWAY_API,
        {LBC: lbc_values("v3.5.0", ALBGatewayAPI=True)},
        Pins("v1.0.0", "standard", "v3.5.0"),
        objects,
    )
    assert [f.rule for f in findings] == [LBC_GATE_TURNED_OFF]
    assert "turns ALBGatewayAPI off at start-up" in findings[0].message and "GRPCRoute" in findings[0].message


@pytest.mark.parametrize(
    ("values", "note"),
    [
        ({LBC: lbc_values(None)}, "pins no image.tag"),
        ({LBC: lbc_values("v9.0.0")}, "major version 9"),
    ],
    ids=["no-tag", "unknown-release"],
)
def test_what_cannot_be_judged_is_a_note_not_a_silent_pass(values: dict, note: str) -> None:
    findings, notes = run(LBC_GATEWAY_API, values, Pins("v1.3.0"))
    assert findings == [] and any(note in text for text in notes)


def test_an_unknown_gateway_api_release_is_a_note() -> None:
    findings, notes = run(LBC_GATEWAY_API, {LBC: lbc_values("v3.5.0")}, None)
    assert findings == [] and "the Gateway API release installed is unknown" in notes[0]


@pytest.mark.parametrize(
    ("tag", "sources", "pins", "expected"),
    [
        ("v0.21.0", ["gateway-tlsroute"], Pins("v1.6.1", "standard"), [EXTERNAL_DNS_UNSERVED]),
        ("v0.22.0", ["gateway-tlsroute"], Pins("v1.6.1", "standard"), []),
        ("v0.21.0", ["gateway-tcproute"], Pins("v1.6.1", "experimental"), []),
        ("v0.21.0", ["gateway-tcproute"], Pins("v1.3.0", "standard"), [EXTERNAL_DNS_UNSERVED]),
        ("v0.21.0", ["service", "ingress"], Pins("v1.3.0", "standard"), []),
    ],
    ids=[
        "tlsroute-alpha-gone",
        "tlsroute-ga-reader",
        "tcproute-alpha-experimental",
        "tcproute-not-installed",
        "no-gateway-source",
    ],
)
def test_external_dns_watches(tag: str, sources: list, pins: Pins, expected: list) -> None:
    findings, _ = run(
        EXTERNAL_DNS_GATEWAY_API, {EXTERNAL_DNS: {"image": {"tag": tag}, "sources": sources}}, pins
    )
    assert [f.rule for f in findings] == expected
    for finding in findings:
        assert finding.path == "sources" and "ExternalDNS does not start" in finding.message
