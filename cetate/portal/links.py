"""Signed links sent by email: to sign in, to confirm a new address, to follow or unfollow a case.

A link carries its own data, signed with the site's secret key under a salt per purpose, so a
link made for one purpose opens nothing else and the database holds nothing until it is used.
One-time links also carry a random nonce; using one records its digest (SpentLink), and a second
use is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction

from cetate.lib import clock
from cetate.portal.models import SpentLink


@dataclass(frozen=True)
class Purpose:
    salt: str
    max_age: timedelta | None
    one_time: bool


SIGN_IN_MINUTES = 30


class Link(Enum):
    SIGN_IN = Purpose("cetate.portal.sign-in", timedelta(minutes=SIGN_IN_MINUTES), one_time=True)
    EMAIL_CHANGE = Purpose("cetate.portal.email-change", timedelta(hours=24), one_time=True)
    FOLLOW = Purpose("cetate.portal.follow", timedelta(days=3), one_time=True)
    # An unfollow link must keep working for as long as the mails that carry it arrive.
    UNFOLLOW = Purpose("cetate.portal.unfollow", None, one_time=False)


LONGEST_ONE_TIME = max(
    link.value.max_age for link in Link if link.value.one_time and link.value.max_age
)


class BadLink(Exception):
    """The link is unknown, altered, expired or already used."""


def make_token(link: Link, **data: Any) -> str:
    payload = dict(data)
    if link.value.one_time:
        payload["nonce"] = secrets.token_urlsafe(9)
    return signing.dumps(payload, salt=link.value.salt, compress=True)


def read_token(link: Link, token: str) -> dict[str, Any]:
    """The data of a valid, unexpired, unused link; BadLink otherwise. Does not spend it."""
    purpose = link.value
    try:
        data = signing.loads(token, salt=purpose.salt, max_age=purpose.max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        raise BadLink from None
    if not isinstance(data, dict):
        raise BadLink
    if purpose.one_time and SpentLink.objects.filter(digest=_digest(token)).exists():
        raise BadLink
    return data


def spend_token(link: Link, token: str) -> dict[str, Any]:
    """Check the link and mark it used, in the caller's transaction; BadLink if it cannot be."""
    data = read_token(link, token)
    if link.value.one_time:
        SpentLink.objects.filter(spent_at__lt=clock.now() - LONGEST_ONE_TIME).delete()
        try:
            with transaction.atomic():
                SpentLink.objects.create(digest=_digest(token))
        except IntegrityError:  # used by a concurrent request a moment ago
            raise BadLink from None
    return data


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
