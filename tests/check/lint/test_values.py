"""Helm values files as lint input: recognised by name, kept with their file, read with chart defaults."""

from __future__ import annotations

import io

import pytest
from ruamel.yaml import YAML

from eksnet_manifests.check.lint import LintOptions, run_lints, values_from_documents
from eksnet_manifests.check.lint.dns import DNS_OWNERSHIP, SYNC_WITHOUT_OWNER
from eksnet_manifests.check.lint.values import feature_gate
from eksnet_manifests.check.values_files import EXTERNAL_DNS, LBC, classify_values_file
from eksnet_manifests.errors import CheckError


@pytest.mark.parametrize(
    ("path", "chart"),
    [
        ("out/myeks/helm/external-dns.values.yaml", EXTERNAL_DNS),
        ("out/myeks/helm/myeks-aws-load-balancer-controller.values.yml", LBC),
        ("out/myeks/helm/vpc-cni.values.yaml", None),
        ("out/myeks/apps/external-dns-demo.yaml", None),
    ],
    ids=["external-dns", "lbc-with-prefix-and-yml", "other-chart", "manifest-named-like-chart"],
)
def test_values_files_recognised_by_name(path: str, chart: str | None) -> None:
    assert classify_values_file(path) == chart


def test_values_picked_out_of_parsed_files() -> None:
    # GIVEN parsed files of which two are chart values
    parsed = [
        ("apps/web.yaml", {"kind": "Service"}),
        ("helm/external-dns.values.yaml", {"policy": "sync"}),
        ("helm/aws-load-balancer-controller.values.yaml", None),
    ]
    # WHEN picked out
    values = values_from_documents(parsed)
    # THEN each chart's values keep their file, and an empty file is empty values
    assert {chart: (v.file, dict(v)) for chart, v in values.items()} == {
        EXTERNAL_DNS: ("helm/external-dns.values.yaml", {"policy": "sync"}),
        LBC: ("helm/aws-load-balancer-controller.values.yaml", {}),
    }


@pytest.mark.parametrize(
    "parsed",
    [
        [("a/external-dns.values.yaml", {}), ("b/external-dns.values.yaml", {})],
        [("external-dns.values.yaml", ["policy", "sync"])],
    ],
    ids=["same-chart-twice", "not-a-mapping"],
)
def test_unusable_values_files_are_input_errors(parsed: list) -> None:
    with pytest.raises(CheckError):
        values_from_documents(parsed)


def test_values_finding_points_at_the_values_line() -> None:
    # GIVEN ExternalDNS values loaded with positions, policy on line 3
    text = "provider:\n  name: aws\npolicy: sync\n"
    values = values_from_documents([("helm/external-dns.values.yaml", YAML().load(io.StringIO(text)))])
    # WHEN linted
    findings = run_lints([], LintOptions(), values, lints=(DNS_OWNERSHIP,))
    # THEN the finding names the values file and the line of `policy`
    assert [(f.rule, f.file, f.line) for f in findings] == [
        (SYNC_WITHOUT_OWNER, "helm/external-dns.values.yaml", 3)
    ]


@pytest.mark.parametrize(
    ("gates", "enabled"),
    [
        ({"ALBGatewayAPI": True}, True),
        ({"ALBGatewayAPI": "False"}, False),
        ({}, None),
        ({"ALBGatewayAPI": 1}, None),
    ],
    ids=["bool", "string", "unset", "not-a-bool"],
)
def test_feature_gate_read_from_controller_config(gates: dict, enabled: bool | None) -> None:
    assert feature_gate({"controllerConfig": {"featureGates": gates}}, "ALBGatewayAPI") is enabled
