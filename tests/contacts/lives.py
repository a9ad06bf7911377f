"""A resident's whole dealing with the city, leaving personal data everywhere it can go: a case
with a photo, a call, a follower, a relocation, a message, an answer, mailed notifications and
feedback with a comment. And a search of every row and file for what remains of it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import time_machine
from django.core import serializers
from django.core.files.storage import default_storage
from django.db.models.functions import TruncMonth

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Attachment, Case, Event
from cetate.cases.uploads import Upload
from cetate.cases.workflow import Action
from cetate.contacts.models import Contact
from cetate.portal.models import Follower
from cetate.telephony.models import Call
from cetate.test import GRANTED, City
from tests.cases.files import jpeg_with_gps

# What the scenario's resident said or is: none of it may survive anonymisation.
SECRETS = (
    "Ion Popescu",
    "ion@example.org",
    "+40744123456",
    "0744123456",
    "0744 123 456",
    "Zorilor nr. 12",
    "Zorilor nr. 14",
    "bl. A",
    "vecin@example.org",
    "sunați-mă",
    "poza-ion",
    "Domnule Popescu",
    "fața casei dvs",
    "Mulțumesc, Ion",
    "46.0712345",
    "23.5812345",
)


@dataclass
class Life:
    case: Case
    call: Call
    attachment_path: str


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=CITY_TZ)


def closed_case(
    city: City, commit: Any, *, reporter: Contact | None = None, on: datetime, call_id: str = "c1"
) -> Life:
    """A pothole reported by phone on `on`, worked, answered and closed by the resident's
    feedback a week later."""
    reporter = reporter or city.resident
    with time_machine.travel(on, tick=False):
        case = commit(
            city.report,
            reporter=reporter,
            title="Groapă la Zorilor nr. 12",
            description="Groapă adâncă în fața casei, sunați-mă la 0744 123 456.",
            address="Strada Zorilor nr. 12, bl. A",
            latitude=46.0712345,
            longitude=23.5812345,
            attachments=[Upload(name="poza-ion.jpg", content=jpeg_with_gps())],
        )
        call = Call.objects.create(
            call_id=call_id,
            from_number="0744123456",
            to_number="0258819462",
            resident_phone="+40744123456",
            contact=reporter,
            started_at=on,
            answered_at=on,
            ended_at=on,
            extension="101",
            staff=city.dispatcher,
            case=case,
        )
        Follower.objects.create(case=case, email="vecin@example.org")
    with time_machine.travel(on.replace(hour=11), tick=False):
        commit(
            services.relocate,
            case_id=case.pk,
            actor=city.dispatcher,
            latitude=46.0712345,
            longitude=23.5812345,
            address="Strada Zorilor nr. 14",
        )
        commit(services.triage, case_id=case.pk, actor=city.dispatcher, assignee=city.officer)
        commit(services.change_status, case_id=case.pk, actor=city.officer, action=Action.START)
        commit(
            services.message_resident,
            case_id=case.pk,
            actor=city.officer,
            text="Domnule Popescu, echipa vine mâine.",
        )
        commit(
            services.add_note,
            case_id=case.pk,
            actor=city.officer,
            text="Ion Popescu a sunat din nou.",
        )
        commit(
            services.change_status,
            case_id=case.pk,
            actor=city.officer,
            action=Action.RESOLVE,
            text="Am astupat groapa din fața casei dvs.",
            decision=GRANTED,
        )
    with time_machine.travel(on.replace(day=on.day + 7), tick=False):
        commit(services.record_feedback, case_id=case.pk, satisfied=True, comment="Mulțumesc, Ion")
    attachment = Attachment.objects.get(case=case)
    assert default_storage.exists(attachment.file.name)
    case.refresh_from_db()
    return Life(case=case, call=call, attachment_path=attachment.file.name)


def traces(case: Case, contacts: list[Contact]) -> str:
    """Every row that holds something of the case or its people, as text."""
    rows: list[Any] = [case, *contacts]
    rows += list(Event.objects.filter(case=case))
    rows += list(Attachment.objects.filter(case=case))
    rows += list(Call.objects.filter(case=case))
    rows += list(Call.objects.filter(contact__in=contacts))
    rows += list(Follower.objects.filter(case=case))
    return serializers.serialize("json", rows, ensure_ascii=False)


def figures() -> Counter[tuple[Any, ...]]:
    """Cases counted by status × category × department × month of registration."""
    rows = Case.objects.annotate(month=TruncMonth("registered_at", tzinfo=CITY_TZ)).values_list(
        "status", "category_id", "department_id", "month", "kind", "channel", "area_id"
    )
    return Counter(rows)
