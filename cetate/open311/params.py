"""Reading GeoReport v2 parameters: from the query string or the form body, as clients send them."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from cetate.cases.deadlines import CITY_TZ
from cetate.lib.text import plain_text

UNENCODED_PLUS = re.compile(r" (\d{2}:?\d{2})$")
ATTRIBUTE = re.compile(r"^attribute\[(?P<code>[^\[\]]+)\](?P<many>\[\])?$")


class BadParameter(ValueError):
    """A parameter the client must correct: answered 400 with this message."""


def param(request: HttpRequest, name: str) -> str:
    """The parameter from the body, else the query string; empty counts as not given.

    Control characters are dropped (cetate/lib/text.py): they are nobody's text, and NUL,
    say, would reach the database in a query."""
    value = request.POST.get(name, "") if request.method == "POST" else ""
    return plain_text(value or request.GET.get(name, "")).strip()


def comma_list(request: HttpRequest, name: str) -> list[str]:
    return [part.strip() for part in param(request, name).split(",") if part.strip()]


def w3c_datetime(request: HttpRequest, name: str) -> datetime | None:
    """A W3C date-time (or date); one without an offset is taken as the city's local time."""
    raw = param(request, name)
    if not raw:
        return None
    try:
        # An unencoded "+03:00" in a query string arrives as " 03:00".
        moment = parse_datetime(UNENCODED_PLUS.sub(r"+\1", raw) if "T" in raw else raw)
        if moment is None:
            day = parse_date(raw)
            moment = datetime.combine(day, time()) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameter(
            _("%(name)s is not a W3C date and time such as 2026-05-01T14:30:00+03:00.")
            % {"name": name}
        )
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=CITY_TZ)


def positive_int(request: HttpRequest, name: str, *, default: int, maximum: int) -> int:
    raw = param(request, name)
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise BadParameter(_("%(name)s must be a whole number from 1.") % {"name": name})
    return min(int(raw), maximum)


def coordinate(request: HttpRequest, name: str) -> float | None:
    raw = param(request, name)
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise BadParameter(_("%(name)s is not a number.") % {"name": name}) from None


def attributes(request: HttpRequest) -> dict[str, Any]:
    """attribute[CODE]=value and, for several choices, attribute[CODE][]=value repeated."""
    found: dict[str, Any] = {}
    for source in (request.GET, request.POST):
        for name in source:
            match = ATTRIBUTE.match(name)
            if match is None:
                continue
            values = [plain_text(value).strip() for value in source.getlist(name)]
            if match["many"] or len(values) > 1:
                found[match["code"]] = [value for value in values if value]
            else:
                found[match["code"]] = values[0] if values else ""
    return found
