"""Staff sessions end after a working day without activity (STAFF_SESSION_IDLE_HOURS).

Each request a person makes renews the session; the background requests of an open console
(htmx polling the queue, the screen pop, the header's counts) do not, so that a console left
open overnight is signed out. The time of the last activity is written at most once a minute.
Residents' sessions keep their own rule (cetate/portal/residents.py).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

ACTIVE_AT_KEY = "staff_active_at"
ENDED_KEY = "staff_session_ended"
WRITE_EVERY_SECONDS = 60
# The stored session outlives the idle limit by this much, so that the next request still
# finds it, ends it here, and tells the person why they must sign in again.
KEPT_AFTER_IDLE_SECONDS = 24 * 3600


def idle_seconds() -> int:
    return int(settings.STAFF_SESSION_IDLE_HOURS) * 3600


def is_activity(request: HttpRequest) -> bool:
    """A request a person made: anything but htmx's own GETs (polls, partial refreshes)."""
    background = request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
    return not (background and request.method == "GET")


def mark_active(request: HttpRequest, now: float | None = None) -> None:
    request.session[ACTIVE_AT_KEY] = time.time() if now is None else now
    request.session.set_expiry(idle_seconds() + KEPT_AFTER_IDLE_SECONDS)


def keep_or_end(request: HttpRequest) -> None:
    """Sign out a session idle for too long; renew an active one."""
    now = time.time()
    seen = request.session.get(ACTIVE_AT_KEY)
    if isinstance(seen, int | float) and now - seen > idle_seconds():
        logout(request)
        request.session[ENDED_KEY] = True
        return
    if not is_activity(request):
        return
    if not isinstance(seen, int | float) or now - seen >= WRITE_EVERY_SECONDS:
        mark_active(request, now)


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        mark_active(request)
