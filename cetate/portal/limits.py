"""How many links the portal mails to one address: enough for a lost message or two, too few
to flood someone's mailbox from any number of client addresses."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cetate.lib.ratelimit import hit

MAILS_PER_ADDRESS = 5
MAIL_WINDOW_SECONDS = 3600


def mail_allowed(email: str) -> bool:
    """Count one link mailed to `email`; False once the address had its share this hour.

    The cache key holds a digest, not the address.
    """
    key = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return hit(f"mail-to:{key}", limit=MAILS_PER_ADDRESS, window_seconds=MAIL_WINDOW_SECONDS)


def too_many_mails(request: HttpRequest) -> HttpResponse:
    response = render(request, "cetate/too_many_requests.html", status=429)
    response["Retry-After"] = str(MAIL_WINDOW_SECONDS)
    return response
