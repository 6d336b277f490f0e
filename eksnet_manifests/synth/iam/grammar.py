"""IAM policy documents checked against the policy grammar, plus two least-privilege rules.

``check_policy`` accepts permissions and trust policies alike: a statement with a Principal is a
resource-based (trust) statement and needs no Resource. ``check_trust_policy`` adds the IRSA rule
that the web-identity role is bound to one ServiceAccount and the STS audience.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from fnmatch import fnmatchcase
from typing import Any

POLICY_VERSION = "2012-10-17"
WEB_IDENTITY_ACTION = "sts:AssumeRoleWithWebIdentity"
STS_AUDIENCE = "sts.amazonaws.com"

_ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9*?]+$")
_ARN = re.compile(r"^arn:[a-z*-]*:[a-z0-9*-]*:[a-z0-9*-]*:(\d{12}|\*|):.+$")
_SID = re.compile(r"^[A-Za-z0-9]*$")
_SUBJECT = re.compile(r"^system:serviceaccount:[a-z0-9.-]+:[a-z0-9.-]+$")
_TOP_KEYS = frozenset({"Version", "Id", "Statement"})
_STATEMENT_KEYS = frozenset(
    (
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    )
)
_PRINCIPAL_TYPES = frozenset({"AWS", "Service", "Federated", "CanonicalUser"})
_ORDERINGS = ("Equals", "NotEquals", "LessThan", "LessThanEquals", "GreaterThan", "GreaterThanEquals")
_STRING_MATCHES = ("Equals", "NotEquals", "EqualsIgnoreCase", "NotEqualsIgnoreCase", "Like", "NotLike")
_CONDITION_OPERATORS = frozenset(
    (
        *(f"String{op}" for op in _STRING_MATCHES),
        *(f"Numeric{op}" for op in _ORDERINGS),
        *(f"Date{op}" for op in _ORDERINGS),
        *(f"Arn{op}" for op in ("Equals", "Like", "NotEquals", "NotLike")),
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "NotIpAddress",
        "Null",
    )
)
_SET_PREFIXES = ("ForAllValues:", "ForAnyValue:")


def check_policy(doc: Any, scoped: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """Every grammar problem of ``doc``, in document order.

    ``scoped`` maps an action (``route53:ChangeResourceRecordSets``) to the ARNs it needs; an Allow
    statement granting that action on a wildcard resource is then a problem too.
    """
    return list(_policy_problems(doc, scoped or {}))


# Verbs of read-only actions (the IAM service authorization reference's List and Read access levels
# use these); every other action, and any wildcard that could match one, can change something.
_READ_VERBS = ("Get", "List", "Describe", "Search", "Lookup", "BatchGet", "View", "Head", "Query", "Scan")


def is_write_action(action: str) -> bool:
    """True unless ``action`` (``service:Verb…``) can only read; ``*`` and ``ec2:*`` can write."""
    return not action.partition(":")[2].startswith(_READ_VERBS)


def wildcard_writes(doc: Any) -> list[str]:
    """Allow statements granting write actions on ``Resource: "*"`` with no Condition to narrow them."""
    found = []
    for index, statement in enumerate(_statements(doc) if isinstance(doc, Mapping) else []):
        if statement.get("Effect") != "Allow" or statement.get("Condition") or "Principal" in statement:
            continue
        if "*" not in _string_list(statement, "Resource"):
            continue
        writes = [action for action in _string_list(statement, "Action") if is_write_action(action)]
        if "NotAction" in statement:
            writes = [f"everything but {', '.join(_string_list(statement, 'NotAction'))}"]
        if writes:
            found.append(
                f'Statement[{index}]: {", ".join(writes)} allowed on Resource "*" with no Condition: '
                "every matching resource of the account"
            )
    return found


def check_trust_policy(doc: Any) -> list[str]:
    """Grammar problems, plus web-identity statements that any ServiceAccount or audience could use."""
    problems = check_policy(doc)
    if problems:
        return problems
    return [
        problem
        for index, statement in enumerate(_statements(doc))
        for problem in _trust_problems(index, statement)
    ]


def _policy_problems(doc: Any, scoped: Mapping[str, Sequence[str]]) -> Iterator[str]:
    if not isinstance(doc, Mapping):
        yield "a policy must be a JSON object with Version and Statement"
        return
    for key in sorted(set(doc) - _TOP_KEYS):
        yield f"unknown top-level key {key!r}"
    if doc.get("Version") != POLICY_VERSION:
        yield f"Version must be {POLICY_VERSION!r}, not {doc.get('Version')!r}"
    statements = doc.get("Statement")
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        yield "Statement must be a non-empty list of statements"
        return
    seen_sids: set[str] = set()
    for index, statement in enumerate(statements):
        at = f"Statement[{index}]"
        if not isinstance(statement, Mapping):
            yield f"{at}: a statement must be a JSON object"
            continue
        sid = statement.get("Sid")
        if sid is not None:
            if not isinstance(sid, str) or not _SID.match(sid):
                yield f"{at}.Sid: {sid!r} must be letters and digits only"
            elif sid in seen_sids:
                yield f"{at}.Sid: duplicate Sid {sid!r}"
            seen_sids.add(str(sid))
        yield from (f"{at}: {problem}" for problem in _statement_problems(statement))
        yield from (f"{at}: {problem}" for problem in _scope_problems(statement, scoped))


def _statement_problems(statement: Mapping[str, Any]) -> Iterator[str]:
    for key in sorted(set(statement) - _STATEMENT_KEYS):
        yield f"unknown key {key!r}"
    if statement.get("Effect") not in ("Allow", "Deny"):
        yield f"Effect must be Allow or Deny, not {statement.get('Effect')!r}"
    yield from _exactly_one(statement, "Action", "NotAction", required=True)
    for key in ("Action", "NotAction"):
        actions, problem = _strings(statement, key)
        yield from problem
        yield from (
            f"{key}: {a!r} is not service:action" for a in actions if a != "*" and not _ACTION.match(a)
        )
    has_principal = "Principal" in statement or "NotPrincipal" in statement
    yield from _exactly_one(statement, "Principal", "NotPrincipal", required=False)
    yield from _exactly_one(statement, "Resource", "NotResource", required=not has_principal)
    for key in ("Resource", "NotResource"):
        resources, problem = _strings(statement, key)
        yield from problem
        yield from (
            f"{key}: {r!r} is neither '*' nor an ARN" for r in resources if r != "*" and not _ARN.match(r)
        )
    for key in ("Principal", "NotPrincipal"):
        if key in statement:
            yield from _principal_problems(key, statement[key])
    if "Condition" in statement:
        yield from _condition_problems(statement["Condition"])


def _exactly_one(statement: Mapping[str, Any], first: str, second: str, *, required: bool) -> Iterator[str]:
    if first in statement and second in statement:
        yield f"{first} and {second} exclude each other"
    elif required and first not in statement and second not in statement:
        yield f"{first} (or {second}) is required"


def _strings(block: Mapping[str, Any], key: str) -> tuple[list[str], list[str]]:
    """The strings under ``key`` (a string or a non-empty list of strings), and the shape problem if any."""
    if key not in block:
        return [], []
    value = block[key]
    if isinstance(value, str):
        return [value], []
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return value, []
    return [], [f"{key} must be a string or a non-empty list of strings"]


def _string_list(block: Mapping[str, Any], key: str) -> list[str]:
    return _strings(block, key)[0]


def _principal_problems(key: str, principal: Any) -> Iterator[str]:
    if principal == "*":
        return
    if not isinstance(principal, Mapping) or not principal:
        yield f"{key} must be '*' or an object keyed by AWS, Service, Federated or CanonicalUser"
        return
    for kind in principal:
        if kind not in _PRINCIPAL_TYPES:
            yield f"{key}: unknown principal type {kind!r}"
        yield from (f"{key}.{problem}" for problem in _strings(principal, kind)[1])


def _condition_problems(condition: Any) -> Iterator[str]:
    if not isinstance(condition, Mapping) or not condition:
        yield "Condition must be an object of operator -> {key: value}"
        return
    for operator, block in condition.items():
        if not _known_operator(operator):
            yield f"Condition: unknown operator {operator!r}"
        if not isinstance(block, Mapping) or not block:
            yield f"Condition.{operator} must be an object of condition key -> value"
            continue
        for key, value in block.items():
            if not _condition_value(value):
                yield f"Condition.{operator}.{key}: value must be a string, number, boolean or a list of them"


def _known_operator(operator: str) -> bool:
    base = next((operator.removeprefix(p) for p in _SET_PREFIXES if operator.startswith(p)), operator)
    if base != "Null":
        base = base.removesuffix("IfExists")
    return base in _CONDITION_OPERATORS


def _condition_value(value: Any) -> bool:
    scalar = (str, bool, int, float)
    return isinstance(value, scalar) or (
        isinstance(value, list) and bool(value) and all(isinstance(item, scalar) for item in value)
    )


def _scope_problems(statement: Mapping[str, Any], scoped: Mapping[str, Sequence[str]]) -> Iterator[str]:
    if statement.get("Effect") != "Allow":
        return
    resources = _string_list(statement, "Resource")
    for action, needed in sorted(scoped.items()):
        if not _allows(statement, action):
            continue
        if "NotResource" in statement:
            yield f"{action} is allowed through NotResource; only {', '.join(needed)} is needed"
        for resource in resources:
            if resource not in needed and ("*" in resource or "?" in resource):
                yield f"{action} is allowed on {resource!r}; only {', '.join(needed)} is needed"


def _allows(statement: Mapping[str, Any], action: str) -> bool:
    """Whether Action (or NotAction) covers ``action``; IAM matches actions case-insensitively."""

    def matches(patterns: list[str]) -> bool:
        return any(fnmatchcase(action.lower(), pattern.lower()) for pattern in patterns)

    if "Action" in statement:
        return matches(_string_list(statement, "Action"))
    return "NotAction" in statement and not matches(_string_list(statement, "NotAction"))


def _statements(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    statements = doc["Statement"]
    return [statements] if isinstance(statements, Mapping) else statements


def _trust_problems(index: int, statement: Mapping[str, Any]) -> Iterator[str]:
    at = f"Statement[{index}]"
    if statement.get("Effect") != "Allow":
        return
    principal = statement.get("Principal")
    if principal == "*" or (isinstance(principal, Mapping) and "*" in _string_list(principal, "AWS")):
        yield f"{at}: Principal '*' lets anyone assume the role"
    if not _allows(statement, WEB_IDENTITY_ACTION):
        return
    providers = _string_list(principal, "Federated") if isinstance(principal, Mapping) else []
    for provider in providers:
        issuer = provider.partition(":oidc-provider/")[2]
        if issuer:
            yield from (f"{at}: {problem}" for problem in _web_identity_problems(statement, issuer))


def _web_identity_problems(statement: Mapping[str, Any], issuer: str) -> Iterator[str]:
    condition = statement.get("Condition") or {}
    equals = condition.get("StringEquals") or {}
    subjects = equals.get(f"{issuer}:sub")
    subjects = [subjects] if isinstance(subjects, str) else subjects
    if not subjects:
        yield (
            f"no StringEquals {issuer}:sub condition: any ServiceAccount in the cluster can assume the role "
            "(bind it to system:serviceaccount:<namespace>:<name>)"
        )
    else:
        for subject in subjects:
            if not _SUBJECT.match(str(subject)):
                yield f"{issuer}:sub {subject!r} is not one ServiceAccount (system:serviceaccount:NS:NAME)"
    if equals.get(f"{issuer}:aud") not in (STS_AUDIENCE, [STS_AUDIENCE]):
        yield f"no StringEquals {issuer}:aud = {STS_AUDIENCE} condition: tokens for any audience work"
