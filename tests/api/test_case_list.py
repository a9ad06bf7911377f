"""The case list's filters and its cursor pagination."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cetate.cases.services import assign, change_status
from cetate.cases.workflow import Action
from cetate.lib import clock
from cetate.test import IN_CENTRE

pytestmark = pytest.mark.django_db


def listed(client, query=""):
    response = client.get(f"/api/v1/cases/?{query}")
    assert response.status_code == 200, response.json()
    return [case["id"] for case in response.json()["results"]]


def test_filters_each_narrow_the_list(api, city):
    pothole = city.report()
    lamp = city.report(category=city.lamp, answers={"pole": "1"}, **IN_CENTRE)
    assign(case_id=lamp.pk, actor=city.dispatcher, department=city.lighting, assignee=None)
    assign(case_id=pothole.pk, actor=city.dispatcher, department=city.technical)
    change_status(case_id=pothole.pk, actor=city.officer, action=Action.START)
    client = api(city.supervisor)

    assert listed(client) == [lamp.pk, pothole.pk]
    assert listed(client, "status=in_progress") == [pothole.pk]
    assert listed(client, "status=in_progress&status=assigned") == [lamp.pk, pothole.pk]
    assert listed(client, f"category={city.lamp.pk}") == [lamp.pk]
    assert listed(client, f"category={city.lamp.parent_id}") == [lamp.pk]
    assert listed(client, f"department={city.technical.pk}") == [pothole.pk]
    assert listed(client, f"area={city.centre.pk}") == [lamp.pk]
    assert listed(client, f"area={city.boundary.pk}") == [lamp.pk, pothole.pk]
    # Taking the pothole into work, the officer holds it.
    assert listed(client, "assignee=nobody") == [lamp.pk]
    assert listed(client, f"number={lamp.number}") == [lamp.pk]
    assert listed(client, "kind=inquiry") == []
    assert listed(client, "channel=phone") == [lamp.pk, pothole.pk]
    # The lamp's service target is 72 hours away: due soon.
    assert listed(client, "deadline=due_soon") == [lamp.pk]
    assert listed(client, "deadline=on_time") == [pothole.pk]
    states = {c["id"]: c["deadline_state"] for c in client.get("/api/v1/cases/").json()["results"]}
    assert states == {lamp.pk: "due_soon", pothole.pk: "on_time"}
    assert listed(client, "deadline=overdue") == []


def test_dates_filter_by_registration_and_by_last_change(api, city):
    with time_machine.travel(clock.now() - timedelta(days=10), tick=False):
        old = city.report()
    new = city.report()
    client = api(city.supervisor)
    since = (clock.now() - timedelta(days=1)).isoformat()
    assert listed(client, f"registered_after={since.replace('+', '%2B')}") == [new.pk]
    assert listed(client, f"registered_before={since.replace('+', '%2B')}") == [old.pk]
    assign(case_id=old.pk, actor=city.dispatcher, department=city.technical)
    assert set(listed(client, f"updated_after={since.replace('+', '%2B')}")) == {old.pk, new.pk}


def test_an_officer_filters_their_own_cases(api, city):
    mine, other = city.report(), city.report()
    assign(case_id=mine.pk, actor=city.dispatcher, department=city.technical, assignee=city.officer)
    assign(case_id=other.pk, actor=city.dispatcher, department=city.technical)
    assert listed(api(city.officer), "assignee=me") == [mine.pk]
    assert listed(api(city.supervisor), f"assignee={city.officer.pk}") == [mine.pk]


def test_invalid_filters_are_named(api, city):
    response = api(city.supervisor).get(
        "/api/v1/cases/?status=open&registered_after=yesterday&assignee=someone"
    )
    assert response.status_code == 400
    fields = sorted(error["field"] for error in response.json()["errors"])
    assert fields == ["assignee", "registered_after", "status"]


def test_cursor_pages_walk_every_case_once_in_both_orders(api, city):
    cases = [city.report() for _ in range(7)]
    client = api(city.supervisor)
    for ordering, expected in (("-id", cases[::-1]), ("id", cases)):
        seen, url = [], f"/api/v1/cases/?page_size=3&ordering={ordering}"
        while url:
            page = client.get(url).json()
            assert len(page["results"]) <= 3
            seen += [case["id"] for case in page["results"]]
            url = page["next"]
        assert seen == [case.pk for case in expected]


def test_a_page_costs_the_same_few_queries_whatever_its_size(api, city):
    for _ in range(3):
        case = city.report()
        assign(
            case_id=case.pk, actor=city.dispatcher, department=city.technical, assignee=city.officer
        )
    client = api(city.supervisor)
    client.get("/api/v1/cases/")  # the token and the roles are read once per request
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/cases/?page_size=1")
    with CaptureQueriesContext(connection) as large:
        client.get("/api/v1/cases/?page_size=3")
    assert len(large) == len(small)


def test_a_bad_cursor_is_a_404_in_the_usual_shape(api, city):
    response = api(city.supervisor).get("/api/v1/cases/?cursor=nonsense")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
