"""Suggestions of cases a new one may repeat: the same problem reported nearby lately, and the
same resident's open cases. Only the same resident's may be merged; the others are linked."""

import math
from datetime import datetime, timedelta

import pytest

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact, merge_contacts
from cetate.lib.clock import replaying_at
from cetate.test import INSIDE
from cetate.triage.duplicates import similar_cases

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=CITY_TZ)
METRES_PER_DEGREE = 6_371_000 * math.pi / 180


def moved(*, north: float = 0, east: float = 0) -> dict[str, float]:
    """INSIDE moved by metres north and east."""
    latitude = INSIDE["latitude"] + north / METRES_PER_DEGREE
    scale = math.cos(math.radians(INSIDE["latitude"]))
    return {
        "latitude": latitude,
        "longitude": INSIDE["longitude"] + east / METRES_PER_DEGREE / scale,
    }


def earlier(city, *, days: float, **fields):
    """A report registered `days` days before NOW, by a neighbour unless said otherwise."""
    fields.setdefault("reporter", create_contact(name="Vecin", email="vecin@example.org"))
    with replaying_at(NOW - timedelta(days=days)):
        return city.report(**fields)


@pytest.fixture
def new_report(city):
    with replaying_at(NOW):
        return city.report()


def found(case) -> dict[str, list[str]]:
    return {candidate.case.number: candidate.reasons for candidate in similar_cases(case)}


def test_the_same_problem_reported_nearby_lately_is_suggested(city, new_report):
    nearby = earlier(city, days=5, **moved(north=100))
    just_inside = earlier(city, days=29, **moved(east=140))

    assert found(new_report) == {
        nearby.number: ["nearby: 100 m"],
        just_inside.number: ["nearby: 140 m"],
    }


def test_far_other_category_old_or_finished_cases_are_not_suggested(city, new_report):
    earlier(city, days=2, **moved(north=160))
    earlier(city, days=2, **moved(east=160))
    earlier(city, days=2, category=city.noise, **moved(north=20))
    earlier(city, days=31, **moved(north=20))
    rejected = earlier(city, days=2, **moved(north=20))
    services.change_status(
        case_id=rejected.pk, actor=city.dispatcher, action=Action.REJECT, text="Dublură"
    )
    merged = earlier(city, days=2, reporter=city.resident, **moved(north=20))
    services.merge(case_id=merged.pk, into_case_id=new_report.pk, actor=city.dispatcher)

    assert found(new_report) == {}


def test_a_later_report_nearby_is_suggested_too(city):
    with replaying_at(NOW - timedelta(days=3)):
        first = city.report(reporter=None)
    later = earlier(city, days=1, **moved(north=30))
    assert found(first) == {later.number: ["nearby: 30 m"]}


def test_the_same_residents_open_cases_are_suggested_wherever_they_are(city, new_report):
    elsewhere = earlier(
        city, days=200, reporter=city.resident, category=city.noise, **moved(north=3000)
    )
    closed = earlier(city, days=3, reporter=city.resident, **moved(north=3000))
    services.cancel_registration(case_id=closed.pk, actor=city.dispatcher, reason="test")
    earlier(city, days=3, category=city.noise)

    assert found(new_report) == {elsewhere.number: ["same resident"]}


def test_suggestions_come_most_relevant_first(city, new_report):
    resident_only = earlier(city, days=1, reporter=city.resident, category=city.noise)
    far_nearby = earlier(city, days=1, **moved(north=120))
    both = earlier(city, days=10, reporter=city.resident, **moved(north=80))
    close_nearby = earlier(city, days=20, **moved(north=10))
    later = earlier(city, days=-1, reporter=city.resident, **moved(north=5))

    candidates = similar_cases(new_report)

    # A case is merged into the one registered first: later reports come last.
    assert [c.case for c in candidates] == [both, close_nearby, far_nearby, resident_only, later]
    assert candidates[0].reasons == ["nearby: 80 m", "same resident"]


def test_the_list_is_limited(city, new_report):
    for metres in range(5):
        earlier(city, days=1, **moved(north=10 * metres))
    assert len(similar_cases(new_report, limit=3)) == 3


def test_a_case_without_place_or_category_gets_only_the_residents_cases(city):
    other = earlier(city, days=1, reporter=city.resident)
    with replaying_at(NOW):
        request = city.report(kind="request", category=None, latitude=None, longitude=None)
    assert found(request) == {other.number: ["same resident"]}


def test_only_the_same_petitioners_cases_may_be_merged_merged_contacts_followed(city, new_report):
    neighbour = earlier(city, days=1, **moved(north=10))
    old_record = create_contact(name="Ion Popescu", phone="0744 999 000")
    merge_contacts(keep=city.resident, duplicate=old_record, actor=city.dispatcher)
    by_old_record = earlier(city, days=2, reporter=old_record, category=city.noise)
    anonymous = earlier(city, days=3, reporter=None, **moved(north=20))

    may_merge = {c.case.number: c.may_merge for c in similar_cases(new_report)}

    assert may_merge == {
        neighbour.number: False,
        by_old_record.number: True,
        anonymous.number: False,
    }
