"""Cetate's categories and cases as GeoReport v2 services and service requests.

A case is shown in one of two ways. As the public sees it (cetate/cases/publication): its
public point, the street without number, the category's public text and plain status words.
In full — the description, the exact point and address, the texts of its public events — only
to the key that posted it and to keys with the full read scope, whose reads are logged.
Never a resident's name, email or phone. Ids and codes are strings; datetimes carry their
offset; unknown fields are present as null.
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
from cetate.cases.publication import PLAIN_STATUS, PublicView, public_update, public_view
from cetate.cases.workflow import OPEN_STATUSES, Status
from cetate.directory.models import Category, CategoryQuestion
from cetate.open311.models import ApiKey, Submission

DESCRIPTION_LIMIT = 4000
# The events a case's own integrator, or a key reading in full, reads the texts of.
FULL_EVENT_KINDS = PUBLIC_EVENT_KINDS
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


def open_or_closed(status: str) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


class RequestPage:
    """Service requests for a page of cases, with what they need fetched in a few queries.

    `in_full` lists the cases shown in full that the key did not post: the reads its scope
    allowed, which the caller logs.
    """

    def __init__(self, cases: Sequence[Case], *, key: ApiKey | None, extensions: bool) -> None:
        self.key = key
        self.extensions = extensions
        ids = [case.pk for case in cases]
        self.submissions = {s.case_id: s for s in Submission.objects.filter(case_id__in=ids)}
        self.events: dict[int, list[Event]] = {}
        events = (
            Event.objects.filter(
                case_id__in=ids,
                public=True,
                kind__in=sorted(FULL_EVENT_KINDS | {EventKind.SUMMARY_PUBLISHED}),
            )
            .only("case_id", "seq", "at", "text", "kind", "public", "to_status")
            .order_by("case_id", "seq")
        )
        for event in events:
            self.events.setdefault(event.case_id, []).append(event)
        merged_into = [case.merged_into_id for case in cases if case.merged_into_id]
        self.parents = {
            pk: f"{year}-{number}"
            for pk, year, number in Case.objects.filter(pk__in=merged_into).values_list(
                "pk", "registration_year", "registration_number"
            )
        }
        self.in_full: list[Case] = []
        self.items: list[dict[str, Any]] = []
        for case in cases:
            item = self._item(case)
            if item is not None:
                self.items.append(item)

    def as_list(self) -> list[dict[str, Any]]:
        return self.items

    def _own(self, case: Case) -> bool:
        submission = self.submissions.get(case.pk)
        return (
            self.key is not None
            and submission is not None
            and submission.api_key_id == (self.key.pk)
        )

    def _item(self, case: Case) -> dict[str, Any] | None:
        if self._own(case):
            return self.in_full_request(case)
        if self.key is not None and self.key.reads_in_full:
            self.in_full.append(case)
            return self.in_full_request(case)
        view = public_view(case)
        # The query asked for public cases only; the rule on the case has the last word.
        return None if view is None else self.public_request(case, view)

    def _common(self, case: Case) -> dict[str, Any]:
        return {
            "service_request_id": request_id(case),
            "status": open_or_closed(case.status),
            "status_notes": None,
            "service_name": case.category.label if case.category else None,
            "service_code": case.category.code if case.category else "",
            "description": None,
            "agency_responsible": _agency(case),
            "service_notice": None,
            "requested_datetime": w3c(case.registered_at),
            "updated_datetime": w3c(case.updated_at),
            "expected_datetime": _expected(case),
            "address": None,
            "address_id": None,
            "zipcode": None,
            "lat": None,
            "long": None,
            "media_url": None,
        }

    def public_request(self, case: Case, view: PublicView) -> dict[str, Any]:
        """The case as the public sees it: the policy's point, street, text and plain words."""
        item = self._common(case)
        item.update(
            {
                "status_notes": view.plain_status,
                "description": view.text or None,
                "address": view.address or None,
                "lat": view.latitude,
                "long": view.longitude,
            }
        )
        if self.extensions:
            notes = []
            for event in self.events.get(case.pk, []):
                text = public_update(event, case)
                if text is not None:
                    notes.append({"datetime": w3c(event.at), "description": text})
            item.update(self._extensions(case, notes, duplicate=False, parent=None))
        return item

    def in_full_request(self, case: Case) -> dict[str, Any]:
        """The case in full: for the key that posted it, or a key with the full read scope."""
        submission = self.submissions.get(case.pk)
        texts = [
            event
            for event in self.events.get(case.pk, [])
            if event.kind in FULL_EVENT_KINDS and event.text
        ]
        item = self._common(case)
        item.update(
            {
                "status_notes": texts[-1].text if texts else str(PLAIN_STATUS[case.status_enum]),
                "description": case.description[:DESCRIPTION_LIMIT] or None,
                "address": case.address or None,
                "address_id": (submission.address_id or None) if submission else None,
                "lat": case.latitude,
                "long": case.longitude,
                "media_url": (submission.media_url or None) if submission else None,
            }
        )
        if self.extensions:
            notes = [{"datetime": w3c(event.at), "description": event.text} for event in texts]
            item.update(
                self._extensions(
                    case,
                    notes,
                    duplicate=case.status == Status.MERGED,
                    parent=self.parents.get(case.merged_into_id or 0),
                )
            )
        return item

    def _extensions(
        self, case: Case, notes: list[dict[str, Any]], *, duplicate: bool, parent: str | None
    ) -> dict[str, Any]:
        return {
            "channel": case.channel,
            "area": case.area.name if case.area else None,
            "notes": notes,
            "duplicate": duplicate,
            "parent_request_id": parent,
        }


def request_updates(
    events: Iterable[Event], statuses: dict[int, str], *, in_full: set[int]
) -> list[dict[str, Any]]:
    """The update feed: each event with the status the case had right after it. The cases in
    `in_full` (ids) are told with their events' own texts; the others as the public is told."""
    updates = []
    for event in events:
        status = statuses[event.pk]
        if event.case_id in in_full:
            text: str | None = event.text or _plain(event, status)
        else:
            text = public_update(event, event.case)
        if text is None:
            continue
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
