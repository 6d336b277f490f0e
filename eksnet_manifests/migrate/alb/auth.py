"""Authentication before forwarding: ``auth-type`` with ``auth-idp-oidc`` or ``auth-idp-cognito`` and
their session settings, or ``jwt-validation``.

A profile keeps them as written; on Gateway API each becomes the authentication action of the
ListenerRuleConfiguration of every rule of the Ingress (LBC ``pkg/ingress2gateway/translate/
pre_routing.go``, v3.5.0). LBC authenticates on HTTPS listeners only (``pkg/ingress/
model_build_listener_rules.go``): routes that authenticate attach to the HTTPS listeners.
"""

from __future__ import annotations

from typing import Any

from eksnet_manifests.migrate.alb.common import PREFIX, keep, note, parsed, present
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.inputs import Resource
from eksnet_manifests.migrate.report import Report, dropped, failed, translated

KEYS = (
    "auth-type",
    "auth-idp-oidc",
    "auth-idp-cognito",
    "auth-on-unauthenticated-request",
    "auth-scope",
    "auth-session-cookie",
    "auth-session-timeout",
    "jwt-validation",
)
LRC = "ListenerRuleConfiguration spec.actions[]"
# Session settings -> the profile.listener_rule.Authentication field (wire name).
SESSION = {
    "auth-on-unauthenticated-request": "onUnauthenticatedRequest",
    "auth-scope": "scope",
    "auth-session-cookie": "sessionCookieName",
    "auth-session-timeout": "sessionTimeout",
}
OIDC = {
    "issuer": "issuer",
    "authorizationEndpoint": "authorizationEndpoint",
    "tokenEndpoint": "tokenEndpoint",
    "userInfoEndpoint": "userInfoEndpoint",
    "secretName": "clientSecretName",
}
COGNITO = {
    "userPoolARN": "userPoolArn",
    "userPoolClientID": "userPoolClientId",
    "userPoolDomain": "userPoolDomain",
}


def _provider(config: Any, names: dict[str, str]) -> dict[str, Any]:
    if not isinstance(config, dict):
        return {}
    wire = {field: config[key] for key, field in names.items() if key in config}
    extra = config.get("authenticationRequestExtraParams")
    if isinstance(extra, dict) and extra:
        wire["extraParams"] = {str(k): str(v) for k, v in extra.items()}
    return wire


def translate(ingress: Resource, draft: Draft, report: Report) -> None:
    keys = present(ingress, KEYS)
    if not keys:
        return
    kind = ingress.annotations.get(PREFIX + "auth-type", "none")
    if kind not in ("none", "oidc", "cognito"):
        note(
            report, ingress, PREFIX + "auth-type", failed(f"auth-type {kind!r} is not none, oidc or cognito")
        )
        keys.remove(PREFIX + "auth-type")
    values = {key: parsed(ingress, key, report) for key in keys}
    unreadable = {key for key, value in values.items() if value is None}
    session = {
        field: values[PREFIX + suffix]
        for suffix, field in SESSION.items()
        if values.get(PREFIX + suffix) is not None
    }
    action: dict[str, Any] = {}
    if kind == "oidc":
        action = {"authenticateOidc": {**_provider(values.get(PREFIX + "auth-idp-oidc"), OIDC), **session}}
    elif kind == "cognito":
        provider = _provider(values.get(PREFIX + "auth-idp-cognito"), COGNITO)
        action = {"authenticateCognito": {**provider, **session}}
    claims = values.get(PREFIX + "jwt-validation")
    if isinstance(claims, dict):
        if action:
            reason = "auth-type and jwt-validation together: LBC runs one authentication; keep one"
            note(report, ingress, PREFIX + "jwt-validation", failed(reason))
            unreadable.add(PREFIX + "jwt-validation")
        else:
            action = {
                "jwtValidation": {
                    k: claims[k] for k in ("issuer", "jwksEndpoint", "additionalClaims") if k in claims
                }
            }
    draft.authentication = action
    used = _used(kind, action)
    for key in keys:
        if key in unreadable:
            continue
        suffix = key.removeprefix(PREFIX)
        gateway = (
            translated(LRC, "on the ListenerRuleConfiguration of every rule of the Ingress")
            if suffix in used
            else dropped(f"LBC does not use it with auth-type {kind}")
        )
        keep(ingress, key, draft, report, gateway)


def _used(kind: str, action: dict[str, Any]) -> set[str]:
    """The keys that shape ``action``."""
    if "jwtValidation" in action:
        return {"jwt-validation"}
    if not action:
        return set()
    return {"auth-type", f"auth-idp-{kind}", *SESSION}
