"""Assigning many cases at once: each case on its own, each refusal with its reason."""

from cetate.accounts.roles import Role
from cetate.cases import services
from cetate.cases.choices import EventKind
from cetate.cases.models import Case
from cetate.cases.workflow import Action, Status
from cetate.test import GRANTED, make_user


def _routed(city, count, department=None):
    cases = [city.report() for _ in range(count)]
    for case in cases:
        services.assign(
            case_id=case.pk, actor=city.dispatcher, department=department or city.technical
        )
    return cases


def test_a_head_reassigns_in_bulk_and_a_closed_case_does_not_stop_the_others(city):
    first, second, done = _routed(city, 3)
    services.change_status(case_id=done.pk, actor=city.officer, action=Action.START)
    services.change_status(
        case_id=done.pk, actor=city.officer, action=Action.RESOLVE, text="Reparat", decision=GRANTED
    )
    services.change_status(case_id=done.pk, actor=city.dispatcher, action=Action.CLOSE)

    result = services.assign_many(
        case_ids=[first.pk, done.pk, second.pk],
        actor=city.head,
        assignee=city.officer,
        note="Pentru săptămâna aceasta",
    )

    assert [o.number for o in result.done] == [first.number, second.number]
    assert [o.number for o in result.refused] == [done.number]
    assert "closed" in result.refused[0].reason
    for case in (first, second):
        case.refresh_from_db()
        assert case.assignee == city.officer
        assert case.department == city.technical
        event = case.events.order_by("-seq").first()
        assert event.kind == EventKind.ASSIGNED
        assert event.actor == city.head
        assert event.text == "Pentru săptămâna aceasta"
    done.refresh_from_db()
    assert not done.events.filter(kind=EventKind.ASSIGNED, actor=city.head).exists()
    assert done.status == Status.CLOSED


def test_an_officer_without_head_powers_is_refused_on_every_case(city):
    cases = _routed(city, 2)
    result = services.assign_many(
        case_ids=[c.pk for c in cases], actor=city.officer, assignee=city.officer
    )
    assert result.done == []
    assert {o.number for o in result.refused} == {c.number for c in cases}
    assert all("does not allow" in o.reason for o in result.refused)
    assert not Case.objects.filter(assignee__isnull=False).exists()


def test_a_head_cannot_assign_the_cases_of_another_department(city):
    lighting_head = make_user(
        "sef-iluminat",
        Role.OFFICER,
        Role.DEPARTMENT_HEAD,
        departments=(city.lighting,),
        heads=(city.lighting,),
    )
    (technical_case,) = _routed(city, 1)
    (lighting_case,) = _routed(city, 1, department=city.lighting)

    result = services.assign_many(
        case_ids=[technical_case.pk, lighting_case.pk],
        actor=lighting_head,
        assignee=city.lighting_officer,
    )

    assert [o.number for o in result.done] == [lighting_case.number]
    assert [o.number for o in result.refused] == [technical_case.number]
    technical_case.refresh_from_db()
    assert technical_case.assignee is None


def test_an_officer_of_another_department_is_refused_and_missing_cases_are_reported(city):
    (case,) = _routed(city, 1)
    result = services.assign_many(
        case_ids=[case.pk, case.pk, 999_999], actor=city.head, assignee=city.lighting_officer
    )
    assert result.done == []
    assert [o.case_id for o in result.refused] == [case.pk, 999_999]
    assert "not a member" in result.refused[0].reason
    assert result.refused[1].reason == "There is no such case."
    case.refresh_from_db()
    assert case.assignee is None
