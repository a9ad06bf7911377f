"""The filters shared by the console's case lists and map: what each one keeps, who sees what,
and bad input reported as messages."""

from datetime import datetime, timedelta

import pytest
from django.http import QueryDict

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ, DeadlineState
from cetate.cases.workflow import Action
from cetate.console.filters import (
    CaseFilters,
    case_listing,
    category_choices,
    deadline_note,
    filtered_cases,
)
from cetate.lib.clock import replaying_at
from cetate.test import IN_CENTRE

NOW = datetime(2026, 3, 16, 10, 0, tzinfo=CITY_TZ)  # a Monday


def numbers(cases):
    return {case.number for case in cases}


def matching(user, query="", now=NOW):
    return numbers(filtered_cases(user, QueryDict(query), now))


@pytest.fixture
def cases(city):
    """A month-old pothole (overdue), a lamp out since yesterday (due soon), a fresh pothole in
    the centre (on time), a noise complaint at the desk, and a closed question."""
    with replaying_at(NOW - timedelta(days=40)):
        old = city.report(auto_route=True, address="Str. Mihai Viteazul 3")
    with replaying_at(NOW - timedelta(days=1)):
        lamp = city.report(category=city.lamp, answers={"pole": "17"}, auto_route=True)
    with replaying_at(NOW):
        fresh = city.report(auto_route=True, address="Bd. Transilvaniei 10", **IN_CENTRE)
        desk = city.report(
            kind="complaint", channel="desk", actor=city.clerk, category=city.noise, auto_route=True
        )
        question = city.report(
            kind="inquiry",
            category=None,
            answer_on_spot="Programul este 8-16.",
            latitude=None,
            longitude=None,
        )
    return {"old": old, "lamp": lamp, "fresh": fresh, "desk": desk, "question": question}


def test_open_cases_by_default(city, cases):
    assert matching(city.dispatcher) == numbers(
        [cases["old"], cases["lamp"], cases["fresh"], cases["desk"]]
    )
    form = CaseFilters(QueryDict(""))
    assert {str(option.data["value"]) for option in form["status"] if option.data["selected"]} == {
        "new",
        "assigned",
        "in_progress",
        "waiting",
    }


def test_statuses_ticked(city, cases):
    assert matching(city.dispatcher, "status=closed") == {cases["question"].number}
    assert matching(city.dispatcher, "status=closed&status=assigned") == numbers(
        [cases["question"], cases["old"], cases["lamp"], cases["fresh"], cases["desk"]]
    )


def test_kind_channel_department(city, cases):
    assert matching(city.dispatcher, "kind=complaint") == {cases["desk"].number}
    assert matching(city.dispatcher, "channel=desk") == {cases["desk"].number}
    assert matching(city.dispatcher, f"department={city.lighting.pk}") == {cases["lamp"].number}


def test_a_category_or_its_whole_group(city, cases):
    assert matching(city.dispatcher, f"category={city.lamp.pk}") == {cases["lamp"].number}
    roads = city.pothole.parent_id
    assert matching(city.dispatcher, f"category={roads}") == numbers([cases["old"], cases["fresh"]])
    choices = category_choices()[1:]
    assert [(group, [str(label) for _, label in options]) for group, options in choices] == [
        ("Lighting", ["Lighting: all", "Lamp out"]),
        ("Ordine publică", ["Ordine publică: all", "Zgomot"]),
        ("Roads", ["Roads: all", "Pothole"]),
    ]


def test_an_area_holds_the_areas_inside_it(city, cases):
    assert matching(city.dispatcher, f"area={city.centre.pk}") == {cases["fresh"].number}
    assert matching(city.dispatcher, f"area={city.boundary.pk}") == numbers(
        [cases["old"], cases["lamp"], cases["fresh"], cases["desk"]]
    )


def test_period_of_registration_in_the_city_calendar(city, cases):
    yesterday = (NOW - timedelta(days=1)).date().isoformat()
    assert matching(city.dispatcher, f"registered_from={yesterday}&registered_to={yesterday}") == {
        cases["lamp"].number
    }
    assert matching(city.dispatcher, f"registered_to={yesterday}") == numbers(
        [cases["old"], cases["lamp"]]
    )
    assert matching(city.dispatcher, f"registered_from={NOW.date().isoformat()}") == numbers(
        [cases["fresh"], cases["desk"]]
    )


def test_deadline_states(city, cases):
    assert matching(city.dispatcher, "deadline=overdue") == {cases["old"].number}
    assert matching(city.dispatcher, "deadline=due_soon") == {cases["lamp"].number}
    assert matching(city.dispatcher, "deadline=on_time") == numbers([cases["fresh"], cases["desk"]])


def test_number_or_address(city, cases):
    fresh = cases["fresh"]
    assert matching(city.dispatcher, f"q={fresh.number}") == {fresh.number}
    assert matching(city.dispatcher, f"q={fresh.registration_number}") == {fresh.number}
    assert matching(city.dispatcher, f"q={fresh.registration_number}/1999") == set()
    assert matching(city.dispatcher, "q=transilvaniei") == {fresh.number}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("registered_from=31.02.2026", "registered_from", "Enter a date such as 2026-03-31."),
        ("registered_to=0001-01-01", "registered_to", "Enter a date between 1990 and 2999."),
        ("registered_to=9999-12-31", "registered_to", "Enter a date between 1990 and 2999."),
        ("category=abc", "category", "Select a valid choice. abc is not one of the"),
        ("status=lost", "status", "Select a valid choice. lost is not one of the"),
        ("deadline=yesterday", "deadline", "Select a valid choice. yesterday is not one of the"),
    ],
)
def test_bad_input_is_reported_and_left_out(city, cases, query, field, message):
    form = CaseFilters(QueryDict(query))
    assert not form.is_valid()
    assert any(error.startswith(message) for error in form.errors[field])
    # The valid filters still apply: the open cases by default.
    assert numbers(form.cases(city.dispatcher, NOW)) == numbers(
        [cases["old"], cases["lamp"], cases["fresh"], cases["desk"]]
    )


def test_a_period_ending_before_it_starts(city, cases):
    form = CaseFilters(QueryDict("registered_from=2026-03-10&registered_to=2026-03-01"))
    assert form.errors == {"registered_to": ["The end of the period comes before its start."]}
    # Only the end is left out: the start still applies.
    assert numbers(form.cases(city.dispatcher, NOW)) == numbers(
        [cases["lamp"], cases["fresh"], cases["desk"]]
    )


def test_an_officer_sees_only_their_departments_cases(city, cases):
    assert matching(city.officer) == numbers([cases["old"], cases["fresh"], cases["desk"]])
    assert matching(city.lighting_officer) == {cases["lamp"].number}
    assert matching(city.officer, f"department={city.lighting.pk}") == set()


def test_a_desk_clerk_sees_the_cases_they_registered(city, cases):
    assert matching(city.clerk) == {cases["desk"].number}


def test_deadline_notes(city, cases):
    old = deadline_note(cases["old"], NOW)
    assert (old.state, old.label) == (DeadlineState.OVERDUE, "overdue")
    assert old.days.endswith("days late")
    lamp = deadline_note(cases["lamp"], NOW)
    assert (lamp.state, lamp.days) == (DeadlineState.DUE_SOON, "2 days left")
    question = deadline_note(cases["question"], NOW)
    assert (question.state, question.days) == (DeadlineState.NONE, "")


def test_listing_sorts_and_pages(city, cases):
    form = CaseFilters(QueryDict("sort=registered"))
    listing = case_listing(form, city.dispatcher, NOW, page="1")
    assert [row.case for row in listing.rows][:2] == [cases["old"], cases["lamp"]]
    assert listing.by_registration.aria_sort == "ascending"
    assert "sort=-registered" in listing.by_registration.query
    assert listing.by_deadline.aria_sort == "none"
    due = case_listing(CaseFilters(QueryDict("sort=due")), city.dispatcher, NOW, page=None)
    assert due.rows[0].case == cases["old"]
    assert case_listing(CaseFilters(), city.dispatcher, NOW, page="nonsense").page.number == 1
    # A case without a deadline comes last whichever way deadlines are sorted.
    for order in ("due", "-due"):
        query = QueryDict(f"status=closed&status=assigned&sort={order}")
        listed = case_listing(CaseFilters(query), city.dispatcher, NOW, page=None).rows
        assert listed[-1].case == cases["question"]


def test_listing_pages_keep_the_filters(city):
    for _ in range(51):
        services.change_status(
            case_id=city.report(auto_route=True).pk, actor=city.officer, action=Action.START
        )
    listing = case_listing(
        CaseFilters(QueryDict("status=in_progress&kind=report")), city.dispatcher, NOW, page=None
    )
    assert listing.count == 51
    assert len(listing.rows) == 50
    assert listing.previous_query is None
    assert QueryDict(listing.next_query) == QueryDict("status=in_progress&kind=report&page=2")
