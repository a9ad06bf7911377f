"""`manage.py sweep_deadlines`: one sweep that says what it did, and its place in `serve`."""

from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from cetate.cases.choices import EventKind, Kind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.services import triage
from cetate.ops.management.serving import deadline_sweeper


@pytest.fixture(autouse=True)
def job_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def sweep() -> str:
    out = StringIO()
    call_command("sweep_deadlines", stdout=out)
    return out.getvalue()


def test_sweeps_once_and_says_what_it_recorded(city):
    with time_machine.travel(datetime(2026, 10, 29, 10, tzinfo=CITY_TZ), tick=False):
        case = city.report(kind=Kind.COMPLAINT, category=city.noise)
        triage(case_id=case.pk, actor=city.dispatcher, assignee=city.officer)

    with time_machine.travel(datetime(2026, 12, 3, 9, tzinfo=CITY_TZ), tick=False):
        first = sweep()
        again = sweep()

    assert "1 cases due soon or overdue: 1 reminders, 1 escalations recorded." in first
    assert f"{case.number} deadline reminder sent legal" in first
    assert f"{case.number} escalated to the head and the supervisor legal" in first
    assert "0 reminders, 0 escalations recorded." in again
    kinds = set(case.events.values_list("kind", flat=True))
    assert {EventKind.DEADLINE_REMINDER, EventKind.DEADLINE_ESCALATED} <= kinds


def test_with_nothing_due_it_records_nothing(city):
    with time_machine.travel(datetime(2026, 10, 29, 10, tzinfo=CITY_TZ), tick=False):
        city.report(kind=Kind.COMPLAINT, category=city.noise)
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=CITY_TZ), tick=False):
        assert "0 cases due soon or overdue" in sweep()


def test_refuses_a_period_that_is_not_positive(db):
    with pytest.raises(CommandError, match="must be at least 1"):
        call_command("sweep_deadlines", "--every", "0")


def test_serve_runs_the_sweeper_every_quarter_hour():
    program = deadline_sweeper()
    assert program.name == "sweep_deadlines"
    assert program.argv[-3:] == ["sweep_deadlines", "--every", "900"]
