"""Issuing, finding and revoking REST API tokens; the command and the admin both use these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from cetate.accounts.models import User
from cetate.api.models import TOKEN_PREFIX, ApiToken
from cetate.lib.keys import hash_key, new_key

DEFAULT_LIFETIME = timedelta(days=90)
MAX_LIFETIME_DAYS = 3660
# The time of last use is written at most this often, not at every call.
LAST_USED_PRECISION = timedelta(minutes=1)


def new_raw_token() -> str:
    return new_key(TOKEN_PREFIX)


def issue_token(
    *, user: User, name: str, lifetime: timedelta = DEFAULT_LIFETIME
) -> tuple[ApiToken, str]:
    """A new token for `user`, and the token itself: the only time it can be read."""
    raw = new_raw_token()
    token = ApiToken(user=user, name=name.strip(), expires_at=timezone.now() + lifetime)
    token.set_token(raw)
    token.save()
    return token, raw


@dataclass(frozen=True)
class Lookup:
    """What a presented token turned out to be: `token` is set only when it may be used."""

    token: ApiToken | None
    refusal: str = ""  # "unknown", "revoked" or "expired"


def look_up(raw: str) -> Lookup:
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_key(raw)).first()
    if token is None:
        return Lookup(None, "unknown")
    if token.revoked_at is not None:
        return Lookup(None, "revoked")
    now = timezone.now()
    if not token.is_usable_at(now):
        return Lookup(None, "expired")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return Lookup(token)


def active_tokens() -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


def revoke(tokens: QuerySet[ApiToken]) -> int:
    """Stop the given tokens working; the rows stay as a record. Returns how many changed."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def tokens_named(user: User, name: str = "") -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.filter(user=user)
    return tokens.filter(name=name.strip()) if name.strip() else tokens
