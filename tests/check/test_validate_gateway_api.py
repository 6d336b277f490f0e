"""Gateway API v1.3.0 objects against the upstream CRDs: what the API server accepts and what it rejects."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.findings import Severity
from eksnet_manifests.check.validate import ValidateOptions

VALID = """
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: alb}
spec: {controllerName: gateway.k8s.aws/alb}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: apps}
spec:
  gatewayClassName: alb
  listeners:
  - {name: http, protocol: HTTP, port: 80}
  - name: https
    protocol: HTTPS
    port: 443
    hostname: "*.example.com"
    tls:
      certificateRefs: [{name: web-cert}]
    allowedRoutes:
      namespaces: {from: Selector, selector: {matchLabels: {team: web}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: apps}
spec:
  parentRefs:
  - {name: web, sectionName: https}
  - {name: web, namespace: apps, sectionName: http}
  hostnames: [app.example.com]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /api}
      headers: [{name: x-canary, value: "true"}]
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set: [{name: x-app, value: web}]
        remove: [x-debug]
    backendRefs:
    - {name: web, port: 80, weight: 90}
    - {name: web-canary, port: 80, weight: 10}
    timeouts: {request: 10s, backendRequest: 5s}
  - filters:
    - type: RequestRedirect
      requestRedirect: {scheme: https, statusCode: 301}
  - filters:
    # No matches: the default match (PathPrefix "/") is what makes replacePrefixMatch legal here.
    - type: URLRewrite
      urlRewrite:
        path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}
    backendRefs: [{name: web, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc, namespace: apps}
spec:
  parentRefs: [{name: web}]
  rules:
  - matches: [{method: {service: helloworld.Greeter, method: SayHello}}]
    backendRefs: [{name: grpc, port: 50051}]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: allow-routes, namespace: backends}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: apps}]
  to: [{group: "", kind: Service}]
"""


def test_valid_gateway_api_objects_pass(validate_yaml):
    # GIVEN a GatewayClass, Gateway, HTTPRoute, GRPCRoute and ReferenceGrant written by the rules
    # WHEN validated with CEL on THEN nothing is reported
    assert validate_yaml(VALID) == []


GATEWAY = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: web, namespace: apps}}
spec:
  gatewayClassName: alb
  listeners:
{listeners}
"""

ROUTE = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: web, namespace: apps}}
spec:
  parentRefs: [{{name: web}}]
  rules:
{rules}
"""

TWO_HTTP_LISTENERS = (
    "  - {name: http, protocol: HTTP, port: 80}\n  - {name: http, protocol: HTTP, port: 8080}"
)
BACKEND = "    backendRefs: [{name: web, port: 80}]"

REJECTED = [
    pytest.param(
        GATEWAY.format(listeners=TWO_HTTP_LISTENERS),
        "cel",
        "spec.listeners",
        "Listener name must be unique within the Gateway",
        id="duplicate-listener-names",
    ),
    pytest.param(
        GATEWAY.format(listeners=TWO_HTTP_LISTENERS),
        "list-duplicate",
        "spec.listeners[1]",
        'Duplicate value: {"name":"http"}',
        id="duplicate-listener-names-list-map-key",
    ),
    pytest.param(
        GATEWAY.format(
            listeners="  - {name: http, protocol: HTTP, port: 80, tls: {certificateRefs: [{name: c}]}}"
        ),
        "cel",
        "spec.listeners",
        "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
        id="tls-on-http-listener",
    ),
    pytest.param(
        GATEWAY.format(
            listeners="  - {name: https, protocol: HTTPS, port: 443, tls: {certificateRefs: [], options: {}}}"
        ),
        "cel",
        "spec.listeners[0].tls",
        "certificateRefs or options must be specified when mode is Terminate",
        id="tls-mode-defaults-to-terminate-before-cel",
    ),
    pytest.param(
        GATEWAY.format(listeners="  - {name: https, protocol: HTTPS, port: 443, tls: {}}"),
        "cel",
        "spec.listeners[0].tls",
        # Worded as the API server does: mode was defaulted; the absent certificateRefs trips the rule.
        "no such key: certificateRefs evaluating rule: certificateRefs or options must be specified",
        id="rule-evaluation-error-on-absent-field",
    ),
    pytest.param(
        GATEWAY.format(listeners="  - {name: web, protocol: HTTP, port: 80, hostname: Bad_Host.example.com}"),
        "schema",
        "spec.listeners[0].hostname",
        'Invalid value: "Bad_Host.example.com": should match \'^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?',
        id="listener-hostname-bad-chars",
    ),
    pytest.param(
        GATEWAY.format(listeners="  - {name: web, protocol: HTTP, port: 70000}"),
        "schema",
        "spec.listeners[0].port",
        "Invalid value: 70000: should be less than or equal to 65535",
        id="listener-port-out-of-range",
    ),
    pytest.param(
        ROUTE.format(
            rules="  - filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]\n"
            "    backendRefs: [{name: web, port: 80}]"
        ),
        "cel",
        "spec.rules[0]",
        "RequestRedirect filter must not be used together with backendRefs",
        id="redirect-with-backend-refs",
    ),
    pytest.param(
        ROUTE.format(rules="  - backendRefs: [{name: web}]"),
        "cel",
        "spec.rules[0].backendRefs[0]",
        "Must have port for Service reference",
        id="service-backend-without-port",
    ),
    pytest.param(
        ROUTE.format(rules="  - backendRefs: [{name: web, port: 80}]").replace(
            "parentRefs:", "hostnames: [app_1.example.com]\n  parentRefs:"
        ),
        "schema",
        "spec.hostnames[0]",
        'Invalid value: "app_1.example.com": should match',
        id="route-hostname-bad-chars",
    ),
    pytest.param(
        ROUTE.format(rules="  - backendRefs: [{name: web, port: 80}]\n    retry: {attempts: 2}"),
        "unknown-field",
        "spec.rules[0].retry",
        'unknown field "spec.rules[0].retry"',
        id="unknown-field",
    ),
    pytest.param(
        ROUTE.format(rules='  - backendRefs: [{name: web, port: "80"}]'),
        "schema",
        "spec.rules[0].backendRefs[0].port",
        'Invalid value: "80": must be of type integer, not string',
        id="wrong-type",
    ),
    pytest.param(
        ROUTE.format(
            rules="  - filters:\n"
            "    - type: RequestHeaderModifier\n"
            "      requestHeaderModifier: {set: [{name: x-a, value: '1'}, {name: x-a, value: '2'}]}\n"
            "    backendRefs: [{name: web, port: 80}]"
        ),
        "list-duplicate",
        "spec.rules[0].filters[0].requestHeaderModifier.set[1]",
        'Duplicate value: {"name":"x-a"}',
        id="list-map-duplicate-key",
    ),
    pytest.param(
        ROUTE.format(
            rules="  - filters: [{type: RequestHeaderModifier, requestRedirect: {scheme: https}}]\n"
            "    backendRefs: [{name: web, port: 80}]"
        ),
        "cel",
        "spec.rules[0].filters[0]",
        "filter.requestRedirect must be nil if the filter.type is not RequestRedirect",
        id="filter-field-does-not-match-type",
    ),
    pytest.param(
        ROUTE.format(rules="  - matches: [{path: {type: PathPrefix, value: api}}]\n" + BACKEND),
        "cel",
        "spec.rules[0].matches[0].path",
        "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
        id="relative-path-match",
    ),
    pytest.param(
        ROUTE.format(
            rules="  - matches: [{path: {type: Prefix, value: /}}]\n    backendRefs: [{name: web, port: 80}]"
        ),
        "schema",
        "spec.rules[0].matches[0].path.type",
        'Unsupported value: "Prefix": supported values: "Exact", "PathPrefix", "RegularExpression"',
        id="unsupported-enum-value",
    ),
    pytest.param(
        ROUTE.format(
            rules="  - matches: [{path: {type: Exact, value: /a}}, {path: {type: Exact, value: /b}}]\n"
            "    filters:\n"
            "    - type: URLRewrite\n"
            "      urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}\n"
            "    backendRefs: [{name: web, port: 80}]"
        ),
        "cel",
        "spec.rules[0]",
        "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be",
        id="rewrite-prefix-needs-one-prefix-match",
    ),
    pytest.param(
        ROUTE.format(
            rules="  - backendRefs: [{name: web, port: 80}]\n    timeouts: {request: 5s, backendRequest: 10s}"
        ),
        "cel",
        "spec.rules[0].timeouts",
        "backendRequest timeout cannot be longer than request timeout",
        id="backend-timeout-longer-than-request",
    ),
]


@pytest.mark.parametrize(("text", "rule", "path", "message"), REJECTED)
def test_gateway_api_rules_reject(validate_yaml, text, rule, path, message):
    # GIVEN an object breaking one schema constraint or CEL rule of the upstream CRDs
    # WHEN validated
    findings = validate_yaml(text)
    # THEN a finding with that rule, path and message is among them, as an error naming the object
    matching = [f for f in findings if f.rule == rule and f.path == path and f.message.startswith(message)]
    assert matching, [f.to_text() for f in findings]
    assert matching[0].severity is Severity.ERROR
    assert matching[0].name == "web"
    assert matching[0].namespace == "apps"


def test_no_cel_skips_rules_but_keeps_schema(validate_yaml):
    # GIVEN a route that breaks a CEL rule and a schema type
    text = ROUTE.format(rules='  - backendRefs: [{name: web}, {name: web2, port: "80"}]')
    # WHEN validated without CEL
    findings = validate_yaml(text, ValidateOptions(cel=False))
    # THEN only the schema finding remains
    assert [(f.rule, f.path) for f in findings] == [("schema", "spec.rules[0].backendRefs[1].port")]


def test_transition_rules_are_skipped_on_create(validate_yaml):
    # GIVEN a GatewayClass (its controllerName carries "self == oldSelf", "Value is immutable")
    text = "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: x}\n"
    text += "spec: {controllerName: a.io/b}"
    # WHEN validated THEN the transition rule neither fails nor errors
    assert validate_yaml(text) == []


def test_unserved_version_is_missing_schema(validate_yaml):
    # GIVEN a Gateway in a version the v1.3.0 standard CRD does not have
    text = "apiVersion: gateway.networking.k8s.io/v1alpha9\nkind: Gateway\nmetadata: {name: web}\nspec: {}"
    # WHEN validated THEN the finding says which versions are served
    [finding] = validate_yaml(text)
    assert finding.rule == "schema-missing"
    assert (
        "gateways.gateway.networking.k8s.io does not serve version v1alpha9 (served: v1, v1beta1)"
        in finding.message
    )


# Breaks the CEL rule "Must have port for Service reference".
PORTLESS_BACKEND = "    backendRefs: [{name: web}]"

BLOCKING = [
    pytest.param(
        ROUTE.format(rules="  - matches: [{path: {type: PathPrefix, value: 5}}]\n" + PORTLESS_BACKEND),
        id="type-invalid",
    ),
    pytest.param(
        ROUTE.format(rules="  - matches: [{method: FETCH}]\n" + PORTLESS_BACKEND), id="not-supported"
    ),
    pytest.param(ROUTE.format(rules="  - backendRefs: [{name: web}, {port: 80}]"), id="required"),
    pytest.param(
        ROUTE.format(
            rules="  - matches: [{headers: [{name: x, value: " + "v" * 4097 + "}]}]\n" + PORTLESS_BACKEND
        ),
        id="too-long",
    ),
    pytest.param(
        ROUTE.format(rules="  - backendRefs: [{name: web}]").replace(
            "parentRefs:", f"hostnames: [{', '.join(f'h{i}.example.com' for i in range(17))}]\n  parentRefs:"
        ),
        id="too-many",
    ),
]


@pytest.mark.parametrize("text", BLOCKING)
def test_blocking_schema_error_skips_cel_rules(validate_yaml, text):
    # GIVEN a route with a schema error of a kind the API server treats as blocking, and a CEL violation
    # WHEN validated
    findings = validate_yaml(text)
    # THEN the schema error is reported, the rules are not run, and one warning says so
    assert [f for f in findings if f.rule == "schema" and f.severity is Severity.ERROR], findings
    assert not [f for f in findings if f.rule == "cel"], [f.to_text() for f in findings]
    [skipped] = [f for f in findings if f.rule == "cel-skipped"]
    assert skipped.severity is Severity.WARNING
    assert skipped.message.startswith("some validation rules were not checked because the object was invalid")


def test_non_blocking_schema_error_keeps_cel_rules(validate_yaml):
    # GIVEN a route whose hostname breaks a pattern (not blocking) and whose backend has no port
    text = ROUTE.format(rules="  - backendRefs: [{name: web}]").replace(
        "parentRefs:", "hostnames: [a_b.example.com]\n  parentRefs:"
    )
    # WHEN validated
    findings = validate_yaml(text)
    # THEN both the pattern error and the CEL rule are reported, and nothing was skipped
    assert {(f.rule, f.path) for f in findings} == {
        ("schema", "spec.hostnames[0]"),
        ("cel", "spec.rules[0].backendRefs[0]"),
    }
