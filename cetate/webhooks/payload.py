"""The JSON a receiver gets about one case event: the event and the case as the public may see
them (cetate/cases/publication), never the resident.

Every delivery names the case in the register (number, status, category, department,
deadlines), which says nothing about the person who filed it. Its place, street and text are in
`published` only when the public may see the case, as the public sees them; an event's text only
when the public is told of it (plain status words, the summary staff published). Messages to the
resident and the tracking URL, the resident's key to the case, never leave the city.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from cetate.cases.models import Event
from cetate.cases.publication import public_update, public_view


def _moment(value: datetime | None) -> str | None:
    return None if value is None else timezone.localtime(value).isoformat()


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def payload(delivery_id: int, event: Event) -> dict[str, Any]:
    case = event.case
    view = public_view(case)
    published = None
    if view is not None:
        published = {
            "latitude": view.latitude,
            "longitude": view.longitude,
            "location": "exact" if view.exact else "rounded",
            "street": view.address or None,
            "text": view.text or None,
            "status_notes": view.plain_status,
        }
    return {
        "id": delivery_id,
        "event": {
            "kind": event.kind,
            "seq": event.seq,
            "at": _moment(event.at),
            "public": event.public,
            "from_status": event.from_status or None,
            "to_status": event.to_status or None,
            "text": public_update(event, case),
        },
        "case": {
            "id": case.pk,
            "number": case.number,
            "status": case.status,
            "category": case.category.code if case.category else None,
            "department": case.department.code if case.department else None,
            "registered_at": _moment(case.registered_at),
            "legal_due": _day(case.legal_due),
            "service_due": _moment(case.service_due),
            "published": published,
        },
    }
