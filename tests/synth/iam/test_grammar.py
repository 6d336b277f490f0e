"""IAM policy grammar and least-privilege checks: real policies pass, each broken rule is named."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from eksnet_manifests.synth.iam.grammar import check_policy, check_trust_policy

ISSUER = "oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE"
PROVIDER = f"arn:aws:iam::111122223333:oidc-provider/{ISSUER}"
ZONE_ARN = "arn:aws:route53:::hostedzone/Z0123456789EXAMPLEAB"
CHANGE = "route53:ChangeResourceRecordSets"


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action: Any = "s3:GetObject", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def web_identity(condition: dict[str, Any] | None) -> dict[str, Any]:
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER},
        "Action": "sts:AssumeRoleWithWebIdentity",
    }
    return policy(statement | ({"Condition": condition} if condition else {}))


def documented_policies(upstream: Path) -> list[dict[str, Any]]:
    """The JSON policy blocks of external-dns docs/tutorials/aws.md (permissions and trust)."""
    text = (upstream / "external-dns" / "v0.22.0" / "docs" / "tutorials" / "aws.md").read_text()
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.S)
    return [json.loads(block) for block in blocks if '"Version"' in block and "$" not in block]


def test_upstream_lbc_policy_has_no_problem(upstream_lbc_policy) -> None:
    # GIVEN the controller's published policy / WHEN checked / THEN it is valid grammar
    assert check_policy(upstream_lbc_policy) == []


def test_external_dns_documented_policies_are_valid_grammar(upstream) -> None:
    # GIVEN the policies in ExternalDNS's AWS tutorial / WHEN checked without known zones / THEN valid
    documents = documented_policies(upstream)
    assert documents
    assert [check_policy(doc) for doc in documents] == [[] for _ in documents]


def test_documented_hostedzone_wildcard_is_flagged_once_zones_are_known(upstream) -> None:
    # GIVEN the tutorial's policy (hostedzone/*) and a known zone / WHEN checked / THEN the write is too wide
    documented = documented_policies(upstream)[0]
    problems = check_policy(documented, {CHANGE: (ZONE_ARN,)})
    assert problems == [
        f"Statement[0]: {CHANGE} is allowed on 'arn:aws:route53:::hostedzone/*'; only {ZONE_ARN} is needed"
    ]


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        pytest.param([], "a policy must be a JSON object", id="not-an-object"),
        pytest.param(
            {"Version": "2008-10-17", "Statement": [allow()]},
            "Version must be '2012-10-17'",
            id="old-version",
        ),
        pytest.param({"Version": "2012-10-17"}, "Statement must be a non-empty list", id="no-statement"),
        pytest.param(policy(allow()) | {"Extra": 1}, "unknown top-level key 'Extra'", id="unknown-top-key"),
        pytest.param(policy(allow(Effect="allow")), "Effect must be Allow or Deny", id="effect-case"),
        pytest.param(
            policy({"Effect": "Allow", "Resource": "*"}), "Action (or NotAction) is required", id="no-action"
        ),
        pytest.param(
            policy(allow(NotAction="s3:*")), "Action and NotAction exclude each other", id="both-actions"
        ),
        pytest.param(
            policy(allow("GetObject")), "Action: 'GetObject' is not service:action", id="action-no-service"
        ),
        pytest.param(
            policy(allow(["s3:GetObject", 3])),
            "Action must be a string or a non-empty list",
            id="action-type",
        ),
        pytest.param(
            policy(allow(action="s3:GetObject", resource=[])),
            "Resource must be a string",
            id="empty-resource",
        ),
        pytest.param(
            policy({"Effect": "Allow", "Action": "s3:GetObject"}),
            "Resource (or NotResource) is required",
            id="no-resource",
        ),
        pytest.param(
            policy(allow(resource="bucket/*")), "'bucket/*' is neither '*' nor an ARN", id="resource-not-arn"
        ),
        pytest.param(
            policy(allow(Sid="read-all")), "Sid: 'read-all' must be letters and digits only", id="sid-chars"
        ),
        pytest.param(
            policy(allow(Sid="Read"), allow(Sid="Read")),
            "Statement[1].Sid: duplicate Sid 'Read'",
            id="sid-duplicate",
        ),
        pytest.param(
            policy(allow(Condition={"StringEqual": {"aws:username": "x"}})),
            "unknown operator 'StringEqual'",
            id="operator-typo",
        ),
        pytest.param(
            policy(allow(Condition={"StringEquals": "x"})),
            "Condition.StringEquals must be an object",
            id="operator-shape",
        ),
        pytest.param(
            policy(allow(Condition={"StringEquals": {"k": {"v": 1}}})),
            "Condition.StringEquals.k: value must be",
            id="value-shape",
        ),
        pytest.param(
            policy(allow(Condition=["StringEquals"])), "Condition must be an object", id="condition-shape"
        ),
        pytest.param(
            policy(allow(Principal={"Group": "x"})), "unknown principal type 'Group'", id="principal-type"
        ),
        pytest.param(policy(allow(Colour="red")), "unknown key 'Colour'", id="unknown-statement-key"),
    ],
)
def test_grammar_problem_is_named(doc: Any, expected: str) -> None:
    # GIVEN a policy breaking one grammar rule / WHEN checked / THEN exactly one problem names it
    problems = check_policy(doc)
    assert len(problems) == 1, problems
    assert expected in problems[0]


@pytest.mark.parametrize(
    "operator",
    [
        "StringEqualsIfExists",
        "ForAllValues:StringLike",
        "ForAnyValue:StringEquals",
        "Null",
        "ArnLike",
        "Bool",
    ],
)
def test_condition_operator_variants_are_accepted(operator: str) -> None:
    assert check_policy(policy(allow(Condition={operator: {"aws:RequestTag/team": ["a", "b"]}}))) == []


def test_single_statement_object_is_valid_grammar() -> None:
    # IAM accepts "Statement": {...} as well as a list
    assert check_policy({"Version": "2012-10-17", "Statement": allow()}) == []


@pytest.mark.parametrize(
    ("statement", "wide"),
    [
        pytest.param(allow(CHANGE, "*"), True, id="star"),
        pytest.param(
            allow("route53:*", "arn:aws:route53:::hostedzone/*"), True, id="service-wildcard-action"
        ),
        pytest.param(
            allow("route53:change*", "arn:aws:route53:::hostedzone/*"), True, id="action-case-insensitive"
        ),
        pytest.param(
            {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}, True, id="not-action-covers-route53"
        ),
        pytest.param({"Effect": "Allow", "Action": CHANGE, "NotResource": ZONE_ARN}, True, id="not-resource"),
        pytest.param(allow(CHANGE, ZONE_ARN), False, id="listed-zone"),
        pytest.param(allow("route53:ListHostedZones", "*"), False, id="other-action"),
        pytest.param(allow(CHANGE, "*") | {"Effect": "Deny"}, False, id="deny"),
    ],
)
def test_write_on_wildcard_resource_is_flagged_when_narrower_arn_is_known(statement, wide: bool) -> None:
    # GIVEN ChangeResourceRecordSets needs only one zone / WHEN checked / THEN wildcard grants are problems
    problems = check_policy(policy(statement), {CHANGE: (ZONE_ARN,)})
    assert bool(problems) is wide, problems
    assert all(ZONE_ARN in problem for problem in problems)


def test_every_problem_is_reported_not_only_the_first() -> None:
    doc = policy(allow(Effect="Maybe"), allow("nope", resource="nope"))
    assert len(check_policy(doc)) == 3


SUB = f"{ISSUER}:sub"
AUD = f"{ISSUER}:aud"


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        pytest.param(
            {
                "StringEquals": {
                    SUB: "system:serviceaccount:kube-system:external-dns",
                    AUD: "sts.amazonaws.com",
                }
            },
            [],
            id="one-service-account",
        ),
        pytest.param(
            None, ["any ServiceAccount in the cluster", "tokens for any audience"], id="no-condition"
        ),
        pytest.param(
            {"StringLike": {SUB: "system:serviceaccount:*:*"}, "StringEquals": {AUD: "sts.amazonaws.com"}},
            ["any ServiceAccount in the cluster"],
            id="wildcard-sub-with-stringlike",
        ),
        pytest.param(
            {"StringEquals": {SUB: "system:serviceaccount:kube-system:*", AUD: "sts.amazonaws.com"}},
            ["is not one ServiceAccount"],
            id="wildcard-name",
        ),
        pytest.param(
            {"StringEquals": {SUB: "system:serviceaccount:kube-system:external-dns"}},
            ["tokens for any audience"],
            id="no-audience",
        ),
    ],
)
def test_trust_policy_must_bind_one_service_account(condition, expected: list[str]) -> None:
    # GIVEN an IRSA trust policy / WHEN checked / THEN looser bindings are named
    problems = check_trust_policy(web_identity(condition))
    assert len(problems) == len(expected), problems
    for problem, text in zip(problems, expected, strict=True):
        assert text in problem


def test_trust_policy_with_any_principal_is_flagged() -> None:
    doc = policy({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"})
    assert check_trust_policy(doc) == ["Statement[0]: Principal '*' lets anyone assume the role"]


def test_trust_check_reports_grammar_first() -> None:
    broken = copy.deepcopy(web_identity(None))
    broken["Version"] = "2008-10-17"
    assert check_trust_policy(broken) == check_policy(broken)
