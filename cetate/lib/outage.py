"""The database out of reach for a moment — SQLite's write lock held past the busy timeout,
PostgreSQL restarting or its connection lost — answered so that nothing a person typed is lost.

- `write_reliably` runs one write in a transaction of its own and, while the database cannot
  be reached, tries it again after short pauses. A failed attempt rolled back whole (a
  registration's number with it), so trying again writes nothing twice; a write whose commit
  went unanswered is looked for in the database before it is tried again.
- `keeps_input` marks a view whose POST, when the database cannot be reached, comes back as a
  page holding everything that was typed (files excepted), ready to be sent again.
- `DatabaseOutageMiddleware` (errors raised by views), `server_error` and `bad_request`
  (handler500 and handler400: errors raised by middleware, such as loading or saving a session)
  answer with that page, or a plain one, with status 503 and Retry-After: never the generic
  500.

The pages are drawn without the context processors, which may need the database themselves.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from csp.exceptions import CSPNonceError
from django import forms
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views import defaults

from cetate.context_processors import city

log = logging.getLogger(__name__)

T = TypeVar("T")
View = TypeVar("View", bound=Callable[..., HttpResponseBase])

# Pauses before the second, third… attempt. A PostgreSQL restart takes about three seconds.
RETRY_PAUSES = (0.25, 0.5, 1.0, 2.0)
# No attempt starts once this long has passed: an attempt that waited out SQLite's busy
# timeout has used it up already, and the person is better told than kept waiting.
RETRY_WITHIN_SECONDS = 5.0
RETRY_AFTER_SECONDS = 60
TEMPLATE = "cetate/register_unreachable.html"
KEPT_INPUT = "kept_input"  # the attribute `keeps_input` gives a view
NOT_KEPT = frozenset({"csrfmiddlewaretoken"})

# What a request's write came to, for a page drawn after something else failed: it must not
# say that nothing was written when something was, or may have been.
WRITTEN, UNKNOWN = "written", "unknown"
_outcomes: WeakKeyDictionary[HttpRequest, str] = WeakKeyDictionary()


class RegisterUnreachable(Exception):
    """The database could not be reached, even after brief retries; nothing was written."""


class OutcomeUnknown(RegisterUnreachable):
    """The connection broke while the write was committing and the database could not be asked
    since whether it did; `attempt` is what the write returned."""

    def __init__(self, attempt: Any) -> None:
        super().__init__(attempt)
        self.attempt = attempt


def is_outage(error: BaseException) -> bool:
    """Whether `error` says the database could not be reached, rather than that a query was
    wrong: on SQLite a busy or locked file (not, say, a missing table); on PostgreSQL any
    operational or interface error (connection refused or lost, server shutting down or
    starting, a deadlock or a serialisation failure, rolled back)."""
    if isinstance(error, RegisterUnreachable | InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if connection.vendor == "sqlite":
        text = str(error.__cause__ or error)
        return "locked" in text or "busy" in text
    return True


def not_registered_message() -> str:
    return _(
        "The register could not be reached just now; nothing was registered. Your text is "
        "kept below: try again in a minute."
    )


def unreachable_message() -> str:
    return _("The register cannot be reached just now. Try again in a minute.")


def outcome_unknown_message(tracking_code: str = "") -> str:
    """What to do when the connection broke during the commit: look before sending again."""
    if tracking_code:
        return _(
            "The register stopped answering while this was being registered, so it cannot tell "
            "yet whether it was. In a few minutes, look up tracking code %(code)s: if it is "
            "found, it was registered; if not, send it again. Your text is kept below."
        ) % {"code": tracking_code}
    return _(
        "The register stopped answering while this was being saved, so it cannot tell yet "
        "whether it was. Look again in a few minutes before sending it again; your text is "
        "kept below."
    )


def write_reliably(
    request: HttpRequest, write: Callable[[], T], *, committed: Callable[[T], bool]
) -> T:
    """`write()` in a transaction of its own, tried again after short pauses while the database
    cannot be reached; RegisterUnreachable (or OutcomeUnknown) once it has tried long enough.

    `committed(result)` asks the database whether a write whose commit went unanswered is there
    after all; it is asked before that write is tried again. Inside a caller's transaction the
    write is tried once, since only a transaction of its own rolls back whole.
    """
    own_transaction = not transaction.get_connection().in_atomic_block
    pauses = RETRY_PAUSES if own_transaction else ()
    started = time.monotonic()
    unconfirmed: list[T] = []  # what a write returned before its commit went unanswered
    failure: DatabaseError | None = None
    for pause in (*pauses, None):
        try:
            if unconfirmed and committed(unconfirmed[0]):
                _outcomes[request] = WRITTEN
                return unconfirmed[0]
            unconfirmed.clear()
            result = _attempt(write, unconfirmed)
        except DatabaseError as error:
            if not is_outage(error):
                raise
            failure = error
        else:
            _outcomes[request] = WRITTEN
            return result
        if own_transaction:
            _reconnect_if_broken()
        if pause is None or time.monotonic() - started + pause > RETRY_WITHIN_SECONDS:
            break
        time.sleep(pause)
    if unconfirmed:
        _outcomes[request] = UNKNOWN
        raise OutcomeUnknown(unconfirmed[0]) from failure
    raise RegisterUnreachable from failure


def _attempt(write: Callable[[], T], unconfirmed: list[T]) -> T:
    with transaction.atomic():
        result = write()
        unconfirmed.append(result)
    unconfirmed.clear()
    return result


def _reconnect_if_broken() -> None:
    """Close the connection if it broke (or is past CONN_MAX_AGE), so that the next attempt
    connects anew."""
    try:
        connection.close_if_unusable_or_obsolete()
    except DatabaseError:
        with suppress(DatabaseError):
            connection.close()


@dataclass(frozen=True)
class KeptInput:
    form: type[forms.Form]
    shown: tuple[str, ...]
    files: str


def keeps_input(form: type[forms.Form], *shown: str, files: str = "") -> Callable[[View], View]:
    """Mark a view whose POST, when the database cannot be reached, comes back with the fields
    `shown` (of `form`, by their labels) to read and edit, every other field sent along unseen,
    and, when `files` names the file field, a place to choose the files again."""

    def mark(view: View) -> View:
        setattr(view, KEPT_INPUT, KeptInput(form=form, shown=shown, files=files))
        return view

    return mark


def outage_response(request: HttpRequest) -> HttpResponse:
    """The 503 page: what was typed into a form that keeps its input, ready to send again."""
    kept = _kept_input(request)
    outcome = _outcomes.get(request)
    if outcome == WRITTEN:
        message = _(
            "What you sent was recorded, but the register stopped answering before this page "
            "could be shown. Do not send it again."
        )
        kept = None
    elif kept is None:
        message = unreachable_message()
    else:
        message = outcome_unknown_message() if outcome == UNKNOWN else not_registered_message()
    context = {
        **city(request),
        "request": _PageRequest(
            path=request.path, full_path=request.get_full_path(), csp_nonce=_nonce(request)
        ),
        "csrf_token": get_token(request),
        "message": message,
        "kept": _kept_fields(request, kept) if kept else None,
    }
    response = HttpResponse(get_template(TEMPLATE).render(context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@dataclass(frozen=True)
class _PageRequest:
    """What the page's templates read of the request."""

    path: str
    full_path: str
    csp_nonce: str

    def get_full_path(self) -> str:
        return self.full_path


def _nonce(request: HttpRequest) -> str:
    """The request's CSP nonce; none once the CSP header is written (the error came from a
    middleware's answer), as this answer then carries no CSP header either."""
    try:
        return str(getattr(request, "csp_nonce", ""))
    except CSPNonceError:
        return ""


def _kept_input(request: HttpRequest) -> KeptInput | None:
    if request.method != "POST":
        return None
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    kept = getattr(match.func, KEPT_INPUT, None)
    return kept if isinstance(kept, KeptInput) else None


def _kept_fields(request: HttpRequest, kept: KeptInput) -> dict[str, Any]:
    fields = kept.form.base_fields
    shown = [
        {
            "name": name,
            "label": fields[name].label or name,
            "value": request.POST.get(name, ""),
            "multiline": isinstance(fields[name].widget, forms.Textarea),
        }
        for name in kept.shown
    ]
    hidden = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in NOT_KEPT and name not in kept.shown
        for value in values
    ]
    return {
        "shown": shown,
        "hidden": hidden,
        "files": kept.files,
        "files_dropped": bool(kept.files and request.FILES),
    }


class DatabaseOutageMiddleware:
    """A view that meets an unreachable database answers the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_outage(exception):
            return None
        log.warning(
            "The database could not be reached: %s %s",
            request.method,
            request.path,
            exc_info=exception,
        )
        return outage_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 page for an unreachable database met outside a view (a session
    loaded by a middleware), Django's 500 page for anything else."""
    error = sys.exc_info()[1]
    if error is not None and _caused_by_outage(error):
        return outage_response(request)
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a session that could not be saved because the database could not be reached
    is Django's SessionInterrupted (400); it gets the 503 page too."""
    if _caused_by_outage(exception):
        return outage_response(request)
    return defaults.bad_request(request, exception)


def _caused_by_outage(error: BaseException) -> bool:
    """Whether `error`, or an error it was raised from or while handling, is an outage."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if is_outage(cause):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False
