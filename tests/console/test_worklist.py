"""The worklist: an officer's cases, nearest deadline first; heads hand cases out in bulk."""

import re
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from cetate.accounts.roles import Role
from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.cases.workflow import Action, Status
from cetate.console.filters import deadline_countdown
from cetate.lib.calendar import WorkCalendar
from cetate.test import GRANTED, make_user

URL = reverse("console:worklist")


def _routed(city, department=None, **fields):
    case = city.report(**fields)
    services.assign(case_id=case.pk, actor=city.dispatcher, department=department or city.technical)
    case.refresh_from_db()
    return case


def _row(case):
    return f">{case.number}</a>"


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _page(client, user, query=""):
    client.force_login(user)
    response = client.get(f"{URL}{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_an_officer_sees_the_cases_of_their_departments_nearest_deadline_first(client, city):
    later = _routed(city)
    sooner = _routed(city)
    sooner.internal_due = date(2020, 1, 1)
    sooner.save(update_fields=["internal_due"])
    other = _routed(city, department=city.lighting, category=city.lamp, answers={"pole": "7"})

    html = _page(client, city.officer)

    assert html.index(_row(sooner)) < html.index(_row(later))
    assert _row(other) not in html
    assert "past the due date" in html
    assert "working days left to the service target" in html
    assert 'type="checkbox" name="case"' not in html
    assert 'id="bulk-assign"' not in html


def test_the_filters_find_the_cases_of_an_officer_or_of_nobody(client, city):
    mine = _routed(city, address="Str. Mea 1")
    services.assign(
        case_id=mine.pk, actor=city.head, department=city.technical, assignee=city.officer
    )
    nobodys = _routed(city, address="Str. Nimănui 2")

    assert _row(mine) in _page(client, city.officer, "?assignee=me")
    assert _row(nobodys) not in _page(client, city.officer, "?assignee=me")
    assert _row(nobodys) in _page(client, city.head, "?assignee=nobody")
    assert _row(mine) not in _page(client, city.head, "?assignee=nobody")
    by_officer = _page(client, city.head, f"?assignee={city.officer.pk}")
    assert _row(mine) in by_officer
    assert _row(nobodys) not in by_officer
    assert _row(nobodys) in _page(client, city.head, "?deadline=on_time")
    assert _row(nobodys) not in _page(client, city.head, "?deadline=overdue")


def test_an_unknown_officer_in_the_filters_is_reported_not_a_server_error(client, city):
    html = _page(client, city.officer, "?assignee=123456")
    assert "These filters were not applied" in html


def test_a_head_assigns_the_ticked_cases_and_hears_what_was_refused(client, city):
    first, second = _routed(city), _routed(city)
    closed = _routed(city)
    Case.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    html = _page(client, city.head)
    assert (
        f'<label for="tick-{first.pk}" class="visually-hidden">Select case {first.number}' in html
    )
    assert 'id="bulk-assign"' in html

    response = client.post(
        URL,
        {
            "case": [first.pk, second.pk, closed.pk],
            "assignee": city.officer.pk,
            "query": "assignee=nobody",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.redirect_chain == [(f"{URL}?assignee=nobody", 302)]
    (message,) = _messages(response)
    assert message.startswith(f"2 cases assigned to {city.officer}; 1 refused: {closed.number} — ")
    assert set(Case.objects.filter(assignee=city.officer).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_an_officer_cannot_assign_even_by_posting_the_form(client, city):
    case = _routed(city)
    client.force_login(city.officer)
    response = client.post(
        URL,
        {"case": [case.pk], "assignee": city.officer.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    (message,) = _messages(response)
    assert f"1 refused: {case.number} — Your role does not allow this action" in message
    case.refresh_from_db()
    assert case.assignee is None


def test_an_officer_cannot_act_on_another_departments_case(client, city):
    lighting_head = make_user(
        "sef-iluminat",
        Role.OFFICER,
        Role.DEPARTMENT_HEAD,
        departments=(city.lighting,),
        heads=(city.lighting,),
    )
    case = _routed(city)
    client.force_login(lighting_head)
    response = client.post(
        URL,
        {"case": [case.pk], "assignee": city.lighting_officer.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    (message,) = _messages(response)
    assert "1 case outside your departments" in message
    assert case.number not in message
    case.refresh_from_db()
    assert case.assignee is None


def test_an_empty_or_unreadable_selection_is_a_message(client, city):
    client.force_login(city.head)
    for data in ({"assignee": city.officer.pk}, {"case": ["x"], "assignee": city.officer.pk}):
        response = client.post(URL, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert _messages(response)


MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=CITY_TZ)


def _countdown(**dues):
    return deadline_countdown(Case(status=Status.ASSIGNED, **dues), MONDAY, WorkCalendar()).days


@pytest.mark.parametrize(
    ("dues", "shown"),
    [
        ({"internal_due": date(2026, 3, 5)}, "3 days left to the due date"),
        ({"internal_due": date(2026, 2, 27)}, "3 days past the due date"),
        ({"internal_due": date(2026, 3, 2)}, "due date today"),
        (
            {"service_due": datetime(2026, 3, 9, 10, 0, tzinfo=CITY_TZ)},
            "5 working days left to the service target",
        ),
        (
            {"service_due": datetime(2026, 2, 27, 10, 0, tzinfo=CITY_TZ)},
            "1 working day past the service target",
        ),
        (
            {"service_due": datetime(2026, 3, 2, 9, 0, tzinfo=CITY_TZ)},
            "service target passed today",
        ),
        (
            {
                "internal_due": date(2026, 4, 1),
                "service_due": datetime(2026, 3, 4, 10, 0, tzinfo=CITY_TZ),
            },
            "2 working days left to the service target",
        ),
    ],
)
def test_days_left_count_working_days_for_service_targets_calendar_days_for_the_law(dues, shown):
    assert _countdown(**dues) == shown


def test_a_service_target_due_today_comes_before_an_answer_due_in_28_days(client, city):
    """Whatever kind of term each case is held to, the first one due is first."""
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=CITY_TZ), tick=False):
        later = _routed(city)
        today = _routed(city)
        later.internal_due, later.service_due = date(2026, 4, 7), None
        later.save(update_fields=["internal_due", "service_due"])
        # Its answer is due in a month, but the category promised it by 13:49 today.
        today.internal_due = date(2026, 4, 9)
        today.service_due = datetime(2026, 3, 10, 13, 49, tzinfo=CITY_TZ)
        today.save(update_fields=["internal_due", "service_due"])
        html = _page(client, city.officer)

    assert html.index(_row(today)) < html.index(_row(later))
    assert "28 days left to the due date" in html


def test_the_worklist_has_six_columns_the_registration_under_the_number(client, city):
    case = _routed(city, address="Str. Lungă 1")
    html = _page(client, city.officer)
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', head) == [
        "Number",
        "Category and place",
        "Officer",
        "Status",
        "Deadline",
        "Priority",
    ]
    row = html.split(_row(case))[1].split("</tr>")[0]
    assert case.registered_at.astimezone(CITY_TZ).strftime("%d.%m.%Y %H:%M") in row
    assert "Str. Lungă 1" in row
    assert row.rstrip().endswith("<td>normal</td>")


def test_a_case_the_resident_reopened_is_flagged_on_the_worklists_until_answered(client, city):
    case = _routed(city)
    quiet = _routed(city)
    services.change_status(
        case_id=case.pk, actor=city.officer, action=Action.RESOLVE, text="Gata.", decision=GRANTED
    )
    services.record_feedback(case_id=case.pk, satisfied=False, comment="Groapa e tot acolo.")
    badge = '<span class="badge-reopened">Reopened</span>'

    for user in (city.officer, city.head):
        html = _page(client, user)
        assert badge in html.split(_row(case))[1].split("</tr>")[0]
        assert badge not in html.split(_row(quiet))[1].split("</tr>")[0]

    services.change_status(
        case_id=case.pk, actor=city.officer, action=Action.RESOLVE, text="Acum.", decision=GRANTED
    )
    assert badge not in _page(client, city.head, "?status=resolved")
