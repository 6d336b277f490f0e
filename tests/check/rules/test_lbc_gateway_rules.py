"""Routes and listeners on LBC Gateways: what the pinned controller skips or programs otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from eksnet_manifests.check.lint import Lint
from eksnet_manifests.check.rules.lbc_listeners import (
    BACKEND_TLS,
    BACKEND_TLS_POLICIES,
    CONFIG_OVERRIDDEN,
    GATEWAY_FIELD_UNSUPPORTED,
    L4_ROUTES,
    LBC_LISTENERS,
    OPEN_TO_ALL,
    TCP_UDP_PORT,
)
from eksnet_manifests.check.rules.lbc_routes import (
    ALB_ROUTES,
    FIELD_UNSUPPORTED,
    FILTER_UNSUPPORTED,
    GRPC_LISTENER,
    MATCH_UNSUPPORTED,
    REDIRECT_UNSUPPORTED,
    RULE_CONFIG,
    TOO_MANY_TARGET_GROUPS,
)
from tests.check.lint.manifests import (
    APP_NS,
    case,
    gateway,
    gateway_class,
    lint_findings,
    listener,
    metadata,
    outcomes,
    route,
)

NLB = "gateway.k8s.aws/nlb"


def lbc_values(version: str) -> dict[str, Any]:
    return {"aws-load-balancer-controller": {"image": {"tag": version}}}


def alb(*listeners: dict, **fields: Any) -> list[dict]:
    """An LBC ALB Gateway (with its class) and the given listeners (default: HTTPS)."""
    return [gateway_class(), gateway(*(listeners or [listener("https", "HTTPS", 443)]), **fields)]


def rule_route(*rules: dict, kind: str = "HTTPRoute", section: str | None = None) -> dict:
    parent = {"name": "gw", **({"sectionName": section} if section else {})}
    obj = route(kind, parents=[parent])
    obj["spec"]["rules"] = list(rules)
    return obj


def backend(name: str = "web", **fields: Any) -> dict:
    return {"name": name, "port": 80, **fields}


def lrc(*actions: dict, name: str = "auth") -> dict:
    return {
        "apiVersion": "gateway.k8s.aws/v1",
        "kind": "ListenerRuleConfiguration",
        "metadata": metadata(name),
        "spec": {"actions": list(actions)},
    }


def extension(name: str = "auth") -> dict:
    ref = {"group": "gateway.k8s.aws", "kind": "ListenerRuleConfiguration", "name": name}
    return {"type": "ExtensionRef", "extensionRef": ref}


def load_balancer_configuration(name: str, ns: str | None = APP_NS, **spec: Any) -> dict:
    return {
        "apiVersion": "gateway.k8s.aws/v1",
        "kind": "LoadBalancerConfiguration",
        "metadata": metadata(name, ns),
        "spec": spec,
    }


BACKEND_TLS_POLICY = {
    "apiVersion": "gateway.networking.k8s.io/v1",
    "kind": "BackendTLSPolicy",
    "metadata": metadata("web-tls"),
    "spec": {"targetRefs": [{"group": "", "kind": "Service", "name": "web"}]},
}
OIDC = {
    "type": "authenticate-oidc",
    "authenticateOIDCConfig": {"issuer": "https://i", "secret": {"name": "oidc"}},
}
HEADERS = {"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "x", "value": "1"}]}}
REWRITE = {"type": "URLRewrite", "urlRewrite": {"hostname": "a.example.com"}}


def with_class_config(objects: list[dict], merging: str | None = None, **spec: Any) -> list[dict]:
    objects[0]["spec"]["parametersRef"] = {
        "group": "gateway.k8s.aws",
        "kind": "LoadBalancerConfiguration",
        "name": "class-config",
        "namespace": "platform",
    }
    class_spec = {**spec, **({"mergingMode": merging} if merging else {})}
    return [*objects, load_balancer_configuration("class-config", "platform", **class_spec)]


def with_own_config(objects: list[dict], **spec: Any) -> list[dict]:
    ref = {"group": "gateway.k8s.aws", "kind": "LoadBalancerConfiguration", "name": "own"}
    objects[1]["spec"]["infrastructure"] = {"parametersRef": ref}
    return [*objects, load_balancer_configuration("own", **spec)]


CASES = [
    case(
        "header-modifier-fails-the-rule",
        ALB_ROUTES,
        [*alb(), rule_route({"filters": [HEADERS], "backendRefs": [backend()]})],
        [(FILTER_UNSUPPORTED, "error", "spec.rules[0].filters[0]")],
    ),
    case(
        "url-rewrite-needs-v2.15",
        ALB_ROUTES,
        [*alb(), rule_route({"filters": [REWRITE], "backendRefs": [backend()]})],
        [(FILTER_UNSUPPORTED, "error", "spec.rules[0].filters[0]")],
        lbc_values("v2.14.1"),
    ),
    case(
        "url-rewrite-on-v3.5",
        ALB_ROUTES,
        [*alb(), rule_route({"filters": [REWRITE], "backendRefs": [backend()]})],
        [],
        lbc_values("v3.5.0"),
    ),
    case(
        "grpc-takes-extension-refs-only",
        ALB_ROUTES,
        [*alb(), rule_route({"filters": [HEADERS], "backendRefs": [backend()]}, kind="GRPCRoute")],
        [(FILTER_UNSUPPORTED, "error", "spec.rules[0].filters[0]")],
    ),
    case(
        "timeouts-are-not-implemented",
        ALB_ROUTES,
        [*alb(), rule_route({"timeouts": {"request": "10s"}, "backendRefs": [backend()]})],
        [(FIELD_UNSUPPORTED, "error", "spec.rules[0].timeouts")],
    ),
    case(
        "header-regex-before-v3.2",
        ALB_ROUTES,
        [
            *alb(),
            rule_route(
                {
                    "matches": [{"headers": [{"name": "x", "type": "RegularExpression", "value": "a.*"}]}],
                    "backendRefs": [backend()],
                }
            ),
        ],
        [(MATCH_UNSUPPORTED, "error", "spec.rules[0].matches[0].headers[0]")],
        lbc_values("v3.1.0"),
    ),
    case(
        "header-regex-from-v3.2",
        ALB_ROUTES,
        [
            *alb(),
            rule_route(
                {
                    "matches": [{"headers": [{"name": "x", "type": "RegularExpression", "value": "a.*"}]}],
                    "backendRefs": [backend()],
                }
            ),
        ],
        [],
        lbc_values("v3.5.0"),
    ),
    case(
        "prefix-path-with-a-wildcard",
        ALB_ROUTES,
        [
            *alb(),
            rule_route(
                {"matches": [{"path": {"type": "PathPrefix", "value": "/a*"}}], "backendRefs": [backend()]}
            ),
        ],
        [(MATCH_UNSUPPORTED, "error", "spec.rules[0].matches[0].path")],
    ),
    case(
        "redirect-code-alb-has-not",
        ALB_ROUTES,
        [
            *alb(),
            rule_route({"filters": [{"type": "RequestRedirect", "requestRedirect": {"statusCode": 308}}]}),
        ],
        [(REDIRECT_UNSUPPORTED, "error", "spec.rules[0].filters[0].requestRedirect.statusCode")],
    ),
    case(
        "prefix-redirect-that-loops",
        ALB_ROUTES,
        [
            *alb(),
            rule_route(
                {
                    "matches": [{"path": {"type": "PathPrefix", "value": "/old"}}],
                    "filters": [
                        {
                            "type": "RequestRedirect",
                            "requestRedirect": {
                                "path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/new"}
                            },
                        }
                    ],
                }
            ),
        ],
        [(REDIRECT_UNSUPPORTED, "error", "spec.rules[0].filters[0].requestRedirect.path")],
    ),
    case(
        "oidc-on-an-http-listener-would-be-skipped",
        ALB_ROUTES,
        [
            *alb(listener("http", "HTTP", 80)),
            rule_route({"filters": [extension()], "backendRefs": [backend()]}),
            lrc(OIDC),
        ],
        [(RULE_CONFIG, "error", "spec.parentRefs")],
    ),
    case(
        "oidc-on-https-is-programmed",
        ALB_ROUTES,
        [*alb(), rule_route({"filters": [extension()], "backendRefs": [backend()]}), lrc(OIDC)],
    ),
    case(
        "listener-rule-configuration-missing",
        ALB_ROUTES,
        [*alb(), rule_route({"filters": [extension()], "backendRefs": [backend()]})],
        [(RULE_CONFIG, "warning", "spec.rules[0].filters[0]")],
    ),
    case(
        "two-listener-rule-configurations",
        ALB_ROUTES,
        [
            *alb(),
            rule_route({"filters": [extension(), extension("b")], "backendRefs": [backend()]}),
            lrc(OIDC),
        ],
        [(RULE_CONFIG, "error", "spec.rules[0].filters[1]")],
    ),
    case(
        "redirect-query-without-a-redirect",
        ALB_ROUTES,
        [
            *alb(),
            rule_route({"filters": [extension()], "backendRefs": [backend()]}),
            lrc({"type": "redirect", "redirectConfig": {"query": "a=1"}}),
        ],
        [(RULE_CONFIG, "error", "spec.rules[0].filters[0]")],
    ),
    case(
        "grpc-on-an-http-listener",
        ALB_ROUTES,
        [*alb(listener("http", "HTTP", 80)), rule_route({"backendRefs": [backend()]}, kind="GRPCRoute")],
        [(GRPC_LISTENER, "error", "spec.parentRefs")],
    ),
    case(
        "six-weighted-backends",
        ALB_ROUTES,
        [*alb(), rule_route({"backendRefs": [backend(f"web{i}", weight=1) for i in range(6)]})],
        [(TOO_MANY_TARGET_GROUPS, "error", "spec.rules[0].backendRefs")],
    ),
    case(
        "routes-of-other-controllers-are-not-judged",
        ALB_ROUTES,
        [
            gateway_class("other", "example.com/gw"),
            gateway(listener(), class_name="other"),
            rule_route({"timeouts": {"request": "10s"}, "backendRefs": [backend()]}),
        ],
    ),
    case(
        "tcp-and-udp-on-one-port-before-v2.17",
        LBC_LISTENERS,
        [gateway_class("alb", NLB), gateway(listener("t", "TCP", 53), listener("u", "UDP", 53))],
        [(TCP_UDP_PORT, "error", "spec.listeners[1]")],
        lbc_values("v2.16.0"),
    ),
    case(
        "tcp-and-udp-on-one-port-from-v2.17",
        LBC_LISTENERS,
        [gateway_class("alb", NLB), gateway(listener("t", "TCP", 53), listener("u", "UDP", 53))],
        [],
        lbc_values("v3.5.0"),
    ),
    case(
        "two-tcp-routes-on-one-nlb-port",
        LBC_LISTENERS,
        [
            gateway_class("alb", NLB),
            gateway(listener("t", "TCP", 5432)),
            route("TCPRoute", name="a"),
            route("TCPRoute", name="b"),
        ],
        [(L4_ROUTES, "warning", "spec.listeners")],
        lbc_values("v3.5.0"),
    ),
    case(
        "two-backends-on-an-old-nlb",
        LBC_LISTENERS,
        [
            gateway_class("alb", NLB),
            gateway(listener("t", "TCP", 5432)),
            route("TCPRoute", backends=[backend("a"), backend("b")]),
        ],
        [(L4_ROUTES, "error", "spec.rules")],
        lbc_values("v2.14.1"),
    ),
    case(
        "internet-facing-gateway-open-to-every-namespace",
        LBC_LISTENERS,
        with_own_config(
            alb(listener("http", "HTTP", 80, allowedRoutes={"namespaces": {"from": "All"}})),
            scheme="internet-facing",
        ),
        [(OPEN_TO_ALL, "warning", "spec.listeners[0].allowedRoutes.namespaces.from")],
    ),
    case(
        "internal-gateway-open-to-every-namespace",
        LBC_LISTENERS,
        with_own_config(
            alb(listener("http", "HTTP", 80, allowedRoutes={"namespaces": {"from": "All"}})),
            scheme="internal",
        ),
    ),
    case(
        "class-configuration-overrides-the-gateway",
        LBC_LISTENERS,
        with_class_config(with_own_config(alb(), scheme="internal"), scheme="internet-facing"),
        [(CONFIG_OVERRIDDEN, "warning", "spec.infrastructure")],
    ),
    case(
        "gateway-tls-config-on-an-alb",
        LBC_LISTENERS,
        [
            gateway_class(),
            {**gateway(listener("https", "HTTPS", 443)), "spec": {**gateway()["spec"], "tls": {}}},
        ],
        [(GATEWAY_FIELD_UNSUPPORTED, "error", "spec.tls")],
    ),
    case(
        "backend-tls-policy-behind-an-alb",
        BACKEND_TLS_POLICIES,
        [*alb(), route(), BACKEND_TLS_POLICY],
        [(BACKEND_TLS, "error", "spec.targetRefs[0]")],
    ),
    case(
        "backend-tls-policy-of-a-service-no-alb-route-uses",
        BACKEND_TLS_POLICIES,
        [*alb(), route(backends=[backend("other")]), BACKEND_TLS_POLICY],
    ),
    case(
        "prefer-gateway-lets-the-gateway-win",
        LBC_LISTENERS,
        with_class_config(
            with_own_config(alb(), scheme="internal"), "prefer-gateway", scheme="internet-facing"
        ),
    ),
]


@pytest.mark.parametrize(("lint", "objects", "values", "expected"), CASES)
def test_lbc_gateway_rules(lint: Lint, objects: list, values: dict, expected: list) -> None:
    # GIVEN objects on LBC Gateways (and the LBC release) / WHEN the rule runs / THEN it reports exactly these
    assert outcomes(objects, lint, values) == expected


def test_oidc_secret_is_a_note_not_a_finding() -> None:
    from eksnet_manifests.check.documents import documents_from_objects
    from eksnet_manifests.check.lint import LintOptions, run_lints

    notes: list[str] = []
    objects = [*alb(), rule_route({"filters": [extension()], "backendRefs": [backend()]}), lrc(OIDC)]
    docs = documents_from_objects(objects, "manifests.yaml")
    assert run_lints(docs, LintOptions(), {}, lints=(ALB_ROUTES,), notes=notes) == []
    assert notes and "Secret oidc" in notes[0]


def test_skipped_authentication_message_says_the_path_is_unprotected() -> None:
    objects = [
        *alb(listener("http", "HTTP", 80)),
        rule_route({"filters": [extension()], "backendRefs": [backend()]}),
        lrc(OIDC),
    ]
    [finding] = lint_findings(objects, ALB_ROUTES)
    assert "without authentication" in finding.message and "authenticate-oidc" in finding.message
