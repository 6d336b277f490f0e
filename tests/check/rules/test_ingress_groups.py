"""IngressGroups merge as LBC merges them; conflicting load balancer settings fail the whole group."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.rules.ingress_groups import CONFLICT, INGRESS_GROUPS, INVALID
from tests.check.lint.manifests import case, ingress, lint_findings, outcomes

A = "alb.ingress.kubernetes.io/"


def member(name: str, **annotations: str) -> dict:
    return ingress(
        name=name,
        annotations={A + "group.name": "web", **{A + k.replace("_", "-"): v for k, v in annotations.items()}},
    )


def at(key: str) -> str:
    return f'metadata.annotations["{A}{key}"]'


CASES = [
    case("same-scheme", INGRESS_GROUPS, [member("a", scheme="internal"), member("b", scheme="internal")]),
    case("scheme-on-one-member-only", INGRESS_GROUPS, [member("a", scheme="internet-facing"), member("b")]),
    case(
        "conflicting-scheme",
        INGRESS_GROUPS,
        [member("a", scheme="internal"), member("b", scheme="internet-facing")],
        [(CONFLICT, "error", at("scheme"))],
    ),
    case(
        "conflicting-wafv2-acl",
        INGRESS_GROUPS,
        [member("a", wafv2_acl_arn="arn:1"), member("b", wafv2_acl_arn="arn:2")],
        [(CONFLICT, "error", at("wafv2-acl-arn"))],
    ),
    case(
        "conflicting-wafv2-acl-name",
        INGRESS_GROUPS,
        [member("a", wafv2_acl_name="web"), member("b", wafv2_acl_name="api")],
        [(CONFLICT, "error", at("wafv2-acl-name"))],
    ),
    case(
        "booleans-agree-as-lbc-parses-them",
        INGRESS_GROUPS,
        [member("a", shield_advanced_protection="true"), member("b", shield_advanced_protection="True")],
    ),
    case(
        "exclusive-maps-agree-in-any-order",
        INGRESS_GROUPS,
        [member("a", frontend_nlb_tags="a=1,b=2"), member("b", frontend_nlb_tags="b=2, a=1")],
    ),
    case(
        "prefix-lists-differ-on-a-shared-port",
        INGRESS_GROUPS,
        [member("a", security_group_prefix_lists="pl-1"), member("b", security_group_prefix_lists="pl-2")],
        [(CONFLICT, "error", at("security-group-prefix-lists"))],
    ),
    case(
        "subnets-in-another-order-agree",
        INGRESS_GROUPS,
        [member("a", subnets="s-1,s-2"), member("b", subnets="s-2, s-1")],
    ),
    case(
        "attribute-key-with-two-values",
        INGRESS_GROUPS,
        [
            member("a", load_balancer_attributes="idle_timeout.timeout_seconds=60"),
            member(
                "b",
                load_balancer_attributes="idle_timeout.timeout_seconds=120,deletion_protection.enabled=true",
            ),
        ],
        [(CONFLICT, "error", at("load-balancer-attributes"))],
    ),
    case("different-tags-merge", INGRESS_GROUPS, [member("a", tags="team=a"), member("b", tags="env=prod")]),
    case(
        "same-port-two-protocols",
        INGRESS_GROUPS,
        [member("a", listen_ports='[{"HTTP": 8080}]'), member("b", listen_ports='[{"HTTPS": 8080}]')],
        [(CONFLICT, "error", at("listen-ports"))],
    ),
    case(
        "different-ports-and-certificates-merge",
        INGRESS_GROUPS,
        [
            member("a", listen_ports='[{"HTTP": 80}]'),
            member("b", listen_ports='[{"HTTPS": 443}]', certificate_arn="arn:c"),
        ],
    ),
    case(
        "ssl-policy-differs-on-a-shared-https-port",
        INGRESS_GROUPS,
        [
            member("a", listen_ports='[{"HTTPS": 443}]', ssl_policy="p1"),
            member("b", listen_ports='[{"HTTPS": 443}]', ssl_policy="p2"),
        ],
        [(CONFLICT, "error", at("ssl-policy"))],
    ),
    case(
        "ungrouped-ingresses-are-their-own-groups",
        INGRESS_GROUPS,
        [
            ingress(name="a", annotations={A + "scheme": "internal"}),
            ingress(name="b", annotations={A + "scheme": "internet-facing"}),
        ],
    ),
    case(
        "order-out-of-range",
        INGRESS_GROUPS,
        [member("a", **{"group.order": "1001"})],
        [(INVALID, "error", at("group.order"))],
    ),
    case(
        "invalid-group-name",
        INGRESS_GROUPS,
        [ingress(name="a", annotations={A + "group.name": "Web_Apps"})],
        [(INVALID, "error", at("group.name"))],
    ),
]


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_ingress_groups(lint: Lint, objects: list, values: dict, expected: list) -> None:
    assert outcomes(objects, lint, values) == expected


def test_class_params_win_over_the_annotation() -> None:
    # GIVEN an IngressClass whose IngressClassParams fix the scheme, and members annotating two schemes
    params = {
        "apiVersion": "elbv2.k8s.aws/v1beta1",
        "kind": "IngressClassParams",
        "metadata": {"name": "p"},
        "spec": {"scheme": "internal"},
    }
    ingress_class = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "alb"},
        "spec": {
            "controller": "ingress.k8s.aws/alb",
            "parameters": {"apiGroup": "elbv2.k8s.aws", "kind": "IngressClassParams", "name": "p"},
        },
    }
    first = member("a", scheme="internet-facing")
    first["spec"]["ingressClassName"] = "alb"
    second = member("b", scheme="internal")
    second["spec"]["ingressClassName"] = "alb"
    # THEN both members effectively say internal: no conflict
    assert outcomes([params, ingress_class, first, second], INGRESS_GROUPS) == []


def test_conflict_message_names_members_values_and_the_consequence() -> None:
    findings = outcomes(
        [member("a", scheme="internal"), member("b", scheme="internet-facing")], INGRESS_GROUPS
    )
    assert findings

    [finding] = lint_findings(
        [member("a", scheme="internal"), member("b", scheme="internet-facing")], INGRESS_GROUPS
    )
    shown = "('internal' on Ingress shop/a, 'internet-facing' on Ingress shop/b)"
    assert f"IngressGroup web: conflicting scheme {shown}" in finding.message
    assert "LBC fails to reconcile the whole group" in finding.message
