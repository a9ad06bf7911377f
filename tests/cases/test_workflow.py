"""Every transition of the table, tried by every persona: allowed exactly for the right roles."""

import pytest

from cetate.cases import services
from cetate.cases.errors import IllegalTransition, NotAllowed
from cetate.cases.models import Case
from cetate.cases.workflow import IMPLIED, TRANSITIONS, Action, Status
from cetate.test import GRANTED

A, S = Action, Status
PERSONAS = ["dispatcher", "clerk", "officer", "lighting_officer", "head", "supervisor", "admin"]
TRIAGE = {"dispatcher", "supervisor", "admin"}
HEADS = {"head", "supervisor", "admin"}
WORKERS = {"officer", "head", "supervisor", "admin"}

# Who may do what, written out by hand: the officer and the head belong to the technical
# department the case is routed to; the lighting officer belongs to another department.
WHO_MAY = {
    (A.ASSIGN, S.NEW): TRIAGE,
    (A.ASSIGN, S.ASSIGNED): TRIAGE | HEADS,
    (A.ASSIGN, S.IN_PROGRESS): TRIAGE | HEADS,
    (A.ASSIGN, S.WAITING): TRIAGE | HEADS,
    (A.REROUTE, S.ASSIGNED): TRIAGE | WORKERS,
    (A.REROUTE, S.IN_PROGRESS): TRIAGE | WORKERS,
    (A.REROUTE, S.WAITING): TRIAGE | WORKERS,
    (A.ACCEPT, S.ASSIGNED): {"officer", "head"},
    (A.START, S.ASSIGNED): WORKERS,
    (A.WAIT, S.IN_PROGRESS): WORKERS,
    (A.RESUME, S.WAITING): WORKERS,
    (A.RESOLVE, S.IN_PROGRESS): WORKERS,
    (A.RESOLVE, S.WAITING): WORKERS,
    (A.CLOSE, S.RESOLVED): TRIAGE | WORKERS,
    (A.ANSWER_ON_SPOT, S.NEW): TRIAGE | {"clerk"},
    (A.REJECT, S.NEW): TRIAGE,
    (A.REJECT, S.ASSIGNED): HEADS,
    (A.REJECT, S.IN_PROGRESS): HEADS,
    (A.FILE, S.NEW): TRIAGE | {"clerk"},
    (A.REDIRECT, S.NEW): TRIAGE,
    (A.REDIRECT, S.ASSIGNED): TRIAGE | WORKERS,
    (A.REDIRECT, S.IN_PROGRESS): TRIAGE | WORKERS,
    (A.MERGE, S.NEW): TRIAGE,
    (A.MERGE, S.ASSIGNED): TRIAGE | HEADS,
    (A.MERGE, S.IN_PROGRESS): TRIAGE | HEADS,
    (A.MERGE, S.WAITING): TRIAGE | HEADS,
    (A.REOPEN, S.RESOLVED): TRIAGE | HEADS,
    (A.REOPEN, S.CLOSED): TRIAGE | HEADS,
    (A.CANCEL, S.NEW): TRIAGE,
    (A.CANCEL, S.ASSIGNED): TRIAGE,
}

PATH_TO = {
    S.NEW: [],
    S.ASSIGNED: [A.ASSIGN],
    S.IN_PROGRESS: [A.ASSIGN, A.START],
    S.WAITING: [A.ASSIGN, A.START, A.WAIT],
    S.RESOLVED: [A.ASSIGN, A.START, A.RESOLVE],
    S.CLOSED: [A.ASSIGN, A.START, A.RESOLVE, A.CLOSE],
}


def test_the_spec_covers_the_whole_table():
    assert {(t.action, t.source) for t in TRANSITIONS} == set(WHO_MAY)


def perform(city, case: Case, action: Action, actor) -> Case:
    if action == A.ASSIGN:
        return services.assign(
            case_id=case.pk, actor=actor, department=city.technical, assignee=city.officer
        )
    if action == A.REROUTE:
        return services.redirect(case_id=case.pk, actor=actor, to=city.lighting, reason="r")
    if action == A.REDIRECT:
        return services.redirect(
            case_id=case.pk, actor=actor, to=city.water_operator, reason="competent"
        )
    if action == A.MERGE:
        earlier = city.report(actor=city.supervisor)
        return services.merge(case_id=case.pk, into_case_id=earlier.pk, actor=actor)
    if action == A.ACCEPT:
        return services.accept(case_id=case.pk, actor=actor)
    if action == A.REOPEN:
        return services.reopen(case_id=case.pk, actor=actor, reason="not fixed")
    if action == A.CANCEL:
        return services.cancel_registration(case_id=case.pk, actor=actor, reason="typo")
    decision = GRANTED if action == A.RESOLVE else None
    return services.change_status(
        case_id=case.pk, actor=actor, action=action, text="text", decision=decision
    )


def case_in(city, status: Status, action: Action, persona) -> Case:
    if action == A.ANSWER_ON_SPOT:
        return city.report(kind="inquiry", category=None, actor=persona)
    case = city.report()
    if action == A.ACCEPT and status == S.ASSIGNED:
        # Only a case nobody holds can be accepted.
        return services.assign(case_id=case.pk, actor=city.supervisor, department=city.technical)
    for step in PATH_TO[status]:
        case = perform(city, case, step, city.supervisor)
    assert case.status == status
    return case


# Filing happens only as a petition on paper is registered (test_filing_at_intake_per_role).
AFTER_INTAKE = sorted(move for move in WHO_MAY if move[0] != A.FILE)


@pytest.mark.parametrize("persona_name", PERSONAS)
@pytest.mark.parametrize(
    ("action", "source"), AFTER_INTAKE, ids=lambda v: v.value if hasattr(v, "value") else v
)
def test_transition_per_role(city, action, source, persona_name):
    persona = getattr(city, persona_name)
    case = case_in(city, source, action, persona)
    events_before = case.events.count()
    target = next(t.target for t in TRANSITIONS if (t.action, t.source) == (action, source))
    if persona_name in WHO_MAY[(action, source)]:
        changed = perform(city, case, action, persona)
        assert changed.status == target
        assert case.events.count() > events_before
        last_change = case.events.filter(kind="status_changed").last()
        assert (last_change.from_status, last_change.to_status) == (source, target)
        assert last_change.actor == persona
    else:
        with pytest.raises(NotAllowed):
            perform(city, case, action, persona)
        case.refresh_from_db()
        assert case.status == source
        assert case.events.count() == events_before


@pytest.mark.parametrize("status", list(PATH_TO))
def test_actions_missing_from_the_table_are_illegal(city, status):
    allowed = {t.action for t in TRANSITIONS if t.source == status}
    # An action that takes implied steps first (an answer straight from the queue).
    allowed |= {action for action, source in IMPLIED if source == status}
    for action in set(Action) - allowed - {A.ANSWER_ON_SPOT, A.FILE}:
        case = case_in(city, status, action, city.supervisor)
        with pytest.raises(IllegalTransition):
            perform(city, case, action, city.supervisor)
        case.refresh_from_db()
        assert case.status == status


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_filing_at_intake_per_role(city, persona_name):
    persona = getattr(city, persona_name)
    letter = {
        "kind": "complaint",
        "channel": "post",
        "reporter": None,
        "category": None,
        "latitude": None,
        "longitude": None,
        "file_unidentified": True,
        "actor": persona,
    }
    if persona_name in WHO_MAY[(A.FILE, S.NEW)]:
        case = city.report(**letter)
        assert case.status == S.REJECTED
        last_change = case.events.get(kind="status_changed")
        assert (last_change.from_status, last_change.to_status) == (S.NEW, S.REJECTED)
        assert last_change.data["action"] == A.FILE
    else:
        with pytest.raises(NotAllowed):
            city.report(**letter)
        assert not Case.objects.exists()


def test_a_report_cannot_be_answered_on_the_spot(city):
    case = city.report()
    with pytest.raises(IllegalTransition, match="question"):
        services.change_status(
            case_id=case.pk, actor=city.dispatcher, action=A.ANSWER_ON_SPOT, text="answer"
        )


def test_final_statuses_have_no_way_out_but_reopening_closed(city):
    for final in (S.REJECTED, S.REDIRECTED, S.MERGED, S.CANCELLED):
        assert not [t for t in TRANSITIONS if t.source == final]
    reachable = {S.NEW} | {t.target for t in TRANSITIONS}
    assert reachable == set(Status)
