"""Triage at the case card: corrections and routing in one step, relocation, and the refusal of
a change made on a page the case has moved on from."""

from datetime import datetime
from typing import Any

import pytest
import time_machine

from cetate import test as places
from cetate.accounts.roles import Role
from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.models import Case
from cetate.cases.services import InvalidCase, StaleCase
from cetate.cases.workflow import Action
from cetate.directory.models import RoutingRule
from cetate.test import make_user

# Points typed for keyword arguments.
IN_CENTRE: dict[str, Any] = dict(places.IN_CENTRE)
INSIDE: dict[str, Any] = dict(places.INSIDE)
OUTSIDE: dict[str, Any] = dict(places.OUTSIDE)
MORNING = datetime(2026, 3, 2, 10, 42, tzinfo=CITY_TZ)


@pytest.fixture
def ana(city):
    user = make_user("ana", Role.DISPATCHER)
    user.first_name, user.last_name = "Ana", "Pop"
    user.save()
    return user


def history(case: Case) -> list[str]:
    return list(case.events.order_by("seq").values_list("kind", flat=True))


def test_a_change_on_a_page_opened_before_someone_else_acted_is_refused(city, ana):
    with time_machine.travel(MORNING, tick=False):
        case = city.report()
        seen = case.last_event_seq
        services.assign(case_id=case.pk, actor=ana, department=city.technical)
    before = history(case)

    with (
        time_machine.travel(MORNING.replace(minute=50), tick=False),
        pytest.raises(StaleCase) as refused,
    ):
        services.triage(
            case_id=case.pk,
            actor=city.dispatcher,
            category=city.lamp,
            department=city.lighting,
            seen=seen,
        )

    assert str(refused.value) == (
        f"Case {case.number} was changed by Ana Pop at 10:42 (assigned) after you opened it. "
        "Review it and try again."
    )
    case.refresh_from_db()
    assert (case.category, case.department) == (city.pothole, city.technical)
    assert history(case) == before


def test_the_refusal_names_everyone_who_acted_and_the_day_when_it_was_not_today(city, ana):
    with time_machine.travel(MORNING, tick=False):
        case = city.report()
        seen = case.last_event_seq
        services.assign(case_id=case.pk, actor=ana, department=city.technical)
        services.add_note(case_id=case.pk, actor=city.officer, text="Merg mâine la fața locului.")
    with (
        time_machine.travel(datetime(2026, 3, 3, 8, 0, tzinfo=CITY_TZ), tick=False),
        pytest.raises(StaleCase, match=r"by Ana Pop at 02\.03\.2026 10:42 \(assigned\) and by "),
    ):
        services.change_status(
            case_id=case.pk, actor=city.dispatcher, action=Action.REJECT, text="x", seen=seen
        )


def test_a_notification_sent_meanwhile_is_no_change(city):
    case = city.report()
    seen = case.last_event_seq
    created = case.events.get(seq=1)
    services.record_notification(about=created, channel="email", recipient="ion@example.org")

    case = services.triage(case_id=case.pk, actor=city.dispatcher, seen=seen)

    assert case.status == "assigned"


@pytest.mark.parametrize(
    "act",
    [
        lambda city, case, seen: services.add_note(
            case_id=case.pk, actor=city.dispatcher, text="notă", seen=seen
        ),
        lambda city, case, seen: services.message_resident(
            case_id=case.pk, actor=city.dispatcher, text="mesaj", seen=seen
        ),
        lambda city, case, seen: services.redirect(
            case_id=case.pk, actor=city.dispatcher, to=city.water_operator, reason="apă", seen=seen
        ),
        lambda city, case, seen: services.merge(
            case_id=case.pk, into_case_id=city.report().pk, actor=city.dispatcher, seen=seen
        ),
        lambda city, case, seen: services.cancel_registration(
            case_id=case.pk, actor=city.dispatcher, reason="greșeală", seen=seen
        ),
        lambda city, case, seen: services.relocate(
            case_id=case.pk, actor=city.dispatcher, seen=seen, **IN_CENTRE
        ),
    ],
    ids=["note", "message", "redirect", "merge", "cancel", "relocate"],
)
def test_every_service_of_the_card_checks_what_the_user_saw(city, act):
    case = city.report()
    seen = case.last_event_seq
    services.add_note(case_id=case.pk, actor=city.supervisor, text="Am sunat cetățeanul.")
    before = history(case)

    with pytest.raises(StaleCase, match="internal note"):
        act(city, case, seen)

    assert history(case) == before
    # Without `seen` (other callers), nothing is checked.
    act(city, case, None)
    assert len(history(case)) > len(before)


def test_relocating_recomputes_the_area_and_records_old_and_new(city):
    case = city.report(address="Str. Lungă 1")
    assert case.area == city.boundary

    case = services.relocate(
        case_id=case.pk, actor=city.dispatcher, address="Piața Centrală 2", **IN_CENTRE
    )

    assert (case.latitude, case.longitude) == (IN_CENTRE["latitude"], IN_CENTRE["longitude"])
    assert (case.area, case.address) == (city.centre, "Piața Centrală 2")
    edited = case.events.get(kind="edited")
    assert edited.data["area_name"] == ["Orașul de test", "Centru"]
    assert edited.data["address"] == ["Str. Lungă 1", "Piața Centrală 2"]
    assert edited.data["latitude"] == [INSIDE["latitude"], IN_CENTRE["latitude"]]


def test_relocating_outside_the_city_is_refused(city):
    case = city.report()
    with pytest.raises(InvalidCase, match="outside"):
        services.relocate(case_id=case.pk, actor=city.dispatcher, **OUTSIDE)
    case.refresh_from_db()
    assert (case.latitude, case.area) == (INSIDE["latitude"], city.boundary)
    assert history(case) == ["created"]


def test_relocating_outside_is_fine_where_the_category_allows_it(city):
    city.pothole.outside_city_allowed = True
    city.pothole.save()
    case = services.relocate(case_id=city.report().pk, actor=city.dispatcher, **OUTSIDE)
    assert (case.latitude, case.area) == (OUTSIDE["latitude"], None)


def test_relocating_to_the_same_place_records_nothing(city):
    case = city.report()
    services.relocate(case_id=case.pk, actor=city.dispatcher, **INSIDE)
    assert history(case) == ["created"]


def test_only_triage_and_heads_relocate(city):
    case = city.report()
    with pytest.raises(NotAllowed):
        services.relocate(case_id=case.pk, actor=city.clerk, **IN_CENTRE)


def test_triage_routes_to_the_categorys_department_by_default(city):
    case = city.report()

    case = services.triage(case_id=case.pk, actor=city.dispatcher, category=city.lamp, priority=3)

    assert (case.status, case.category, case.department, case.priority) == (
        "assigned",
        city.lamp,
        city.lighting,
        3,
    )
    assert history(case) == ["created", "edited", "status_changed", "assigned"]
    assert case.events.get(kind="assigned").data["department_name"] == "Serviciul Iluminat Public"


def test_triage_follows_the_area_rule_of_the_corrected_place(city):
    RoutingRule.objects.create(category=city.pothole, area=city.centre, department=city.lighting)
    case = city.report()

    case = services.triage(case_id=case.pk, actor=city.dispatcher, **IN_CENTRE)

    assert (case.area, case.department) == (city.centre, city.lighting)
    assert history(case) == ["created", "edited", "status_changed", "assigned"]


def test_triage_to_a_chosen_department_and_officer(city):
    case = services.triage(
        case_id=city.report().pk,
        actor=city.dispatcher,
        department=city.technical,
        assignee=city.officer,
        note="Urgent, lângă școală.",
    )
    assert (case.department, case.assignee) == (city.technical, city.officer)
    assert case.events.get(kind="assigned").text == "Urgent, lângă școală."


def test_a_refused_assignment_leaves_the_corrections_unwritten(city):
    case = city.report()
    with pytest.raises(DomainError, match="not a member"):
        services.triage(
            case_id=case.pk,
            actor=city.dispatcher,
            category=city.noise,
            department=city.technical,
            assignee=city.lighting_officer,
            **IN_CENTRE,
        )
    case.refresh_from_db()
    assert (case.category, case.area, case.status) == (city.pothole, city.boundary, "new")
    assert history(case) == ["created"]


def test_triage_of_a_routed_case_reassigns_only_what_changed(city):
    case = services.triage(case_id=city.report().pk, actor=city.dispatcher)
    assert history(case) == ["created", "status_changed", "assigned"]

    services.triage(case_id=case.pk, actor=city.dispatcher, priority=case.priority)
    assert len(history(case)) == 3

    case = services.triage(case_id=case.pk, actor=city.dispatcher, assignee=city.officer)
    assert case.assignee == city.officer
    assert history(case)[-1] == "assigned"


def test_triage_needs_a_department_when_no_rule_gives_one(city):
    city.noise.department = None
    city.noise.save()
    case = city.report(category=city.noise)
    with pytest.raises(DomainError, match="choose the department"):
        services.triage(case_id=case.pk, actor=city.dispatcher)


def test_a_desk_clerk_cannot_triage(city):
    case = city.report(actor=city.clerk)
    with pytest.raises(NotAllowed):
        services.triage(case_id=case.pk, actor=city.clerk, department=city.technical)
    with pytest.raises(NotAllowed):
        services.triage(case_id=case.pk, actor=city.clerk, priority=4)
    assert history(case) == ["created"]
