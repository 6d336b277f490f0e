"""The report: one line per field read, for people (text) and tools (JSON), with a summary."""

from __future__ import annotations

import json

from eksnet_manifests.migrate.report import (
    Report,
    Source,
    Target,
    approximated,
    dropped,
    report_json,
    report_lines,
    summary,
    translated,
)

WEB = Source("Ingress", "shop", "web", "input.yaml", 3)


def _report() -> Report:
    report = Report()
    report.add(
        WEB,
        'metadata.annotations["alb.ingress.kubernetes.io/scheme"]',
        translated("expose.scheme"),
        translated("LoadBalancerConfiguration spec.scheme"),
        7,
    )
    report.both(WEB, "spec.tls[0].secretName", dropped("LBC does not read TLS Secrets"), 12)
    report.add(
        WEB,
        'metadata.annotations["alb.ingress.kubernetes.io/group.order"]',
        translated("expose.groupOrder"),
        approximated("HTTPRoute rules", "no rule priority"),
        5,
    )
    report.owners[(WEB.ref, Target.PROFILE)] = "storefront"
    return report


def test_text_lines_say_file_line_object_field_status_target_and_detail_in_line_order() -> None:
    assert report_lines(_report(), Target.PROFILE) == [
        'input.yaml:5: Ingress/shop/web metadata.annotations["alb.ingress.kubernetes.io/group.order"]: '
        "translated -> apps[storefront].expose.groupOrder",
        'input.yaml:7: Ingress/shop/web metadata.annotations["alb.ingress.kubernetes.io/scheme"]: '
        "translated -> apps[storefront].expose.scheme",
        "input.yaml:12: Ingress/shop/web spec.tls[0].secretName: not-translatable: "
        "LBC does not read TLS Secrets",
    ]


def test_gateway_lines_name_the_gateway_fields() -> None:
    lines = report_lines(_report(), Target.GATEWAY)
    assert lines[0].endswith("approximated -> HTTPRoute rules: no rule priority")


def test_json_rows_carry_every_part_for_tools() -> None:
    rows = json.loads(json.dumps(report_json(_report(), Target.GATEWAY)))
    assert rows[1] == {
        "file": "input.yaml",
        "line": 7,
        "kind": "Ingress",
        "namespace": "shop",
        "name": "web",
        "field": 'metadata.annotations["alb.ingress.kubernetes.io/scheme"]',
        "status": "translated",
        "to": "LoadBalancerConfiguration spec.scheme",
        "detail": None,
    }


def test_summary_counts_each_status() -> None:
    assert summary(_report(), Target.GATEWAY) == (
        "read 3 fields of 1 objects (Ingress 1): 1 translated, 1 approximated, 1 not-translatable, "
        "0 unknown, 0 error"
    )


def test_control_characters_of_the_input_are_escaped() -> None:
    report = Report()
    report.both(Source("Ingress", "shop", "web\x1b[31m"), "metadata.name", dropped("x"))
    assert "\x1b" not in report_lines(report, Target.PROFILE)[0]
