"""ListenerRuleConfigurations: the ALB extras of a route rule (``rules[].listenerRule``).

One per rule, in the route's namespace (LBC reads them there only), named ``<app>-rule-<index>``; the
rule points at it with an ExtensionRef filter. Actions: at most one authentication (run first) and one
routing action, as the CRD's CEL rules require.
"""

from __future__ import annotations

from typing import Any

from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.exposure import GatewayExposure
from eksnet_manifests.profile.listener_rule import Authentication, Cognito, ListenerRule, Oidc
from eksnet_manifests.synth.context import BuildContext, app_labels
from eksnet_manifests.synth.workload import Manifest

LRC_GROUP = "gateway.k8s.aws"
_AUTH_DEFAULTS = Authentication()


def listener_rule_name(app: App, position: int) -> str:
    return f"{app.name}-rule-{position}"


def _authentication(config: Oidc | Cognito) -> dict[str, Any]:
    """The fields both authentications share, where they differ from the CRD's defaults."""
    wire: dict[str, Any] = {}
    for field, key in (
        ("on_unauthenticated_request", "onUnauthenticatedRequest"),
        ("scope", "scope"),
        ("session_cookie_name", "sessionCookieName"),
        ("session_timeout", "sessionTimeout"),
    ):
        if getattr(config, field) != getattr(_AUTH_DEFAULTS, field):
            wire[key] = getattr(config, field)
    if config.extra_params:
        wire["authenticationRequestExtraParams"] = dict(sorted(config.extra_params.items()))
    return wire


def _actions(rule: ListenerRule) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = []
    if rule.authenticate_oidc is not None:
        oidc = rule.authenticate_oidc
        config = {
            "issuer": oidc.issuer,
            "authorizationEndpoint": oidc.authorization_endpoint,
            "tokenEndpoint": oidc.token_endpoint,
            "userInfoEndpoint": oidc.user_info_endpoint,
            "secret": {"name": oidc.client_secret_name},
            **_authentication(oidc),
        }
        actions.append({"type": "authenticate-oidc", "authenticateOIDCConfig": config})
    if rule.authenticate_cognito is not None:
        cognito = rule.authenticate_cognito
        config = {
            "userPoolArn": cognito.user_pool_arn,
            "userPoolClientId": cognito.user_pool_client_id,
            "userPoolDomain": cognito.user_pool_domain,
            **_authentication(cognito),
        }
        actions.append({"type": "authenticate-cognito", "authenticateCognitoConfig": config})
    if rule.jwt_validation is not None:
        jwt = rule.jwt_validation
        config = {"issuer": jwt.issuer, "jwksEndpoint": jwt.jwks_endpoint}
        if jwt.additional_claims:
            config["additionalClaims"] = [
                {"name": claim.name, "format": claim.format, "values": list(claim.values)}
                for claim in jwt.additional_claims
            ]
        actions.append({"type": "jwt-validation", "jwtValidationConfig": config})
    if rule.fixed_response is not None:
        fixed = rule.fixed_response
        response: dict[str, Any] = {"statusCode": fixed.status_code, "contentType": fixed.content_type}
        if fixed.message_body is not None:
            response["messageBody"] = fixed.message_body
        actions.append({"type": "fixed-response", "fixedResponseConfig": response})
    if rule.stickiness is not None:
        stickiness = {"enabled": True, "durationSeconds": rule.stickiness.duration}
        actions.append({"type": "forward", "forwardConfig": {"targetGroupStickinessConfig": stickiness}})
    if rule.redirect_query is not None:
        actions.append({"type": "redirect", "redirectConfig": {"query": rule.redirect_query}})
    return actions


def listener_rule_spec(rule: ListenerRule) -> dict[str, Any]:
    """The spec of the ListenerRuleConfiguration of ``rule``: actions, the source-ip condition, tags."""
    spec: dict[str, Any] = {}
    actions = _actions(rule)
    if actions:
        spec["actions"] = actions
    if rule.source_ips:
        condition: dict[str, Any] = {
            "field": "source-ip",
            "sourceIPConfig": {"values": list(rule.source_ips)},
        }
        if rule.source_ips_for_matches:
            condition["matchIndexes"] = list(rule.source_ips_for_matches)
        spec["conditions"] = [condition]
    if rule.tags:
        spec["tags"] = dict(sorted(rule.tags.items()))
    return spec


def build_listener_rules(app: App, ctx: BuildContext) -> list[Manifest]:
    """The app's ListenerRuleConfigurations, one per rule with ``listenerRule``."""
    expose = app.expose
    assert isinstance(expose, GatewayExposure)
    objects = []
    for position, route_rule in enumerate(expose.rules):
        rule = route_rule.listener_rule
        if rule is None:
            continue
        objects.append(
            {
                "apiVersion": ctx.api_version("ListenerRuleConfiguration"),
                "kind": "ListenerRuleConfiguration",
                "metadata": {
                    "name": listener_rule_name(app, position),
                    "namespace": app.namespace,
                    "labels": app_labels(app.name, app.labels),
                },
                "spec": listener_rule_spec(rule),
            }
        )
    return objects
