"""The Ingress translators: each owns its keys, together they own every documented key, and the order they
run in changes nothing."""

from __future__ import annotations

import random

import pytest

from eksnet_manifests.migrate.alb import TRANSLATORS, owners, translate_ingress
from eksnet_manifests.migrate.report import Report, Status, Target
from eksnet_manifests.versions import lbc_annotations as catalogue

from .helpers import ingress, resource

A = catalogue.INGRESS_PREFIX
# A value for each ${...} part of a pattern key.
SAMPLES = {
    "${action-name}": "canary",
    "${transforms-name}": "web",
    "${conditions-name}": "web",
    "${Protocol}-${Port}": "HTTP-80",
    "${serviceName}.${servicePort}": "web.80",
}


def _concrete(key: str) -> str:
    for part, value in SAMPLES.items():
        key = key.replace(part, value)
    return key


@pytest.mark.parametrize("key", [entry.key for entry in catalogue.of_family("ingress")])
def test_every_documented_ingress_key_has_exactly_one_translator(key: str) -> None:
    assert len(owners(_concrete(key))) == 1


CERT = "arn:aws:acm:ap-northeast-2:111122223333:certificate/0a1b2c3d-0000-1111-2222-333344445555"
COGNITO = (
    '{"userPoolARN":"arn:aws:cognito-idp:ap-northeast-2:111122223333:userpool/ap-northeast-2_abc",'
    '"userPoolClientID":"abc","userPoolDomain":"shop"}'
)
METHODS = '[{"field":"http-request-method","httpRequestMethodConfig":{"values":["GET","HEAD"]}}]'
RICH = ingress(
    annotations={
        A + "scheme": "internet-facing",
        A + "group.name": "shop",
        A + "group.order": "5",
        A + "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
        A + "ssl-redirect": "443",
        A + "certificate-arn": CERT,
        A + "healthcheck-path": "/healthz",
        A + "target-group-attributes": "deregistration_delay.timeout_seconds=30",
        A + "load-balancer-attributes": "idle_timeout.timeout_seconds=60,waf.fail_open.enabled=true",
        A + "auth-type": "cognito",
        A + "auth-idp-cognito": COGNITO,
        A + "conditions.web": METHODS,
        A + "waf-acl-id": "legacy",
        A + "subnet": "subnet-0123456789abcdef0",
        "external-dns.alpha.kubernetes.io/ttl": "60",
    }
)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_translator_order_changes_neither_the_draft_nor_the_report(seed: int) -> None:
    # GIVEN an Ingress every translator has something to read on
    target = resource(RICH)
    in_order = Report()
    expected = translate_ingress(target, in_order)
    # WHEN the translators run in another order
    order = list(TRANSLATORS)
    random.Random(seed).shuffle(order)
    shuffled = Report()
    got = translate_ingress(target, shuffled, order)
    # THEN the draft and the report are the same
    assert got == expected
    assert shuffled.sorted() == in_order.sorted()


def test_every_annotation_gets_an_entry_in_both_targets() -> None:
    report = Report()
    translate_ingress(resource(RICH), report)
    fields = {entry.field for entry in report.entries}
    assert {f'metadata.annotations["{key}"]' for key in RICH["metadata"]["annotations"]} <= fields


def test_unknown_key_is_reported_with_the_nearest_documented_key() -> None:
    report = Report()
    translate_ingress(resource(RICH), report)
    entry = next(e for e in report.entries if e.field == f'metadata.annotations["{A}subnet"]')
    assert entry.profile.status is Status.UNKNOWN
    assert f"did you mean {A}subnets?" in entry.profile.detail


def test_typed_keys_become_their_catalogue_fields() -> None:
    draft = translate_ingress(resource(RICH), Report())
    assert draft.settings["expose.scheme"] == "internet-facing"
    assert draft.settings["expose.groupOrder"] == 5
    assert draft.settings["expose.healthCheck.path"] == "/healthz"
    assert draft.settings["expose.targetGroupAttributes.deregistrationDelaySeconds"] == 30
    assert draft.settings["expose.sslRedirect"] is True


def test_attribute_map_with_an_untyped_attribute_is_kept_whole() -> None:
    # GIVEN load-balancer-attributes with an attribute eksnet has no typed key for
    report = Report()
    draft = translate_ingress(resource(RICH), report)
    key = A + "load-balancer-attributes"
    # THEN the profile keeps the whole annotation as written (a raw map replaces every typed attribute)
    assert draft.raw[key] == RICH["metadata"]["annotations"][key]
    assert "expose.loadBalancerAttributes.idleTimeoutSeconds" not in draft.settings
    entry = next(e for e in report.entries if e.field == f'metadata.annotations["{key}"]')
    assert "waf.fail_open.enabled has no typed key" in entry.profile.detail


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (A + "waf-acl-id", Status.NOT_TRANSLATABLE),
        (A + "group.order", Status.APPROXIMATED),
        (A + "conditions.web", Status.APPROXIMATED),
        (A + "auth-type", Status.TRANSLATED),
    ],
    ids=["waf-classic", "group-order", "or-conditions", "cognito"],
)
def test_gateway_outcome_says_what_gateway_api_cannot_do(key: str, expected: Status) -> None:
    report = Report()
    translate_ingress(resource(RICH), report)
    entry = next(e for e in report.entries if e.field == f'metadata.annotations["{key}"]')
    assert entry.outcome(Target.GATEWAY).status is expected


def test_an_ingress_without_a_class_is_assumed_lbcs_and_reported() -> None:
    report = Report()
    classless = ingress()
    del classless["spec"]["ingressClassName"]
    translate_ingress(resource(classless), report)
    entry = next(e for e in report.entries if e.field == "spec.ingressClassName")
    assert entry.profile.status is Status.APPROXIMATED
    assert "only when its IngressClass is the cluster's default" in entry.profile.detail


@pytest.mark.parametrize(
    ("annotations", "problem"),
    [
        ({A + "listen-ports": "[80]"}, "not a list like"),
        ({A + "ssl-redirect": "443"}, "which no HTTPS listen port is"),
        ({A + "auth-type": "saml"}, "is not none, oidc or cognito"),
        ({A + "actions.web": '{"type":"teleport"}'}, "an action has a type of"),
        ({A + "tags": "team"}, "LBC cannot read the value"),
    ],
    ids=["listen-ports", "redirect-port", "auth-type", "action-type", "tags"],
)
def test_values_lbc_cannot_read_are_errors(annotations: dict[str, str], problem: str) -> None:
    report = Report()
    translate_ingress(resource(ingress(annotations=annotations)), report)
    errors = report.errors(Target.PROFILE)
    assert errors and problem in errors[0].profile.detail
