"""The rows of a case and its events, computed the way open_case computes them, for raw SQL.

Rows are dictionaries keyed by the models' attribute names (`category_id`, …); writer.py
turns them into column tuples. History rows describe a city's past: a few years of cases,
most of them closed, the recent ones mostly open.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from django.conf import settings

from cetate.cases.choices import Channel, EventKind, Feedback, Kind, Priority
from cetate.cases.deadlines import (
    CITY_TZ,
    earliest_due,
    internal_deadline,
    legal_deadline,
    service_due,
)
from cetate.cases.services.intake import TRACKING_ALPHABET, TRACKING_LENGTH
from cetate.cases.workflow import Status
from cetate.contacts.models import AnswerChannel
from cetate.directory.models import Category
from cetate.lib.calendar import WorkCalendar
from cetate.ops.bench.city import BenchCity

Row = dict[str, Any]

HISTORY_DAYS = 3 * 365
SECONDS_PER_DAY = 86_400

KINDS = [Kind.REPORT, Kind.REQUEST, Kind.COMPLAINT, Kind.PROPOSAL, Kind.INFORMATION, Kind.INQUIRY]
KIND_WEIGHTS = [55, 14, 10, 3, 6, 12]
OPEN_STATUSES = [Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING]
OPEN_WEIGHTS = [20, 35, 35, 10]
FINISHED_STATUSES = [
    Status.CLOSED,
    Status.RESOLVED,
    Status.REJECTED,
    Status.REDIRECTED,
    Status.MERGED,
    Status.CANCELLED,
]
FINISHED_WEIGHTS = [72, 10, 5, 6, 4, 3]
REPORT_CHANNELS = [Channel.PORTAL, Channel.PHONE, Channel.EMAIL, Channel.KIOSK, Channel.API]
REPORT_CHANNEL_WEIGHTS = [45, 35, 10, 3, 7]
PETITION_CHANNELS = [Channel.DESK, Channel.EMAIL, Channel.PORTAL]
PETITION_CHANNEL_WEIGHTS = [40, 35, 25]

STREETS = [
    "Bd. 1 Decembrie 1918",
    "Str. Mihai Viteazul",
    "Str. Avram Iancu",
    "Bd. Transilvaniei",
    "Str. Vasile Goldiș",
    "Str. Moților",
    "Str. Calea Moților",
    "Str. Clujului",
    "Str. Tudor Vladimirescu",
    "Str. Gheorghe Doja",
]
DESCRIPTIONS = [
    "Groapă mare în carosabil, periculoasă pentru bicicliști, în dreptul numărului indicat.",
    "Becul stâlpului de iluminat nu mai funcționează de o săptămână; strada e complet în beznă.",
    "Containerele de la bloc nu au fost golite de câteva zile și miroase urât în tot cartierul.",
    "Vă rog să îmi comunicați stadiul cererii depuse luna trecută privind autorizația.",
    "Un copac înclinat pe trotuar stă să cadă peste mașinile parcate după furtuna de ieri.",
    "Solicit informații despre bugetul alocat reparațiilor străzilor din cartier în acest an.",
    "Mașini parcate pe trotuar împiedică trecerea cărucioarelor și a persoanelor cu dizabilități.",
    "Propun amenajarea unui loc de joacă în parcul dintre blocuri, folosit de mulți copii.",
]
# Of the residents whose case was resolved, the share who answer the satisfaction question, and
# of those the share who say the problem is not solved.
FEEDBACK_SHARE = 0.3
NOT_SOLVED_SHARE = 0.15
ANSWER = "Problema semnalată a fost remediată de echipa de intervenție. Vă mulțumim!"


class CachedCalendar(WorkCalendar):
    """The same working calendar, remembering answers: a fill asks about the same few
    thousand days a million times."""

    _memo: dict[tuple[str, date, int], date]

    def __init__(self, extra_days_off: frozenset[date] = frozenset()) -> None:
        super().__init__(extra_days_off=extra_days_off)
        object.__setattr__(self, "_memo", {})

    def on_or_after(self, day: date) -> date:
        key = ("on", day, 0)
        if key not in self._memo:
            self._memo[key] = super().on_or_after(day)
        return self._memo[key]

    def add_working_days(self, start: date, days: int) -> date:
        key = ("add", start, days)
        if key not in self._memo:
            self._memo[key] = super().add_working_days(start, days)
        return self._memo[key]


@dataclass
class PlannedCase:
    case: Row
    events: list[Row] = field(default_factory=list)


def deadlines(
    kind: str, category: Category | None, registered_at: datetime, calendar: WorkCalendar
) -> tuple[date | None, date | None, datetime | None]:
    """The legal deadline, internal due date and service target open_case stores for such a
    case."""
    local = registered_at.astimezone(CITY_TZ)
    internal = internal_deadline(kind, local.date(), calendar, rule=settings.INTERNAL_DUE_RULE)
    return (
        legal_deadline(kind, local.date(), calendar),
        internal,
        service_due(
            registered_at=registered_at,
            target=category.service_target if category else None,
            unit=category.service_target_unit if category else "d",
            paused=timedelta(0),
            calendar=calendar,
        ),
    )


def created_event(*, at: datetime, actor_id: int | None, channel: str, kind: str) -> Row:
    return {
        "seq": 1,
        "kind": EventKind.CREATED.value,
        "at": at,
        "actor_id": actor_id,
        "public": True,
        "from_status": "",
        "to_status": Status.NEW.value,
        "text": "",
        "data": {"channel": channel, "kind": kind},
    }


def status_event(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    to_status: str,
    public: bool = True,
    text: str = "",
    data: dict[str, Any] | None = None,
) -> Row:
    return {
        "seq": seq,
        "kind": EventKind.STATUS_CHANGED.value,
        "at": at,
        "actor_id": actor_id,
        "public": public,
        "from_status": Status.NEW.value,
        "to_status": to_status,
        "text": text,
        "data": data or {},
    }


def tracking_code_for(case_id: int, rng: random.Random) -> str:
    """A tracking code unique by construction: random characters, then the case id in base 31.

    History rows are written by the hundred thousand; encoding the id spares a uniqueness
    check of every code against every other.
    """
    base = len(TRACKING_ALPHABET)
    digits = []
    value = case_id
    while value:
        value, digit = divmod(value, base)
        digits.append(TRACKING_ALPHABET[digit])
    suffix = "".join(reversed(digits)).rjust(6, TRACKING_ALPHABET[0])
    return "".join(rng.choices(TRACKING_ALPHABET, k=TRACKING_LENGTH - len(suffix))) + suffix


class History:
    """Plans the cases of a city's past `HISTORY_DAYS`, numbered on from `counters`."""

    def __init__(
        self,
        city: BenchCity,
        *,
        contacts: list[int],
        counters: dict[int, int],
        now: datetime,
        seed: int,
        days_off: frozenset[date],
    ) -> None:
        self.city = city
        self.contacts = contacts
        self.counters = counters
        self.now = now
        self.rng = random.Random(seed)
        # Its own stream: the residents' answers leave the rest of the history as it was.
        self.feedback_rng = random.Random(seed + 1)
        self.calendar = CachedCalendar(days_off)
        # Popularity of categories falls off with their rank, as in every city's statistics.
        self.category_weights = list(
            accumulate(1 / (rank + 1) for rank in range(len(city.categories)))
        )
        self.kind_weights = list(accumulate(KIND_WEIGHTS))
        self.open_weights = list(accumulate(OPEN_WEIGHTS))
        self.finished_weights = list(accumulate(FINISHED_WEIGHTS))

    def moments(self, count: int) -> list[datetime]:
        """Registration moments in time order, so that numbers follow dates within a year."""
        span = HISTORY_DAYS * SECONDS_PER_DAY
        offsets = sorted(self.rng.uniform(60, span) for _ in range(count))
        return [self.now - timedelta(seconds=offset) for offset in reversed(offsets)]

    def plan(self, registered_at: datetime, case_id: int) -> PlannedCase:
        rng = self.rng
        city = self.city
        kind = rng.choices(KINDS, cum_weights=self.kind_weights)[0]
        category = self._category(kind)
        channel = self._channel(kind)
        actor_id = (
            city.dispatcher.pk
            if channel == Channel.PHONE
            else city.clerk.pk
            if channel == Channel.DESK
            else None
        )
        reporter_id = self._reporter(kind)
        latitude = longitude = None
        area_id = None
        address = ""
        if rng.random() < (0.95 if kind == Kind.REPORT else 0.0 if kind == Kind.INQUIRY else 0.25):
            latitude, longitude = city.random_point(rng)
            area_id = city.area_at(latitude, longitude)
            address = f"{rng.choice(STREETS)} nr. {rng.randint(1, 120)}"
        status, changed_at = self._status(kind, registered_at)
        department_id, redirected_to_id = self._department(status, category)
        assignee_id = None
        if department_id is not None and status not in {Status.NEW, Status.ASSIGNED}:
            officers = city.officers.get(department_id)
            if officers and rng.random() < 0.6:
                assignee_id = rng.choice(officers)
        legal_due, internal_due, service_due_at = deadlines(
            kind, category, registered_at, self.calendar
        )
        local_year = registered_at.astimezone(CITY_TZ).year
        self.counters[local_year] = self.counters.get(local_year, 0) + 1
        finished = status in {Status.RESOLVED, Status.CLOSED}
        events = [
            created_event(
                at=registered_at, actor_id=actor_id, channel=channel.value, kind=kind.value
            )
        ]
        if status != Status.NEW:
            events.append(status_event(seq=2, at=changed_at, actor_id=None, to_status=status))
        case: Row = {
            "id": case_id,
            "registration_year": local_year,
            "registration_number": self.counters[local_year],
            "registered_at": registered_at,
            "tracking_code": tracking_code_for(case_id, rng),
            "kind": kind.value,
            "channel": channel.value,
            "answer_channel": AnswerChannel.EMAIL.value,
            "language": "ro",
            "entered_by_id": actor_id,
            "reporter_id": reporter_id,
            "category_id": category.pk if category else None,
            "department_id": department_id,
            "assignee_id": assignee_id,
            "redirected_to_id": redirected_to_id,
            "latitude": latitude,
            "longitude": longitude,
            "address": address,
            "area_id": area_id,
            "title": category.name if category and kind == Kind.REPORT else "",
            "description": rng.choice(DESCRIPTIONS),
            "answers": {},
            "priority": Priority.NORMAL.value,
            "status": status.value,
            "status_changed_at": changed_at,
            "legal_due": legal_due,
            "internal_due": internal_due,
            "service_due": service_due_at,
            "due_at": earliest_due(
                internal_due=internal_due, legal_due=legal_due, service_due=service_due_at
            ),
            "waiting_since": changed_at if status == Status.WAITING else None,
            "resolved_at": changed_at if finished else None,
            **self._feedback(status, reporter_id, changed_at),
            "answer": ANSWER if finished else "",
            "last_event_seq": len(events),
            "updated_at": changed_at,
        }
        return PlannedCase(case=case, events=events)

    def _feedback(self, status: Status, reporter_id: int | None, resolved_at: datetime) -> Row:
        """Some residents answer whether the problem is solved; a few say it is not."""
        rng = self.feedback_rng
        if status not in {Status.RESOLVED, Status.CLOSED} or reporter_id is None:
            return {}
        if rng.random() >= FEEDBACK_SHARE:
            return {}
        solved = rng.random() >= NOT_SOLVED_SHARE
        return {
            "feedback": (Feedback.SATISFIED if solved else Feedback.NOT_RESOLVED).value,
            "feedback_at": min(resolved_at + timedelta(hours=rng.uniform(1, 240)), self.now),
        }

    def _category(self, kind: Kind) -> Category | None:
        share = {Kind.REPORT: 1.0, Kind.INQUIRY: 0.3}.get(kind, 0.6)
        if self.rng.random() >= share:
            return None
        return self.rng.choices(self.city.categories, cum_weights=self.category_weights)[0]

    def _channel(self, kind: Kind) -> Channel:
        if kind == Kind.INQUIRY:
            return Channel.PHONE if self.rng.random() < 0.8 else Channel.DESK
        if kind == Kind.REPORT:
            return self.rng.choices(REPORT_CHANNELS, REPORT_CHANNEL_WEIGHTS)[0]
        return self.rng.choices(PETITION_CHANNELS, PETITION_CHANNEL_WEIGHTS)[0]

    def _reporter(self, kind: Kind) -> int | None:
        share = {Kind.REPORT: 0.75, Kind.INQUIRY: 0.2}.get(kind, 1.0)
        return self.rng.choice(self.contacts) if self.rng.random() < share else None

    def _status(self, kind: Kind, registered_at: datetime) -> tuple[Status, datetime]:
        """Recent cases are mostly open; older ones mostly done, with a backlog of ~10%."""
        rng = self.rng
        age = self.now - registered_at
        if kind == Kind.INQUIRY:
            return Status.CLOSED, registered_at
        p_open = 0.9 if age.days < 30 else 0.6 if age.days < 90 else 0.1
        if rng.random() < p_open:
            status = rng.choices(OPEN_STATUSES, cum_weights=self.open_weights)[0]
            worked = timedelta(seconds=rng.uniform(0, min(age, timedelta(days=5)).total_seconds()))
        else:
            status = rng.choices(FINISHED_STATUSES, cum_weights=self.finished_weights)[0]
            worked = timedelta(seconds=rng.uniform(0, min(age, timedelta(days=40)).total_seconds()))
        return status, (registered_at if status == Status.NEW else registered_at + worked)

    def _department(
        self, status: Status, category: Category | None
    ) -> tuple[int | None, int | None]:
        """(department, external organisation) a case in `status` is with."""
        city = self.city
        if status in {Status.NEW, Status.CANCELLED}:
            return None, None
        if status == Status.REDIRECTED:
            return None, self.rng.choice(city.external_departments)
        department = category.department if category else None
        if department is None or department.is_external or self.rng.random() < 0.1:
            return self.rng.choice(city.internal_departments), None
        return department.pk, None
