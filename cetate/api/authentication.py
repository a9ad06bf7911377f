"""`Authorization: Token <token>`: the header clients already send, checked against the hashes
of Cetate's own tokens (cetate/api/models.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from cetate.accounts.models import User
from cetate.api.models import ApiToken
from cetate.api.tokens import look_up

KEYWORD = "Token"

REFUSALS = {
    "unknown": (_("This token is not valid."), "authentication_failed"),
    "revoked": (_("This token was revoked: ask an administrator for a new one."), "token_revoked"),
    "expired": (_("This token has expired: ask an administrator for a new one."), "token_expired"),
}


class TokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header must be: Token followed by the token.")
            )
        try:
            raw = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(REFUSALS["unknown"][0]) from None
        found = look_up(raw)
        if found.token is None:
            message, code = REFUSALS[found.refusal]
            raise exceptions.AuthenticationFailed(message, code=code)
        user: User = found.token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("This token's user is deactivated."))
        return user, found.token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """How the schema describes the token: a header `Authorization: Token <token>`."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=KEYWORD
        )
