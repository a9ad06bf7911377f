"""Cetate's categories and cases as GeoReport v2 services and service requests.

Only public data leaves here: never a resident's name, email, phone or postal address.
Ids and codes are strings; datetimes carry their offset; unknown fields are present as null.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cetate.cases.choices import PUBLIC_EVENT_KINDS, EventKind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case, Event
from cetate.cases.workflow import OPEN_STATUSES, Status
from cetate.directory.models import Category, CategoryQuestion
from cetate.open311.models import ApiKey, Submission
from cetate.portal.tracking import PLAIN_STATUS

DESCRIPTION_LIMIT = 4000
# About 50 m: where anyone may read a case, its place is shown no closer than the public map's.
PUBLIC_GRID = 2000
REQUEST_ID = re.compile(r"^(?P<year>\d{4})-(?P<number>\d{1,9})$")
REGISTRATION_NUMBER = re.compile(r"^(?P<number>\d{1,9})/(?P<year>\d{4})$")


def request_id(case: Case) -> str:
    """The case's registration number N/YYYY written YYYY-N, so that it fits in a URL path."""
    return f"{case.registration_year}-{case.registration_number}"


def parse_request_id(text: str) -> tuple[int, int] | None:
    """(year, number) of "YYYY-N", or of the register's own "N/YYYY"; None for anything else."""
    text = text.strip()
    match = REQUEST_ID.match(text) or REGISTRATION_NUMBER.match(text)
    if match is None:
        return None
    return int(match["year"]), int(match["number"])


def w3c(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment, CITY_TZ).isoformat(timespec="seconds")


def service(category: Category, *, has_questions: bool) -> dict[str, Any]:
    assert category.parent is not None
    return {
        "service_code": category.code,
        "service_name": category.label,
        "description": None,
        "metadata": has_questions,
        "type": "realtime",
        "keywords": category.keywords or None,
        "group": category.parent.label,
    }


def service_definition(category: Category, questions: Sequence[CategoryQuestion]) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": question.code,
                "datatype": question.datatype,
                "required": question.required,
                "datatype_description": question.description or None,
                "order": position,
                "description": question.label,
                "values": [
                    {"key": str(item["key"]), "name": str(item.get("name", item["key"]))}
                    for item in question.values
                    if isinstance(item, dict) and "key" in item
                ],
            }
            for position, question in enumerate(questions, start=1)
        ],
    }


def _expected(case: Case) -> str | None:
    if case.service_due is not None:
        return w3c(case.service_due)
    if case.legal_due is not None:
        return w3c(datetime.combine(case.legal_due, time(23, 59, 59), tzinfo=CITY_TZ))
    return None


def _agency(case: Case) -> str | None:
    if case.status == Status.REDIRECTED and case.redirected_to is not None:
        return case.redirected_to.label
    return case.department.label if case.department is not None else None


def _location(value: float | None, exact: bool) -> float | None:
    if value is None or exact:
        return value
    return round(value * PUBLIC_GRID) / PUBLIC_GRID


def open_or_closed(status: str) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


class RequestPage:
    """Service requests for a page of cases, with what they need fetched in a few queries."""

    def __init__(self, cases: Sequence[Case], *, key: ApiKey | None, extensions: bool) -> None:
        self.cases = cases
        self.key = key
        self.extensions = extensions
        ids = [case.pk for case in cases]
        self.submissions = {s.case_id: s for s in Submission.objects.filter(case_id__in=ids)}
        self.public_events: dict[int, list[Event]] = {}
        events = (
            Event.objects.filter(case_id__in=ids, public=True, kind__in=PUBLIC_EVENT_KINDS)
            .exclude(text="")
            .only("case_id", "seq", "at", "text")
            .order_by("case_id", "seq")
        )
        for event in events:
            self.public_events.setdefault(event.case_id, []).append(event)
        merged_into = [case.merged_into_id for case in cases if case.merged_into_id]
        self.parents = {
            pk: f"{year}-{number}"
            for pk, year, number in Case.objects.filter(pk__in=merged_into).values_list(
                "pk", "registration_year", "registration_number"
            )
        }

    def as_list(self) -> list[dict[str, Any]]:
        return [self.request(case) for case in self.cases]

    def request(self, case: Case) -> dict[str, Any]:
        submission = self.submissions.get(case.pk)
        own = (
            self.key is not None
            and submission is not None
            and submission.api_key_id == (self.key.pk)
        )
        texts = self.public_events.get(case.pk, [])
        notes = texts[-1].text if texts else str(PLAIN_STATUS[Status(case.status)])
        item: dict[str, Any] = {
            "service_request_id": request_id(case),
            "status": open_or_closed(case.status),
            "status_notes": notes,
            "service_name": case.category.label if case.category else None,
            "service_code": case.category.code if case.category else "",
            "description": case.description[:DESCRIPTION_LIMIT] or None,
            "agency_responsible": _agency(case),
            "service_notice": None,
            "requested_datetime": w3c(case.registered_at),
            "updated_datetime": w3c(case.updated_at),
            "expected_datetime": _expected(case),
            "address": case.address or None,
            "address_id": (submission.address_id or None) if submission else None,
            "zipcode": None,
            "lat": _location(case.latitude, own),
            "long": _location(case.longitude, own),
            "media_url": (submission.media_url or None) if submission else None,
        }
        if self.extensions:
            item.update(
                {
                    "channel": case.channel,
                    "area": case.area.name if case.area else None,
                    "notes": [
                        {"datetime": w3c(event.at), "description": event.text} for event in texts
                    ],
                    "duplicate": case.status == Status.MERGED,
                    "parent_request_id": self.parents.get(case.merged_into_id or 0),
                }
            )
        return item


def request_updates(events: Iterable[Event], statuses: dict[int, str]) -> list[dict[str, Any]]:
    """The update feed: each public event with the status the case had right after it."""
    updates = []
    for event in events:
        status = statuses[event.pk]
        text = event.text or _plain(event, status)
        updates.append(
            {
                "update_id": str(event.pk),
                "service_request_id": request_id(event.case),
                "status": open_or_closed(status),
                "updated_datetime": w3c(event.at),
                "description": text[:DESCRIPTION_LIMIT],
                "media_url": None,
                "external_status_code": status,
            }
        )
    return updates


def _plain(event: Event, status: str) -> str:
    if event.kind == EventKind.DEADLINE_EXTENDED:
        return _("The deadline was extended.")
    return str(PLAIN_STATUS[Status(status)])
