"""An officer answers a case straight from the department's queue: the accept and the start
of work it implies are recorded in the same transaction, through the transition table. Each
case keeps its earliest due moment, and the time it was reopened until it is answered."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.apps import apps as django_apps

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ, end_of_day
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.cases.services import Decision
from cetate.cases.workflow import Action
from cetate.test import GRANTED

T0 = datetime(2026, 3, 10, 10, 0, tzinfo=CITY_TZ)


def queued(city, **fields) -> Case:
    case = city.report(**fields)
    return services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)


def moves(case: Case, after: int) -> list[tuple[str, str, str]]:
    return [
        (e.kind, e.to_status, e.data.get("action", ""))
        for e in case.events.filter(seq__gt=after).order_by("seq")
    ]


def test_an_officer_answers_a_case_nobody_holds_in_one_step(city):
    case = queued(city)
    before = case.last_event_seq
    assert services.may(city.officer, case, Action.RESOLVE)

    case = services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Reparat.",
        decision=GRANTED,
    )

    assert (case.status, case.assignee, case.answer) == ("resolved", city.officer, "Reparat.")
    assert moves(case, before) == [
        ("status_changed", "assigned", "accept"),
        ("accepted", "", ""),
        ("status_changed", "in_progress", "start"),
        ("status_changed", "resolved", "resolve"),
    ]
    implied = case.events.filter(seq__gt=before, data__implied_by="resolve")
    assert implied.count() == 3
    assert {e.actor for e in implied} == {city.officer}


def test_an_officer_taking_a_case_nobody_holds_into_work_holds_it(city):
    case = queued(city)
    before = case.last_event_seq

    case = services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)

    assert (case.status, case.assignee) == ("in_progress", city.officer)
    assert moves(case, before) == [
        ("status_changed", "assigned", "accept"),
        ("accepted", "", ""),
        ("status_changed", "in_progress", "start"),
    ]


def test_a_case_already_with_an_officer_is_only_started_then_answered(city):
    case = queued(city)
    services.assign(
        case_id=case.pk, actor=city.head, department=city.technical, assignee=city.officer
    )
    case.refresh_from_db()
    before = case.last_event_seq

    case = services.change_status(
        case_id=case.pk, actor=city.officer, action=Action.RESOLVE, text="Gata.", decision=GRANTED
    )

    assert [m[2] for m in moves(case, before)] == ["start", "resolve"]


def test_an_answer_refused_records_none_of_the_implied_steps(city):
    case = queued(city)
    before = case.last_event_seq

    with pytest.raises(DomainError):
        services.change_status(
            case_id=case.pk,
            actor=city.officer,
            action=Action.RESOLVE,
            text="Reparat.",
            decision=Decision(outcome="granted", legal_basis="no-such-basis"),
        )

    case.refresh_from_db()
    assert (case.status, case.assignee, case.last_event_seq) == ("assigned", None, before)
    assert not case.events.filter(seq__gt=before).exists()


def test_who_may_not_answer_is_not_offered_it(city):
    case = queued(city)
    assert not services.may(city.dispatcher, case, Action.RESOLVE)
    assert not services.may(city.lighting_officer, case, Action.RESOLVE)
    assert not services.may(city.officer, city.report(), Action.RESOLVE)  # still new


def test_each_case_keeps_the_first_moment_any_term_falls_due(city):
    with time_machine.travel(T0, tick=False):
        case = queued(city, category=city.lamp, answers={"pole": "7"})
    # The lamp's 72 hours come long before the answer's date.
    assert case.service_due is not None and case.internal_due is not None
    assert case.due_at == case.service_due < end_of_day(case.internal_due)

    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
        services.change_status(
            case_id=case.pk, actor=city.officer, action=Action.WAIT, text="Așteptăm."
        )
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        case = services.change_status(case_id=case.pk, actor=city.officer, action=Action.RESUME)
    # The pause moved the service target, and the earliest due moment with it.
    case.refresh_from_db()
    assert case.service_due is not None
    assert case.due_at == case.service_due > T0 + timedelta(hours=72)

    case = services.correct_details(case_id=case.pk, actor=city.dispatcher, category=city.pothole)
    case.refresh_from_db()
    assert case.service_due is not None and case.internal_due is not None
    assert case.due_at == min(case.service_due, end_of_day(case.internal_due))


def test_the_migration_gives_every_case_its_earliest_due_moment(city):
    migration = __import__(
        "cetate.cases.migrations.0015_due_at_reopened", fromlist=["give_cases_their_due_at"]
    )
    case = queued(city)
    Case.objects.filter(pk=case.pk).update(
        due_at=None, internal_due=date(2026, 4, 1), legal_due=date(2026, 4, 8), service_due=None
    )
    question = city.report(kind="inquiry", category=None)
    Case.objects.filter(pk=question.pk).update(
        due_at=None, internal_due=None, legal_due=None, service_due=None
    )

    migration.give_cases_their_due_at(django_apps, None)

    assert Case.objects.get(pk=case.pk).due_at == end_of_day(date(2026, 4, 1))
    assert Case.objects.get(pk=question.pk).due_at is None


def test_a_case_reopened_by_its_resident_stays_marked_until_answered_again(city):
    case = queued(city)
    case = services.change_status(
        case_id=case.pk, actor=city.officer, action=Action.RESOLVE, text="Gata.", decision=GRANTED
    )
    assert case.reopened_at is None
    with time_machine.travel(T0, tick=False):
        case = services.record_feedback(case_id=case.pk, satisfied=False, comment="Tot acolo.")
    assert (case.status, case.reopened_at) == ("in_progress", T0)

    services.add_note(case_id=case.pk, actor=city.officer, text="Merg din nou.")
    case.refresh_from_db()
    assert case.reopened_at == T0

    case = services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Acum da.",
        decision=GRANTED,
    )
    case.refresh_from_db()
    assert case.reopened_at is None


def test_the_migration_marks_the_open_cases_reopened_since_their_last_answer(city):
    migration = __import__(
        "cetate.cases.migrations.0015_due_at_reopened", fromlist=["mark_reopened_cases"]
    )
    reopened = queued(city)
    services.change_status(
        case_id=reopened.pk, actor=city.officer, action=Action.RESOLVE, text="A.", decision=GRANTED
    )
    with time_machine.travel(T0, tick=False):
        services.reopen(case_id=reopened.pk, actor=city.head, reason="Incomplet.")
    answered_again = queued(city)
    services.change_status(
        case_id=answered_again.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="A.",
        decision=GRANTED,
    )
    services.reopen(case_id=answered_again.pk, actor=city.head, reason="Incomplet.")
    services.change_status(
        case_id=answered_again.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="B.",
        decision=GRANTED,
    )
    Case.objects.update(reopened_at=None)

    migration.mark_reopened_cases(django_apps, None)

    assert Case.objects.get(pk=reopened.pk).reopened_at == T0
    assert Case.objects.get(pk=answered_again.pk).reopened_at is None
