"""The endpoint the city's phone exchange posts call events to (CTI).

The exchange has no session and no CSRF token: it proves itself with the secret token in the
URL, compared in constant time. Bodies are a JSON object or form fields, the way dialplans
send them (Asterisk's CURL(), FreeSWITCH's curl application).

Refusals are logged here, without the address: Django's request log would write the path,
and with it the token.
"""

from __future__ import annotations

import hmac
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from cetate.cases.errors import DomainError
from cetate.lib import clock
from cetate.lib.ratelimit import client_address, hit
from cetate.telephony.services import record_cti_event

# Body field → keyword of record_cti_event.
FIELDS = {
    "event": "event",
    "callId": "call_id",
    "from": "from_number",
    "to": "to_number",
    "direction": "direction",
    "user": "extension",
    "cause": "cause",
}
# How far an exchange's own timestamp may lie from ours before it is taken for a wrong clock.
TIMESTAMP_PAST = timedelta(days=1)
TIMESTAMP_FUTURE = timedelta(minutes=5)
# An exchange posts three or four events per call; a busy centre takes a few calls a minute.
EVENTS_PER_MINUTE = 600

logger = logging.getLogger(__name__)


class BadBody(ValueError):
    pass


@csrf_exempt
def cti(request: HttpRequest, token: str) -> HttpResponseBase:
    """One call event: 200 with the call's id and state, 400 for an event the log refuses."""
    expected = settings.CTI_TOKEN
    if not expected:
        raise Http404
    if not hit(f"cti:{client_address(request)}", limit=EVENTS_PER_MINUTE, window_seconds=60):
        response = _refusal(429, _("Too many events: wait a minute."))
        response["Retry-After"] = "60"
        return response
    if request.method != "POST":
        response = _refusal(405, _("Post the call events."))
        response["Allow"] = "POST"
        return response
    if not hmac.compare_digest(token.encode(), expected.encode()):
        return _refusal(403, _("Wrong token."))
    try:
        call = record_cti_event(**_fields(request))
    except (BadBody, DomainError) as refusal:
        return _refusal(400, str(refusal))
    return JsonResponse({"id": call.pk, "callId": call.call_id, "state": call.state.value})


def _refusal(status: int, error: str) -> JsonResponse:
    response = JsonResponse({"error": error}, status=status)
    logger.warning("CTI event refused with %s: %s", status, error)
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _fields(request: HttpRequest) -> dict[str, Any]:
    body = _body(request)
    fields: dict[str, Any] = {
        keyword: _text(body, name) for name, keyword in FIELDS.items() if name in body
    }
    fields.setdefault("event", "")
    fields.setdefault("call_id", "")
    timestamp = _text(body, "timestamp") if "timestamp" in body else ""
    if timestamp:
        fields["at"] = _moment(timestamp)
    return fields


def _body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return {name: request.POST.get(name, "") for name in request.POST}
    if not request.body.strip():
        return {}
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise BadBody(_("The body is neither a JSON object nor form fields.")) from None
    if not isinstance(body, dict):
        raise BadBody(_("The body must be a JSON object."))
    return body


def _text(body: dict[str, Any], name: str) -> str:
    value = body[name]
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadBody(_("The field “%(name)s” must be a text or a number.") % {"name": name})
    return str(value)


def _moment(timestamp: str) -> datetime:
    """Seconds since 1970 (Asterisk's ${EPOCH}, FreeSWITCH's ${strepoch()}), if plausible."""
    try:
        moment = datetime.fromtimestamp(float(timestamp), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise BadBody(_("The timestamp must be seconds since 1970.")) from None
    now = clock.now()
    if not now - TIMESTAMP_PAST <= moment <= now + TIMESTAMP_FUTURE:
        raise BadBody(
            _("The timestamp is too far from the current time: check the exchange's clock.")
        )
    return moment
