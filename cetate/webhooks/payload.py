"""The JSON a receiver gets about one case event: the event and the case, never the resident.

Text is included only where the resident's tracking page shows it; everything else a receiver
may learn is what the public tracking page and the register's number already tell.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from cetate.cases.choices import PUBLIC_EVENT_KINDS
from cetate.cases.models import Event
from cetate.cases.notifications import tracking_url


def _moment(value: datetime | None) -> str | None:
    return None if value is None else timezone.localtime(value).isoformat()


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def payload(delivery_id: int, event: Event) -> dict[str, Any]:
    case = event.case
    shown = event.public and event.kind in PUBLIC_EVENT_KINDS
    return {
        "id": delivery_id,
        "event": {
            "kind": event.kind,
            "seq": event.seq,
            "at": _moment(event.at),
            "public": event.public,
            "from_status": event.from_status or None,
            "to_status": event.to_status or None,
            "text": event.text if shown else None,
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
            "tracking_url": tracking_url(case),
        },
    }
