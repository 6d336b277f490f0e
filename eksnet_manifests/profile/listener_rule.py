"""ALB listener rule features Gateway API does not express: LBC's ListenerRuleConfiguration, typed.

A route rule's ``listenerRule`` becomes one ListenerRuleConfiguration in the app's namespace, attached to
the rule through an ExtensionRef filter (LBC docs ``guide/gateway/listenerruleconfig.md``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict, model_validator

from eksnet_manifests.profile.base import StrictModel
from eksnet_manifests.profile.names import Cidr, DnsLabel, identifier

HttpsUrl = identifier(r"https://[!-~]+", "an https:// URL", max_length=2048)
Unauthenticated = Literal["authenticate", "deny", "allow"]
SessionTimeout = Annotated[int, Strict(), Field(ge=1, le=604800)]
CognitoClientId = identifier(r"[A-Za-z0-9]+", "a Cognito app client ID", max_length=128)
CognitoDomain = identifier(r"[a-z0-9.-]+", "a Cognito domain prefix or custom domain", max_length=253)
CognitoUserPoolArn = identifier(
    r"arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[A-Za-z0-9_-]+", "a Cognito user pool ARN"
)


class Authentication(StrictModel):
    on_unauthenticated_request: Unauthenticated = "authenticate"
    """What unauthenticated requests get: a login redirect (``authenticate``), 401 (``deny``), or through."""
    scope: str = "openid"
    """Scopes requested from the identity provider."""
    session_cookie_name: str = "AWSELBAuthSessionCookie"
    """Name of the ALB session cookie."""
    session_timeout: SessionTimeout = 604800
    """Seconds an authenticated session lasts."""
    extra_params: dict[str, str] = Field(default_factory=dict)
    """Extra query parameters of the authorization request (``authenticationRequestExtraParams``)."""


class Oidc(Authentication):
    """Sign users in with an OIDC provider before forwarding (``authenticate-oidc``)."""

    issuer: HttpsUrl
    """The provider's issuer URL."""
    authorization_endpoint: HttpsUrl
    """The provider's authorization endpoint."""
    token_endpoint: HttpsUrl
    """The provider's token endpoint."""
    user_info_endpoint: HttpsUrl
    """The provider's user info endpoint."""
    client_secret_name: DnsLabel
    """Secret in the app's namespace with keys ``clientID`` and ``clientSecret`` (eksnet writes none)."""


class Cognito(Authentication):
    """Sign users in with an Amazon Cognito user pool before forwarding (``authenticate-cognito``)."""

    user_pool_arn: CognitoUserPoolArn
    """The user pool ARN."""
    user_pool_client_id: CognitoClientId
    """The user pool app client ID."""
    user_pool_domain: CognitoDomain
    """The user pool domain prefix (or custom domain)."""


class JwtClaim(StrictModel):
    name: Annotated[str, Field(min_length=1)]
    """Claim name."""
    format: Literal["single-string", "string-array", "space-separated-values"]
    """How the claim's value is written in the token."""
    values: tuple[Annotated[str, Field(max_length=256)], ...] = Field(min_length=1, max_length=10)
    """Accepted values."""


class JwtValidation(StrictModel):
    """Validate bearer JWTs before forwarding (``jwt-validation``; HTTPS listeners, LBC v2.17.1+)."""

    issuer: Annotated[str, Field(max_length=256)]
    """Expected ``iss`` claim."""
    jwks_endpoint: Annotated[HttpsUrl, Field(max_length=256)]
    """JWKS URL of the signing keys."""
    additional_claims: tuple[JwtClaim, ...] = ()
    """Further claims a token must carry."""


class FixedResponse(StrictModel):
    """Answer from the ALB instead of a backend (``fixed-response``)."""

    status_code: Annotated[int, Strict(), Field(ge=200, le=599)]
    """HTTP status (2XX, 4XX or 5XX)."""
    content_type: Literal[
        "text/plain", "text/css", "text/html", "application/javascript", "application/json"
    ] = "text/plain"
    """Content type of the body."""
    message_body: Annotated[str, Field(max_length=1024)] | None = None
    """Response body."""

    @model_validator(mode="after")
    def _status_class(self) -> FixedResponse:
        if 300 <= self.status_code <= 399:
            raise ValueError("a fixed response takes a 2XX, 4XX or 5XX status; use requestRedirect for 3XX")
        return self


class ForwardStickiness(StrictModel):
    """Keep a client on one of the rule's weighted target groups."""

    duration: Annotated[int, Strict(), Field(ge=1, le=604800)] = 3600
    """Seconds a client stays on one target group."""


class ListenerRule(StrictModel):
    """ALB extras for one route rule; at most one authentication and one routing action."""

    authenticate_oidc: Oidc | None = None
    """Sign users in with OIDC first (HTTPS listeners only)."""
    authenticate_cognito: Cognito | None = None
    """Sign users in with Cognito first (HTTPS listeners only)."""
    jwt_validation: JwtValidation | None = None
    """Validate JWTs first (HTTPS listeners only)."""
    fixed_response: FixedResponse | None = None
    """Answer from the ALB instead of the backends."""
    stickiness: ForwardStickiness | None = None
    """Sticky sessions across the rule's weighted backends."""
    redirect_query: str | None = None
    """Query string of the rule's ``requestRedirect`` (``#{query}`` keeps the request's)."""
    source_ips: tuple[Cidr, ...] = ()
    """Only requests from these CIDRs match the rule (``source-ip`` condition)."""
    source_ips_for_matches: tuple[Annotated[int, Strict(), Field(ge=0)], ...] = ()
    """Apply ``sourceIps`` only to these match indexes of the rule (``matchIndexes``); empty: all."""
    tags: dict[str, str] = Field(default_factory=dict)
    """AWS tags on the listener rule."""

    @model_validator(mode="after")
    def _one_of_each(self) -> ListenerRule:
        auth = [self.authenticate_oidc, self.authenticate_cognito, self.jwt_validation]
        if sum(action is not None for action in auth) > 1:
            raise ValueError("set one of authenticateOidc, authenticateCognito and jwtValidation")
        routing = [self.fixed_response, self.stickiness, self.redirect_query]
        if sum(action is not None for action in routing) > 1:
            raise ValueError(
                "set one of fixedResponse, stickiness and redirectQuery: a rule has one routing action"
            )
        if self.source_ips_for_matches and not self.source_ips:
            raise ValueError("sourceIpsForMatches needs sourceIps")
        if not any((*auth, *routing)) and not self.source_ips and not self.tags:
            raise ValueError("set at least one action, sourceIps or tags")
        return self
