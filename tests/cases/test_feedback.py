"""The resident's answer after resolution: solved closes, not solved reopens or flags, once."""

from datetime import datetime
from typing import Any

import pytest
import time_machine

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.directory.models import WhenNotResolved
from cetate.test import GRANTED

ANSWERED_AT = datetime(2026, 3, 9, 18, 30, tzinfo=CITY_TZ)


def resolved(city, **overrides) -> Case:
    case = city.report(**overrides)
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    return services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Groapa a fost astupată.",
        decision=GRANTED,
    )


def new_events(case: Case, since: int) -> list[tuple[str, str, bool, dict[str, Any]]]:
    return [
        (e.kind, e.to_status, e.public, e.data)
        for e in case.events.filter(seq__gt=since).order_by("seq")
    ]


def test_satisfied_closes_the_case(city):
    case = resolved(city)
    before = case.last_event_seq
    with time_machine.travel(ANSWERED_AT, tick=False):
        case = services.record_feedback(case_id=case.pk, satisfied=True, comment=" Mulțumesc! ")
    assert (case.status, case.feedback, case.feedback_at) == ("closed", "satisfied", ANSWERED_AT)
    assert new_events(case, before) == [
        ("feedback", "", False, {"feedback": "satisfied", "outcome": "closed"}),
        ("status_changed", "closed", True, {"action": "close", "feedback": "satisfied"}),
    ]
    feedback = case.events.get(kind="feedback")
    assert (feedback.actor, feedback.text) == (None, "Mulțumesc!")
    assert case.events.get(kind="status_changed", to_status="closed").actor is None


def test_not_resolved_reopens_the_case_by_default(city):
    assert city.pothole.when_not_resolved == WhenNotResolved.REOPEN
    case = resolved(city)
    before = case.last_event_seq
    case = services.record_feedback(case_id=case.pk, satisfied=False, comment="Groapa e tot acolo.")
    assert (case.status, case.resolved_at, case.department) == (
        "in_progress",
        None,
        city.technical,
    )
    # Cleared, so that the next resolution asks again; the answer stays in the history.
    assert (case.feedback, case.feedback_at) == ("", None)
    assert new_events(case, before) == [
        ("feedback", "", False, {"feedback": "not_resolved", "outcome": "reopened"}),
        ("status_changed", "in_progress", True, {"action": "reopen"}),
        ("reopened", "", False, {}),
    ]
    reopening = case.events.get(kind="status_changed", data__action="reopen")
    assert (reopening.actor, reopening.text) == (None, "Groapa e tot acolo.")
    assert case.events.get(kind="reopened").text == "Groapa e tot acolo."


def test_reopening_without_a_comment_says_why(city):
    case = resolved(city)
    case = services.record_feedback(case_id=case.pk, satisfied=False)
    assert case.events.get(kind="feedback").text == ""
    assert case.events.get(kind="reopened").text == "The resident says the problem is not solved."


def test_reopening_tells_the_resident(city, mailoutbox, django_capture_on_commit_callbacks):
    case = resolved(city)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_feedback(case_id=case.pk, satisfied=False, comment="Tot e groapă.")
    [mail] = mailoutbox
    assert case.number in mail.subject
    assert "Tot e groapă." in mail.body


def test_satisfied_sends_no_mail(city, mailoutbox, django_capture_on_commit_callbacks):
    case = resolved(city)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.record_feedback(case_id=case.pk, satisfied=True)
    assert callbacks == []


def test_a_category_set_to_flag_leaves_the_case_resolved_for_the_supervisor(city):
    city.pothole.when_not_resolved = WhenNotResolved.FLAG
    city.pothole.save()
    case = resolved(city)
    before = case.last_event_seq
    with time_machine.travel(ANSWERED_AT, tick=False):
        case = services.record_feedback(case_id=case.pk, satisfied=False, comment="Nu e gata.")
    assert (case.status, case.feedback, case.feedback_at) == (
        "resolved",
        "not_resolved",
        ANSWERED_AT,
    )
    assert case.resolved_at is not None
    assert new_events(case, before) == [
        ("feedback", "", False, {"feedback": "not_resolved", "outcome": "flagged"}),
    ]
    flagged = Case.objects.filter(status="resolved", feedback="not_resolved")
    assert list(flagged) == [case]


def test_satisfied_closes_even_in_a_category_set_to_flag(city):
    city.pothole.when_not_resolved = WhenNotResolved.FLAG
    city.pothole.save()
    case = services.record_feedback(case_id=resolved(city).pk, satisfied=True)
    assert (case.status, case.feedback) == ("closed", "satisfied")


@pytest.mark.parametrize("first", [True, False])
@pytest.mark.parametrize("second", [True, False])
def test_a_second_answer_is_refused_and_changes_nothing(city, first, second):
    city.pothole.when_not_resolved = WhenNotResolved.FLAG
    city.pothole.save()
    case = services.record_feedback(case_id=resolved(city).pk, satisfied=first)
    with pytest.raises(DomainError, match="already been recorded"):
        services.record_feedback(case_id=case.pk, satisfied=second, comment="Altceva")
    again = Case.objects.get(pk=case.pk)
    assert (again.status, again.feedback, again.last_event_seq) == (
        case.status,
        case.feedback,
        case.last_event_seq,
    )
    assert again.events.filter(kind="feedback").count() == 1


def test_after_reopening_the_case_does_not_take_an_answer_until_resolved_again(city):
    case = services.record_feedback(case_id=resolved(city).pk, satisfied=False)
    with pytest.raises(DomainError, match="only a resolved case asks"):
        services.record_feedback(case_id=case.pk, satisfied=True)
    assert Case.objects.get(pk=case.pk).status == "in_progress"


@pytest.mark.parametrize("status_of", ["new", "closed by staff"])
def test_a_case_that_is_not_resolved_refuses_an_answer(city, status_of):
    if status_of == "new":
        case = city.report()
    else:
        case = resolved(city)
        services.change_status(case_id=case.pk, actor=city.head, action=Action.CLOSE)
    seq = Case.objects.get(pk=case.pk).last_event_seq
    with pytest.raises(DomainError, match="only a resolved case asks"):
        services.record_feedback(case_id=case.pk, satisfied=True)
    assert Case.objects.get(pk=case.pk).last_event_seq == seq


def test_reopened_then_resolved_again_asks_again(city):
    case = services.record_feedback(case_id=resolved(city).pk, satisfied=False)
    case = services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Astupată din nou.",
        decision=GRANTED,
    )
    assert services.feedback_refusal(case) is None
    case = services.record_feedback(case_id=case.pk, satisfied=True)
    assert (case.status, case.feedback) == ("closed", "satisfied")
    outcomes = [e.data["outcome"] for e in case.events.filter(kind="feedback").order_by("seq")]
    assert outcomes == ["reopened", "closed"]


def test_staff_reopening_clears_the_answer_so_the_next_resolution_asks_again(city):
    case = services.record_feedback(case_id=resolved(city).pk, satisfied=True)
    case = services.reopen(case_id=case.pk, actor=city.head, reason="Groapa a reapărut")
    assert (case.feedback, case.feedback_at) == ("", None)
    case = services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Reparată.",
        decision=GRANTED,
    )
    assert services.feedback_refusal(case) is None


def test_flagged_case_reopened_by_the_head_asks_again_after_resolution(city):
    city.pothole.when_not_resolved = WhenNotResolved.FLAG
    city.pothole.save()
    case = services.record_feedback(case_id=resolved(city).pk, satisfied=False)
    case = services.reopen(case_id=case.pk, actor=city.head, reason="Reluăm lucrarea")
    assert case.feedback == ""
    case = services.change_status(
        case_id=case.pk, actor=city.officer, action=Action.RESOLVE, text="Gata.", decision=GRANTED
    )
    case = services.record_feedback(case_id=case.pk, satisfied=True)
    assert case.status == "closed"


def test_a_case_without_category_reopens(city):
    case = resolved(city)
    Case.objects.filter(pk=case.pk).update(category=None)
    case = services.record_feedback(case_id=case.pk, satisfied=False)
    assert case.status == "in_progress"
