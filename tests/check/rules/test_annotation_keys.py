"""LBC annotation keys as the pinned controller reads them: unknown keys, keys on the wrong kind,
deprecated keys, keys of a later release, and values LBC cannot parse."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.rules.annotation_keys import (
    ANNOTATION_KEYS,
    DEPRECATED,
    UNKNOWN,
    UNREAD,
    VALUE,
    WRONG_KIND,
)
from eksnet_manifests.check.values_files import LBC
from tests.check.lint.manifests import case, ingress, lint_findings, outcomes, service

A = "alb.ingress.kubernetes.io/"
S = "service.beta.kubernetes.io/aws-load-balancer-"
NLB_SPEC = {"type": "LoadBalancer", "loadBalancerClass": "service.k8s.aws/nlb"}


def at(key: str) -> str:
    return f'metadata.annotations["{key}"]'


def pinned(release: str) -> dict:
    return {LBC: {"clusterName": "c", "image": {"tag": release}}}


def nlb(**annotations: str) -> dict:
    return service(annotations=annotations, **NLB_SPEC)


CASES = [
    case("documented-ingress-keys", ANNOTATION_KEYS, [ingress(annotations={A + "scheme": "internal"})]),
    case(
        "pattern-keys-are-documented",
        ANNOTATION_KEYS,
        [ingress(annotations={A + "actions.redirect": "{}", A + "listener-attributes.HTTPS-443": "a=b"})],
    ),
    case(
        "misspelt-ingress-key",
        ANNOTATION_KEYS,
        [ingress(annotations={A + "subnet": "subnet-1"})],
        [(UNKNOWN, "warning", at(A + "subnet"))],
    ),
    case(
        "misspelt-service-key-on-an-lbc-service",
        ANNOTATION_KEYS,
        [nlb(**{S + "healthcheck-interval-seconds": "10"})],
        [(UNKNOWN, "warning", at(S + "healthcheck-interval-seconds"))],
    ),
    case(
        "in-tree-keys-on-a-service-lbc-does-not-own",
        ANNOTATION_KEYS,
        [service(annotations={S + "connection-idle-timeout": "60"}, type="LoadBalancer")],
    ),
    case(
        "legacy-type-annotation-makes-it-lbc-s",
        ANNOTATION_KEYS,
        [service(annotations={S + "type": "nlb-ip", S + "idle-timeout": "60"}, type="LoadBalancer")],
        [(UNKNOWN, "warning", at(S + "idle-timeout"))],
    ),
    case(
        "external-type-with-a-target-type-is-lbc-s",
        ANNOTATION_KEYS,
        [
            service(
                annotations={S + "type": "external", S + "nlb-target-type": "ip", S + "x": "1"},
                type="LoadBalancer",
            )
        ],
        [(UNKNOWN, "warning", at(S + "x"))],
    ),
    case(
        "external-type-without-a-target-type-is-not",
        ANNOTATION_KEYS,
        [service(annotations={S + "type": "external", S + "x": "1"}, type="LoadBalancer")],
    ),
    case(
        "another-load-balancer-class-is-not",
        ANNOTATION_KEYS,
        [
            service(
                annotations={S + "type": "nlb-ip", S + "x": "1"},
                type="LoadBalancer",
                loadBalancerClass="other",
            )
        ],
    ),
    case(
        "service-key-on-an-ingress",
        ANNOTATION_KEYS,
        [ingress(annotations={S + "scheme": "internal"})],
        [(WRONG_KIND, "warning", at(S + "scheme"))],
    ),
    case(
        "ingress-only-key-on-a-backend-service",
        ANNOTATION_KEYS,
        [service(annotations={A + "scheme": "internal", A + "healthcheck-path": "/ready"})],
        [(WRONG_KIND, "warning", at(A + "scheme"))],
    ),
    case(
        "deprecated-key",
        ANNOTATION_KEYS,
        [nlb(**{S + "internal": "true"})],
        [(DEPRECATED, "warning", at(S + "internal"))],
    ),
    case(
        "key-of-a-later-release",
        ANNOTATION_KEYS,
        [ingress(annotations={A + "wafv2-acl-name": "web"})],
        [(UNREAD, "error", at(A + "wafv2-acl-name"))],
        pinned("v2.13.0"),
    ),
    case(
        "key-from-its-first-release-on",
        ANNOTATION_KEYS,
        [ingress(annotations={A + "wafv2-acl-name": "web"})],
        values=pinned("v2.14.0"),
    ),
    case(
        "boolean-lbc-cannot-parse",
        ANNOTATION_KEYS,
        [ingress(annotations={A + "shield-advanced-protection": "yes"})],
        [(VALUE, "error", at(A + "shield-advanced-protection"))],
    ),
    case("go-boolean-spellings", ANNOTATION_KEYS, [nlb(**{S + "disable-nlb-sg": "True"})]),
    case(
        "integer-lbc-cannot-parse",
        ANNOTATION_KEYS,
        [ingress(annotations={A + "healthcheck-interval-seconds": "10s"})],
        [(VALUE, "error", at(A + "healthcheck-interval-seconds"))],
    ),
    case("named-health-check-port", ANNOTATION_KEYS, [ingress(annotations={A + "healthcheck-port": "http"})]),
    case(
        "other-prefixes-are-not-lbc-s",
        ANNOTATION_KEYS,
        [ingress(annotations={"nginx.ingress.kubernetes.io/rewrite-target": "/"})],
    ),
]


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_annotation_keys(lint: Lint, objects: list, values: dict, expected: list) -> None:
    assert outcomes(objects, lint, values) == expected


def test_unknown_key_names_the_nearest_documented_key() -> None:
    [finding] = lint_findings([ingress(annotations={A + "healthcheck-interval": "10"})], ANNOTATION_KEYS)
    assert "did you mean alb.ingress.kubernetes.io/healthcheck-interval-seconds?" in finding.message


def test_unread_key_names_both_releases() -> None:
    objects = [ingress(annotations={A + "jwt-validation": "{}"})]
    [finding] = lint_findings(objects, ANNOTATION_KEYS, pinned("v2.14.1"))
    assert "v2.14.1 does not read alb.ingress.kubernetes.io/jwt-validation (first read by v2.15.0)" in (
        finding.message
    )


def test_without_a_release_newer_keys_are_a_note_not_a_silent_pass() -> None:
    from eksnet_manifests.check.documents import documents_from_objects
    from eksnet_manifests.check.lint import LintOptions, run_lints

    notes: list[str] = []
    docs = documents_from_objects([ingress(annotations={A + "wafv2-acl-name": "web"})], "m.yaml")
    assert run_lints(docs, LintOptions(), {}, lints=(ANNOTATION_KEYS,), notes=notes) == []
    assert any("wafv2-acl-name was not checked" in note for note in notes)
