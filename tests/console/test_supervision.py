"""The supervisor's page: the day's figures, the late cases by department and category and in
a list, bulk re-routing, and the cases residents say are not solved."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cetate.accounts.roles import Role
from cetate.cases import services
from cetate.cases.choices import Feedback
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.cases.workflow import Action, Status
from cetate.test import GRANTED, make_user

URL = reverse("console:supervision")
# A Tuesday; the city's day began at 22:00 UTC on Monday.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=CITY_TZ)
TODAY = NOW.date()


@pytest.fixture
def today():
    with time_machine.travel(NOW, tick=False):
        yield


def _routed(city, department=None, **fields):
    case = city.report(**fields)
    services.assign(case_id=case.pk, actor=city.dispatcher, department=department or city.technical)
    case.refresh_from_db()
    return case


def _due(case, *, legal=None, service=None):
    Case.objects.filter(pk=case.pk).update(legal_due=legal, internal_due=legal, service_due=service)
    case.refresh_from_db()
    return case


def _get(client, user, query=""):
    client.force_login(user)
    response = client.get(f"{URL}{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


def _row(case):
    return f">{case.number}</a></th>"


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _figures(overview, department):
    (row,) = [r for r in overview.departments if r.department == department]
    return (row.registered, row.resolved, row.open, row.due_soon, row.overdue)


def test_the_days_figures_count_the_citys_day_per_department(client, city):
    # 23:30 on Monday in the city: yesterday, though the same UTC day as 00:30 on Tuesday.
    with time_machine.travel(datetime(2026, 3, 9, 23, 30, tzinfo=CITY_TZ), tick=False):
        yesterdays = _routed(city)
    with time_machine.travel(datetime(2026, 3, 10, 0, 30, tzinfo=CITY_TZ), tick=False):
        early = _routed(city)
    with time_machine.travel(NOW, tick=False):
        resolved = _routed(city)
        services.change_status(case_id=resolved.pk, actor=city.officer, action=Action.START)
        services.change_status(
            case_id=resolved.pk,
            actor=city.officer,
            action=Action.RESOLVE,
            text="Reparată.",
            decision=GRANTED,
        )
        lamp = _routed(city, department=city.lighting, category=city.lamp, answers={"pole": "1"})
        unrouted = city.report()
        _due(yesterdays, legal=TODAY - timedelta(days=1))
        _due(early, legal=TODAY + timedelta(days=2))
        _due(lamp, service=NOW - timedelta(hours=1))

        overview = _get(client, city.supervisor).context["overview"]

    # registered today, resolved today, open, due soon, overdue
    assert _figures(overview, city.technical) == (2, 1, 2, 1, 1)
    assert _figures(overview, city.lighting) == (1, 0, 1, 0, 1)
    assert _figures(overview, None) == (1, 0, 1, 0, 0)
    total = overview.total
    assert (total.registered, total.resolved, total.open, total.due_soon, total.overdue) == (
        4,
        1,
        4,
        1,
        2,
    )
    assert unrouted.status == Status.NEW
    # External organisations take no cases of their own here.
    assert city.water_operator not in [row.department for row in overview.departments]


def test_the_late_table_counts_by_department_and_category_and_links_the_list(client, city, today):
    potholes = [_routed(city) for _ in range(3)]
    _due(potholes[0], legal=TODAY - timedelta(days=3))
    _due(potholes[1], legal=TODAY - timedelta(days=1))
    _due(potholes[2], legal=TODAY + timedelta(days=1))
    noise = _due(_routed(city, category=city.noise), legal=TODAY + timedelta(days=3))
    on_time = _due(_routed(city), legal=TODAY + timedelta(days=4))
    unrouted = _due(city.report(), legal=TODAY - timedelta(days=5))

    response = _get(client, city.supervisor)
    late = {
        (group.department, cell.category): (cell.overdue, cell.due_soon)
        for group in response.context["overview"].late
        for cell in group.cells
    }
    assert late == {
        (city.technical, city.pothole): (2, 1),
        (city.technical, city.noise): (0, 1),
        (None, city.pothole): (1, 0),
    }
    html = response.content.decode()
    link = f"?department={city.technical.pk}&amp;category={city.pothole.pk}&amp;deadline=overdue"
    assert f'href="{link}#supervision-list-heading">2<' in html

    listed = _get(client, city.supervisor, link.replace("&amp;", "&")).content.decode()
    listed = listed[listed.index('id="case-results"') :]
    assert _row(potholes[0]) in listed
    assert _row(potholes[1]) in listed
    for other in (potholes[2], noise, on_time, unrouted):
        assert _row(other) not in listed

    unrouted_only = _get(client, city.supervisor, "?department=none&category=none")
    assert unrouted_only.context["listing"].count == 0
    unrouted_only = _get(client, city.supervisor, f"?department=none&category={city.pothole.pk}")
    assert [row.case for row in unrouted_only.context["listing"].rows] == [unrouted]


def test_the_list_holds_late_open_cases_most_overdue_first(client, city, today):
    legal_late = _due(_routed(city), legal=TODAY - timedelta(days=2))
    # The service target passed five days ago, though the legal deadline is weeks away.
    service_late = _due(
        _routed(city), legal=TODAY + timedelta(days=20), service=NOW - timedelta(days=5)
    )
    due_soon = _due(_routed(city), legal=TODAY + timedelta(days=3))
    on_time = _due(_routed(city), legal=TODAY + timedelta(days=10))
    closed = _due(_routed(city), legal=TODAY - timedelta(days=9))
    Case.objects.filter(pk=closed.pk).update(status=Status.CLOSED)

    response = _get(client, city.supervisor)
    rows = response.context["listing"].rows
    assert [row.case for row in rows] == [service_late, legal_late, due_soon]
    assert rows[0].due.moment == NOW - timedelta(days=5)
    assert rows[1].due.day == TODAY - timedelta(days=2)
    html = response.content.decode()
    assert "2 days past the due date" in html
    assert "working days past the service target" in html
    assert _row(on_time) not in html
    soon = _get(client, city.supervisor, "?deadline=due_soon").context["listing"].rows
    assert [row.case for row in soon] == [due_soon]


def test_bulk_rerouting_sends_cases_to_another_department_with_their_deadlines(client, city, today):
    first = _due(_routed(city), legal=TODAY - timedelta(days=4))
    second = _due(_routed(city), legal=TODAY + timedelta(days=1))
    services.assign(
        case_id=second.pk, actor=city.head, department=city.technical, assignee=city.officer
    )
    closed = _routed(city)
    Case.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    dues = {case.pk: (case.legal_due, case.service_due) for case in (first, second)}
    client.force_login(city.supervisor)

    response = client.post(
        URL,
        {
            "case": [first.pk, second.pk, closed.pk],
            "department": city.lighting.pk,
            "assignee": city.lighting_officer.pk,
            "note": "Stâlpii sunt ai iluminatului.",
            "query": "deadline=overdue&page=1&evil=https://example.org",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.redirect_chain == [(f"{URL}?deadline=overdue&page=1", 302)]
    (message,) = _messages(response)
    assert message.startswith(
        f"2 cases sent to {city.lighting}, to {city.lighting_officer}; "
        f"1 refused: {closed.number} — "
    )
    for case in (first, second):
        case.refresh_from_db()
        assert case.department == city.lighting
        assert case.assignee == city.lighting_officer
        assert (case.legal_due, case.service_due) == dues[case.pk]
        assert case.events.order_by("-seq").first().text == "Stâlpii sunt ai iluminatului."
    assert Case.objects.get(pk=closed.pk).department == city.technical


def test_rerouting_without_an_officer_leaves_the_cases_to_the_department(client, city, today):
    case = _routed(city)
    services.assign(
        case_id=case.pk, actor=city.head, department=city.technical, assignee=city.officer
    )
    client.force_login(city.supervisor)
    response = client.post(
        URL,
        {"case": [case.pk], "department": city.lighting.pk, "assignee": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert _messages(response) == [f"1 case sent to {city.lighting}."]
    case.refresh_from_db()
    assert (case.department, case.assignee) == (city.lighting, None)


def test_an_officer_of_another_department_is_refused_before_any_case_moves(client, city, today):
    case = _routed(city)
    client.force_login(city.supervisor)
    response = client.post(
        URL,
        {"case": [case.pk], "department": city.lighting.pk, "assignee": city.officer.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert _messages(response) == [f"{city.officer} is not a member of {city.lighting}."]
    case.refresh_from_db()
    assert case.department == city.technical
    for data in ({"department": city.lighting.pk}, {"case": ["x"], "department": "1"}):
        response = client.post(URL, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
        assert _messages(response)


@pytest.mark.parametrize("persona", ["officer", "head", "dispatcher", "clerk"])
def test_only_supervisors_and_administrators_may_see_the_page(client, city, persona):
    case = _routed(city)
    client.force_login(getattr(city, persona))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"case": [case.pk], "department": city.lighting.pk})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).department == city.technical


def test_an_administrator_sees_the_page_and_a_visitor_signs_in_first(client, city):
    assert client.get(URL)["Location"].startswith(reverse("login"))
    _get(client, city.admin)


def test_the_cases_residents_say_are_not_solved_newest_answer_first(client, city, today):
    older, newer, satisfied, reopened = (_routed(city) for _ in range(4))
    for case in (older, newer, satisfied, reopened):
        services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
        services.change_status(
            case_id=case.pk,
            actor=city.officer,
            action=Action.RESOLVE,
            text="Gata.",
            decision=GRANTED,
        )
    answers = {
        older: (Feedback.NOT_RESOLVED, NOW - timedelta(days=2)),
        newer: (Feedback.NOT_RESOLVED, NOW - timedelta(hours=1)),
        satisfied: (Feedback.SATISFIED, NOW),
        reopened: (Feedback.NOT_RESOLVED, NOW),
    }
    for case, (feedback, at) in answers.items():
        Case.objects.filter(pk=case.pk).update(feedback=feedback, feedback_at=at)
    services.reopen(case_id=reopened.pk, actor=city.supervisor, reason="Nu e rezolvată.")

    response = _get(client, city.supervisor)
    assert response.context["not_solved"].cases == [newer, older]
    html = response.content.decode()
    section = html[html.index('id="not-solved-heading"') :]
    assert section.index(_row(newer)) < section.index(_row(older))
    assert f'href="{reverse("console:case", args=[newer.pk])}"' in section
    assert _row(satisfied) not in section
    assert _row(reopened) not in section


def test_a_supervisor_lands_on_the_page_and_finds_it_in_the_navigation(client, city):
    client.force_login(city.supervisor)
    assert client.get(reverse("console:home"))["Location"] == URL
    html = _get(client, city.supervisor).content.decode()
    assert f'href="{URL}" aria-current="page"' in html
    client.force_login(city.officer)
    html = client.get(reverse("console:worklist")).content.decode()
    assert f'href="{URL}"' not in html


def test_filtering_in_place_returns_the_list_alone(client, city, today):
    late = _due(_routed(city), legal=TODAY - timedelta(days=1))
    client.force_login(city.supervisor)
    response = client.get(URL, {"deadline": "overdue"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert _row(late) in html
    assert "<h1>" not in html
    assert 'hx-swap-oob="innerHTML"' in html


def _queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_page_asks_the_database_as_often_for_two_cases_as_for_twelve(client, city, today):
    def late_cases(count, department):
        for n in range(count):
            _due(_routed(city, department=department), legal=TODAY - timedelta(days=n % 3))

    client.force_login(city.supervisor)
    late_cases(2, city.technical)
    few = _queries(client)
    late_cases(10, city.lighting)
    many = _queries(client)
    assert many == few


def test_unknown_filters_are_reported_not_a_server_error(client, city):
    html = _get(client, city.supervisor, "?department=123456&category=x&deadline=on_time")
    assert "These filters were not applied" in html.content.decode()


def test_a_head_of_no_department_still_cannot_enter(client, city):
    chief = make_user("sef-fara-directie", Role.DEPARTMENT_HEAD)
    client.force_login(chief)
    assert client.get(URL).status_code == 403


def test_the_days_figures_keep_a_row_for_each_department_even_at_zero(client, city, today):
    overview = _get(client, city.supervisor).context["overview"]
    # By name: "Street lighting" before "Technical directorate".
    assert [row.department for row in overview.departments] == [city.lighting, city.technical]
    assert overview.late == []
    assert overview.day == date(2026, 3, 10)


def test_mail_that_does_not_get_through_is_shown_with_the_way_to_send_it_again(client, city):
    from django.utils import timezone

    from cetate.outbox.models import OutgoingMail
    from cetate.outbox.posting import post_message

    client.force_login(city.supervisor)
    page = client.get(reverse("console:supervision"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mail and work not getting through" not in page

    post_message(to="ion@example.org", subject="Link", body="…")
    post_message(to="ana@example.org", subject="Link", body="…")
    OutgoingMail.objects.update(
        created_at=timezone.now() - timedelta(hours=1),
        next_attempt_at=timezone.now() + timedelta(minutes=30),
        attempts=5,
    )
    OutgoingMail.objects.filter(pk=OutgoingMail.objects.first().pk).update(status="parked")

    page = client.get(reverse("console:supervision"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 email has been waiting since" in page
    assert "1 email was set aside after its last attempt" in page
    assert "Tell the administrator" in page

    client.force_login(city.admin)
    page = client.get(reverse("console:supervision"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "/admin/outbox/outgoingmail/?status__exact=parked" in page
