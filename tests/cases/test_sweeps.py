"""The deadline sweep through a case's life, with the clock moved day by day."""

from datetime import date, datetime
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django_tasks_db.models import DBTaskResult

from cetate.cases.choices import EventKind, Kind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.services import cancel_registration, extend_deadline, triage
from cetate.cases.services.reminders import sweep_deadlines
from cetate.cases.sweeps import next_working_moment
from cetate.lib.calendar import WorkCalendar
from cetate.ops.worker import Worker

CALENDAR = WorkCalendar()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CITY_TZ)


# 2026-11-27 is a Friday; 30 November (St Andrew) and 1 December (National Day) are public
# holidays, so after that Friday the next working day is Wednesday 2 December.
FRIDAY = date(2026, 11, 27)
WEDNESDAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(WEDNESDAY, 10), at(WEDNESDAY, 10)),
        (at(WEDNESDAY, 6, 30), at(WEDNESDAY, 8)),
        (at(WEDNESDAY, 16), at(date(2026, 12, 3), 8)),
        (at(FRIDAY, 15, 59), at(FRIDAY, 15, 59)),
        (at(FRIDAY, 17), at(WEDNESDAY, 8)),
        (at(date(2026, 11, 29), 11), at(WEDNESDAY, 8)),
        (at(date(2026, 12, 1), 9), at(WEDNESDAY, 8)),
    ],
)
def test_staff_mail_waits_for_working_hours_on_a_working_day(now, expected):
    assert next_working_moment(now, CALENDAR) == expected


def test_a_granted_day_off_is_not_a_working_moment():
    calendar = WorkCalendar.with_days_off([WEDNESDAY])
    assert next_working_moment(at(FRIDAY, 17), calendar) == at(date(2026, 12, 3), 8)


@pytest.fixture
def staff(city):
    for user, address in (
        (city.officer, "inspector@primarie.ro"),
        (city.head, "sef@primarie.ro"),
        (city.supervisor, "supervizor@primarie.ro"),
    ):
        user.email = address
        user.language = "en"
        user.save()
    return city


@pytest.fixture(autouse=True)
def internal_due_is_the_legal_deadline(settings):
    """These scenarios count from the law's dates (tests/cases/test_terms.py sweeps by the
    strict internal due date)."""
    settings.INTERNAL_DUE_RULE = "legal"


@pytest.fixture(autouse=True)
def job_queue(settings):
    """The real queue in the database, where staff mail waits for working hours."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_due_jobs() -> None:
    """What the worker does when it wakes: run every job and send every mail whose time has
    come."""
    with mock.patch("cetate.ops.worker.close_old_connections"):  # as Django's test client does
        Worker(interval=0, worker_id="test", batch=True).run()
    assert not DBTaskResult.objects.failed().exists()


def sweep_and_work(moment: datetime) -> list[tuple[str, str]]:
    """Sweep and run due jobs at `moment`; the (recipient, subject) of mail sent then."""
    with time_machine.travel(moment, tick=False):
        sent_before = len(mail.outbox)
        sweep_deadlines()
        run_due_jobs()
        return [(message.to[0], str(message.subject)) for message in mail.outbox[sent_before:]]


def sweep_events(case):
    kinds = (EventKind.DEADLINE_REMINDER, EventKind.DEADLINE_ESCALATED)
    return list(case.events.filter(kind__in=kinds).order_by("seq"))


def assigned_complaint(city, registered: datetime):
    """A noise complaint: a petition with only the legal deadline, assigned to the officer."""
    with time_machine.travel(registered, tick=False):
        case = city.report(kind=Kind.COMPLAINT, category=city.noise, reporter=city.resident)
        case = triage(case_id=case.pk, actor=city.dispatcher, assignee=city.officer)
        run_due_jobs()  # the resident's acknowledgement
    mail.outbox.clear()
    return case


def test_a_complaint_is_reminded_then_escalated_once_each_in_working_hours(staff):
    # Thursday 29 October; 30 days end on Sunday 29 November, moved past two holidays.
    case = assigned_complaint(staff, at(date(2026, 10, 29), 10))
    assert case.legal_due == WEDNESDAY

    assert sweep_and_work(at(date(2026, 10, 29), 11)) == []
    assert sweep_and_work(at(FRIDAY, 17)) == []  # five days left: on time
    assert sweep_and_work(at(date(2026, 11, 28), 9)) == []  # four days left

    # Sunday: three days left. Recorded now, mailed on the next working morning.
    assert sweep_and_work(at(date(2026, 11, 29), 9)) == []
    [reminder] = sweep_events(case)
    assert reminder.kind == EventKind.DEADLINE_REMINDER
    assert reminder.actor is None and not reminder.public
    assert reminder.data["stage"] == "due_soon"
    assert reminder.data["due"] == "2026-12-02"
    assert reminder.data["extension_warning"] is True
    assert reminder.data["recipients"] == [staff.officer.pk]

    assert sweep_and_work(at(date(2026, 11, 30), 10)) == []  # St Andrew's Day
    assert sweep_and_work(at(date(2026, 12, 1), 10)) == []  # National Day

    sent = sweep_and_work(at(WEDNESDAY, 8, 5))
    number = case.number
    assert sent == [
        (
            "inspector@primarie.ro",
            f"Case {number}: the date set for answering the resident is near",
        )
    ]
    body = mail.outbox[-1].body
    assert "02.12.2026 (due today)" in body
    assert "an extension notice must go out to the resident" in body
    assert f"{settings.SITE_URL}/console/cases/{case.pk}/" in body
    assert sweep_and_work(at(WEDNESDAY, 15)) == []

    # Thursday: overdue. The officer is reminded, the head and the supervisor are told.
    sent = sweep_and_work(at(date(2026, 12, 3), 9))
    assert sorted(sent) == [
        (
            "inspector@primarie.ro",
            f"Case {number}: the date set for answering the resident has passed",
        ),
        ("sef@primarie.ro", f"Case {number} is overdue and was escalated to you"),
        ("supervizor@primarie.ro", f"Case {number} is overdue and was escalated to you"),
    ]
    assert "1 day late" in mail.outbox[-1].body
    escalation = sweep_events(case)[-1]
    assert escalation.kind == EventKind.DEADLINE_ESCALATED
    assert sorted(escalation.data["recipients"]) == sorted([staff.head.pk, staff.supervisor.pk])
    assert "extension notice" not in mail.outbox[-1].body

    # Days later nothing is sent again.
    assert sweep_and_work(at(date(2026, 12, 4), 9)) == []
    assert sweep_and_work(at(date(2026, 12, 7), 9)) == []
    assert [event.kind for event in sweep_events(case)] == [
        EventKind.DEADLINE_REMINDER,
        EventKind.DEADLINE_REMINDER,
        EventKind.DEADLINE_ESCALATED,
    ]
    mailed = case.events.filter(kind=EventKind.NOTIFICATION_SENT, data__channel="email")
    assert {event.data["about"] for event in mailed} >= {e.seq for e in sweep_events(case)}


def test_a_sweep_run_twice_records_and_sends_nothing_twice(staff):
    case = assigned_complaint(staff, at(date(2026, 10, 29), 10))
    mail.outbox.clear()
    with time_machine.travel(at(date(2026, 11, 27), 10), tick=False):
        first = sweep_deadlines()
        second = sweep_deadlines()
    assert first.cases == second.cases == 0  # five days left: not selected
    with time_machine.travel(at(date(2026, 12, 3), 10), tick=False):
        first = sweep_deadlines()
        run_due_jobs()
        second = sweep_deadlines()
        run_due_jobs()
    assert (len(first.reminders), len(first.escalations)) == (1, 1)
    assert second.cases == 1
    assert (second.reminders, second.escalations) == ([], [])
    assert len(mail.outbox) == 3
    assert len(sweep_events(case)) == 2  # seen first when overdue: no due-soon reminder


def test_an_extension_allows_reminders_for_the_new_deadline(staff):
    case = assigned_complaint(staff, at(date(2026, 10, 29), 10))
    with time_machine.travel(at(date(2026, 11, 30), 10), tick=False):
        sweep_deadlines()
    with time_machine.travel(at(date(2026, 12, 2), 9), tick=False):
        case = extend_deadline(
            case_id=case.pk, actor=staff.head, days=10, notice="Avem nevoie de un aviz."
        )
        assert case.legal_due == date(2026, 12, 9)
        assert sweep_deadlines().reminders == []
        run_due_jobs()
    mail.outbox.clear()
    with time_machine.travel(at(date(2026, 12, 7), 9), tick=False):
        [reminder] = sweep_deadlines().reminders
        run_due_jobs()
    assert reminder.data["due"] == "2026-12-09"
    assert reminder.data["extension_warning"] is False
    [message] = mail.outbox
    assert message.to == ["inspector@primarie.ro"]
    assert "extension notice" not in message.body
    assert [event.data["due"] for event in sweep_events(case)] == ["2026-12-02", "2026-12-09"]


def test_closed_cases_are_never_reminded(staff):
    case = assigned_complaint(staff, at(date(2026, 10, 29), 10))
    cancel_registration(case_id=case.pk, actor=staff.dispatcher, reason="Înregistrată de două ori")
    mail.outbox.clear()
    for moment in (at(date(2026, 11, 30), 10), at(date(2026, 12, 3), 10)):
        with time_machine.travel(moment, tick=False):
            assert sweep_deadlines().cases == 0
            run_due_jobs()
    assert sweep_events(case) == []
    assert mail.outbox == []


def test_an_unassigned_case_reminds_its_department_and_the_service_target_counts(staff):
    # A pothole: 7 working days of service target, then the 30-day legal deadline.
    with time_machine.travel(at(date(2026, 10, 29), 10), tick=False):
        case = staff.report()
        triage(case_id=case.pk, actor=staff.dispatcher, department=staff.technical)
        run_due_jobs()
    case.refresh_from_db()
    assert case.service_due == at(date(2026, 11, 9), 10)
    mail.outbox.clear()
    with time_machine.travel(at(date(2026, 11, 6), 10), tick=False):
        [reminder] = sweep_deadlines().reminders
        run_due_jobs()
    assert reminder.data["deadline"] == "service"
    assert sorted(reminder.data["recipients"]) == sorted([staff.officer.pk, staff.head.pk])
    assert sorted(message.to[0] for message in mail.outbox) == [
        "inspector@primarie.ro",
        "sef@primarie.ro",
    ]
    assert "the service target of the case's category" in mail.outbox[0].subject
