"""x-kubernetes-validations evaluation: the Kubernetes CEL libraries and how rule outcomes are reported."""

from __future__ import annotations

from typing import Any

import pytest

from eksnet_manifests.check.cel.runtime import CelValidator
from eksnet_manifests.check.schema.structural import compile_node, prepare

LIBRARY = [
    ("isIP('10.0.0.1')", True),
    ("isIP('10.0.0.01')", False),
    ("isIP('fe80::1%eth0')", False),
    ("ip('10.0.0.1').family()", 4),
    ("ip('::1').isLoopback()", True),
    ("ip('10.1.2.3').isGlobalUnicast()", True),
    ("ip.isCanonical('2001:db8::1')", True),
    ("ip.isCanonical('2001:DB8::1')", False),
    ("isCIDR('192.168.0.0/16')", True),
    ("cidr('192.168.0.0/16').containsIP(ip('192.168.3.4'))", True),
    ("cidr('192.168.0.0/16').containsIP('10.0.0.1')", False),
    ("cidr('192.168.0.0/16').containsCIDR('192.168.1.0/24')", True),
    ("cidr('192.168.7.1/16').masked() == cidr('192.168.0.0/16')", True),
    ("cidr('192.168.0.0/16').prefixLength()", 16),
    ("string(cidr('10.0.0.0/8').ip())", "10.0.0.0"),
    ("quantity('1Gi').isGreaterThan(quantity('1G'))", True),
    ("quantity('1Gi') == quantity('1024Mi')", True),
    ("quantity('250m').asApproximateFloat()", 0.25),
    ("quantity('2k').add(quantity('500')).asInteger()", 2500),
    ("isQuantity('12 GB')", False),
    ("url('https://example.com:8443/a/b?x=1').getHostname()", "example.com"),
    ("url('https://example.com:8443/a/b?x=1').getPort()", "8443"),
    ("url('https://example.com/a/b?x=1&x=2').getQuery()['x']", ["1", "2"]),
    ("url('https://example.com/a/b').getEscapedPath()", "/a/b"),
    ("isURL('example.com')", False),
    ("'a/b/c'.split('/')", ["a", "b", "c"]),
    ("'gateway'.substring(4)", "way"),
    ("'MiXeD'.lowerAscii()", "mixed"),
    ("'hello'.indexOf('l')", 2),
    ("'abc'.matches('^(?i)ABC$')", True),
    ("'v1.2.3'.find('[0-9]+')", "1"),
    ("'v1.2.3'.findAll('[0-9]+')", ["1", "2", "3"]),
    ("[1, 2, 3].isSorted()", True),
    ("[3, 1, 2].sum()", 6),
    ("[3, 1, 2].min()", 1),
    ("['a', 'b', 'a'].lastIndexOf('a')", 2),
    ("sets.contains([1, 2, 3], [2, 3])", True),
    ("sets.intersects([1, 2], [3])", False),
    ("semver('1.2.3').isLessThan(semver('1.10.0'))", True),
    ("[1, 2, 3].exists_one(x, x > 2) && [1, 2].all(x, x > 0)", True),
    ("[1, 2, 3].filter(x, x > 1).map(x, x * 10)", [20, 30]),
    ("optional.of(1).orValue(2)", 1),
    ("{'a': 1}.?b.orValue(7)", 7),
    ("duration('1h') > duration('30m')", True),
    ("cel.bind(x, 2, x * x)", 4),
]


@pytest.mark.parametrize(("expression", "expected"), LIBRARY, ids=[e for e, _ in LIBRARY])
def test_kubernetes_cel_library(evaluate, expression, expected):
    assert evaluate(expression) == expected


def test_library_errors_are_cel_errors(evaluate):
    result = evaluate("[].min()")
    assert result[0] == "error"


def schema_with(rules: list[dict[str, Any]], **properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "spec": {"type": "object", "properties": properties, "x-kubernetes-validations": rules}
        },
    }


def outcomes(schema: dict[str, Any], obj: dict[str, Any]) -> list[tuple[str, str, bool]]:
    validator = CelValidator()
    prepared = prepare(obj, compile_node(schema))
    found = [o for point in prepared.checkpoints for o in validator.check(point)]
    return [(".".join(map(str, o.path)), o.message, o.unsupported) for o in found]


STRING, INT = {"type": "string"}, {"type": "integer"}


def test_failing_rules_report_their_message_or_the_rule():
    schema = schema_with(
        [
            {"rule": "self.a == 'x'", "message": "a must be x"},
            {"rule": "self.b > 1"},
            {"rule": "has(self.a)"},
        ],
        a=STRING,
        b=INT,
    )
    assert outcomes(schema, {"spec": {"a": "y", "b": 0}}) == [
        ("spec", "a must be x", False),
        ("spec", "failed rule: self.b > 1", False),
    ]


def test_one_rule_erroring_does_not_hide_the_others():
    # GIVEN one rule reading an absent field and one that fails on its own
    schema = schema_with(
        [{"rule": "self.b > 1", "message": "b too small"}, {"rule": "self.a == 'x'"}], a=STRING, b=INT
    )
    # WHEN evaluated THEN both are reported, the error as the API server words it
    assert outcomes(schema, {"spec": {"a": "y"}}) == [
        ("spec", "no such key: b evaluating rule: b too small", False),
        ("spec", "failed rule: self.a == 'x'", False),
    ]


def test_message_expression_and_field_path():
    rule = {
        "rule": "self.b <= 10",
        "messageExpression": "'b is ' + string(self.b) + ', over 10'",
        "message": "fallback",
        "fieldPath": ".b",
    }
    assert outcomes(schema_with([rule], b=INT), {"spec": {"b": 12}}) == [
        ("spec.b", "b is 12, over 10", False)
    ]


def test_reason_words_the_error_as_its_field_error_type():
    rule = {"rule": "!has(self.b)", "message": "b is set by the controller", "reason": "FieldValueForbidden"}
    assert outcomes(schema_with([rule], b=INT), {"spec": {"b": 1}}) == [
        ("spec", "Forbidden: b is set by the controller", False)
    ]


def test_message_expression_that_fails_falls_back_to_message():
    rule = {"rule": "false", "messageExpression": "self.missing", "message": "fallback"}
    assert outcomes(schema_with([rule], b=INT), {"spec": {}}) == [("spec", "fallback", False)]


def test_uncompilable_rule_is_reported_as_unsupported_not_dropped():
    schema = schema_with([{"rule": "format.dns1123Label().validate(self.a).hasValue()"}], a=STRING)
    [(path, message, unsupported)] = outcomes(schema, {"spec": {"a": "x"}})
    assert (path, unsupported) == ("spec", True)
    assert "format" in message


def test_transition_rules_are_not_run_on_create():
    assert (
        outcomes(schema_with([{"rule": "self == oldSelf", "message": "immutable"}], a=STRING), {"spec": {}})
        == []
    )


def test_optional_old_self_rules_run_on_create_with_an_empty_old_self():
    rule = {
        "rule": "oldSelf.hasValue() || self.a == 'x'",
        "optionalOldSelf": True,
        "message": "new ones are x",
    }
    schema = schema_with([rule], a=STRING)
    assert outcomes(schema, {"spec": {"a": "x"}}) == []
    assert outcomes(schema, {"spec": {"a": "y"}}) == [("spec", "new ones are x", False)]


def test_reserved_property_names_are_escaped_for_cel():
    schema = schema_with([{"rule": "self.__namespace__ == 'apps'"}], namespace=STRING)
    assert outcomes(schema, {"spec": {"namespace": "apps"}}) == []
    assert outcomes(schema, {"spec": {"namespace": "web"}}) == [
        ("spec", "failed rule: self.__namespace__ == 'apps'", False)
    ]


@pytest.mark.parametrize(
    ("prop", "value", "rule"),
    [
        ({"type": "number"}, 1, "self.v == 1.0"),
        ({"type": "string", "format": "byte"}, "aGk=", "self.v == b'hi'"),
        (
            {"type": "string", "format": "date-time"},
            "2024-01-02T03:04:05Z",
            "timestamp(self.v).getFullYear() == 2024",
        ),
    ],
    ids=["number-is-double", "byte-is-bytes", "date-time-converted-by-rule"],
)
def test_values_are_typed_by_schema_as_kubernetes_does(prop, value, rule):
    assert outcomes(schema_with([{"rule": rule}], v=prop), {"spec": {"v": value}}) == []


def test_rule_needing_typed_time_values_is_unsupported_not_failed():
    # GIVEN a rule comparing a date-time field as a timestamp, which this runtime gets as a string
    prop = {"type": "string", "format": "date-time"}
    rule = {"rule": "self.v < timestamp('2030-01-01T00:00:00Z')"}
    # WHEN evaluated THEN it is a warning that the rule was not checked, not an error about the object
    [(path, message, unsupported)] = outcomes(
        schema_with([rule], v=prop), {"spec": {"v": "2024-01-02T03:04:05Z"}}
    )
    assert (path, unsupported) == ("spec", True)
    assert "date/time" in message
