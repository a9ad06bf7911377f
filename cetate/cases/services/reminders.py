"""Deadline reminders and escalations: recorded on the case once, mailed to staff in hours.

The rules are in `cetate.cases.sweeps`; this is the only code that records their events.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from cetate.accounts.models import DepartmentMembership, User
from cetate.accounts.roles import Role
from cetate.cases.choices import EventKind
from cetate.cases.models import Case, Event
from cetate.cases.services._core import append_event, locked_case
from cetate.cases.sweeps import (
    SWEEP_EVENT_KINDS,
    Notice,
    SweptCase,
    cases_to_sweep,
    event_key,
    next_working_moment,
    notices_owed,
)
from cetate.directory.lookup import work_calendar
from cetate.lib import clock
from cetate.lib.calendar import WorkCalendar

BATCH_SIZE = 500


@dataclass
class SweepResult:
    cases: int = 0
    reminders: list[Event] = field(default_factory=list)
    escalations: list[Event] = field(default_factory=list)


def sweep_deadlines(*, now: datetime | None = None) -> SweepResult:
    """Record every reminder and escalation owed at `now` (default: the clock) and queue their
    mail. Cases whose notices are all recorded already are not locked."""
    now = now or clock.now()
    calendar = work_calendar()
    result = SweepResult()
    batch: list[SweptCase] = []
    for case in cases_to_sweep(now):
        batch.append(case)
        if len(batch) == BATCH_SIZE:
            _sweep_batch(batch, now, calendar, result)
            batch = []
    _sweep_batch(batch, now, calendar, result)
    return result


def _sweep_batch(
    cases: list[SweptCase], now: datetime, calendar: WorkCalendar, result: SweepResult
) -> None:
    recorded: dict[int, set[tuple[str, str, str, str]]] = defaultdict(set)
    events = Event.objects.filter(
        case_id__in=[case.pk for case in cases], kind__in=SWEEP_EVENT_KINDS
    ).values_list("case_id", "kind", "data")
    for case_id, kind, data in events:
        recorded[case_id].add(event_key(kind, data))
    for case in cases:
        result.cases += 1
        if all(notice.key in recorded[case.pk] for notice in notices_owed(case, now)):
            continue
        for event in record_deadline_notices(case_id=case.pk, now=now, calendar=calendar):
            if event.kind == EventKind.DEADLINE_ESCALATED:
                result.escalations.append(event)
            else:
                result.reminders.append(event)


@transaction.atomic
def record_deadline_notices(
    *, case_id: int, now: datetime, calendar: WorkCalendar | None = None
) -> list[Event]:
    """Record, under the case's lock, the reminders and escalations owed at `now` that are not
    recorded yet, and queue their staff mail for the next working moment."""
    case = locked_case(case_id)
    owed = notices_owed(case, now)
    if not owed:
        return []
    recorded = {
        event_key(kind, data)
        for kind, data in case.events.filter(kind__in=SWEEP_EVENT_KINDS).values_list("kind", "data")
    }
    calendar = calendar or work_calendar()
    events = []
    for notice in owed:
        if notice.key in recorded:
            continue
        recipients = _recipients(case, notice)
        events.append(
            append_event(
                case,
                notice.kind,
                actor=None,
                data={**notice.event_data(), "recipients": [user.pk for user in recipients]},
            )
        )
    if events:
        case.save(update_fields=["last_event_seq", "updated_at"])
        for event in events:
            mail_staff_on_commit(event, at=next_working_moment(now, calendar))
    return events


def _recipients(case: Case, notice: Notice) -> list[User]:
    active = User.objects.filter(is_active=True).order_by("pk")
    if notice.kind == EventKind.DEADLINE_ESCALATED:
        heads = DepartmentMembership.objects.filter(department=case.department, is_head=True)
        return list(
            active.filter(
                pk__in=list(heads.values_list("user_id", flat=True))
                + list(
                    active.filter(groups__name=Role.SUPERVISOR.value).values_list("pk", flat=True)
                )
            )
        )
    if case.assignee_id is not None:
        return list(active.filter(pk=case.assignee_id))
    if case.department_id is None:
        return []
    members = DepartmentMembership.objects.filter(department_id=case.department_id)
    return list(active.filter(pk__in=members.values_list("user_id", flat=True)))


def mail_staff_on_commit(event: Event, *, at: datetime) -> None:
    """Owe the staff mail about `event`, to go at `at`, once the transaction commits."""
    from cetate.cases.outgoing import owe_staff_mail

    owe_staff_mail(event, at=at)


@transaction.atomic
def record_staff_mail(*, about: Event, recipient: str) -> Event:
    """Record on the case that a staff member was mailed about a deadline notice or a
    resident's reply."""
    case = locked_case(about.case_id)
    event = append_event(
        case,
        EventKind.NOTIFICATION_SENT,
        actor=None,
        data={
            "about": about.seq,
            "channel": "email",
            "recipient": recipient,
            "recipients": [recipient],
        },
    )
    case.save(update_fields=["last_event_seq", "updated_at"])
    return event
