"""The register of entries and exits in the console: its columns, filters, pages and access."""

import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.contacts.models import PersonalDataView
from cetate.lib.clock import replaying_at
from cetate.monitoring import register as register_module

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
URL = "/console/register/"


def rows_of(html: str) -> list[str]:
    """The registration numbers listed, in order."""
    return re.findall(r'<th scope="row"><a href="/console/cases/\d+/">(\d+/\d{4})</a>', html)


def row_html(html: str, number: str) -> str:
    start = html.index(f">{number}</a>")
    return html[start : html.index("</tr>", start)]


def show(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params, **EN)
    assert response.status_code == 200
    return response.content.decode()


def test_a_registration_shows_every_column_of_the_register(client, city, register_2026):
    html = show(client, city.supervisor, year=2026)
    row = row_html(html, register_2026.answered.number)
    expected = [
        "03.02.2026 09:15",  # registered
        "Ion Popescu",  # sender
        "ion@example.org",  # the sender's address, without a postal one
        "1234/A",  # the sender's number
        "01.02.2026",  # and date
        "phone",  # received through
        "report of a problem – Roads › Pothole: Groapă pe Str. Mihai Viteazul",  # summary
        "3 / 2",  # pages / annexes
        "Technical directorate",  # department
        str(city.officer),  # officer
        "04.02.2026 10:00",  # handed to them
        "granted",  # outcome
        "OG 27/2002, art. 8",  # legal basis
        "20.02.2026 11:30",  # answer sent
        "letter by post",  # sent by
        "Str. Trandafirilor 7",  # recipient
        ">II-4</abbr>",  # file code
    ]
    for text in expected:
        assert text in row, text
    # The summary is never the resident's whole text.
    assert "Groapă adâncă în fața blocului" not in html
    joined = row_html(html, register_2026.joined.number)
    assert register_2026.answered.number in joined  # joined to
    letter = row_html(html, register_2026.letter.number)
    assert "Inspectoratul Școlar Județean" in letter
    assert "Str. Lalelelor 1 Alba Iulia" in letter  # the postal address before the email
    assert "987" in letter and "30.01.2026" in letter
    assert "letter by post" in letter


def test_the_register_lists_its_year_in_number_order(client, city, register_2026):
    html = show(client, city.admin, year=2026)
    assert rows_of(html) == ["1/2026", "2/2026", "3/2026", "4/2026", "5/2026"]
    assert "5 registrations in 2026" in html
    assert rows_of(show(client, city.admin, year=2025)) == ["1/2025"]


def test_a_cancelled_registration_stays_marked(client, city, register_2026):
    html = show(client, city.admin, year=2026)
    number = register_2026.cancelled.number
    assert re.search(rf'<tr class="cancelled">\s*<th scope="row"><a [^>]+>{number}</a>', html)
    assert "REGISTRATION CANCELLED" in row_html(html, number)
    assert "REGISTRATION CANCELLED" not in row_html(html, register_2026.answered.number)


def test_an_anonymised_case_shows_no_personal_data(client, city, register_2026):
    Case.objects.filter(pk=register_2026.answered.pk).update(anonymised_at=datetime.now(CITY_TZ))
    row = row_html(show(client, city.admin, year=2026), register_2026.answered.number)
    assert "personal data removed" in row
    for personal in ("Ion Popescu", "ion@example.org", "Trandafirilor"):
        assert personal not in row
    assert "1234/A" in row and "granted" in row


@pytest.mark.parametrize(
    ("filters", "numbers"),
    [
        ({"kind": "request"}, ["5/2026"]),
        ({"channel": "post"}, ["5/2026"]),
        ({"outcome": "granted"}, ["1/2026"]),
        ({"outcome": "none"}, ["2/2026", "3/2026", "4/2026", "5/2026"]),
        ({"q": "3"}, ["3/2026"]),
        ({"q": "4/2026"}, ["4/2026"]),
        ({"q": "inspectoratul"}, ["5/2026"]),
        ({"q": "1234/A"}, ["1/2026"]),
        ({"registered_from": "2026-02-04"}, []),
        ({"registered_to": "2026-02-03"}, ["1/2026", "2/2026", "3/2026", "4/2026", "5/2026"]),
    ],
)
def test_filters_narrow_the_register(client, city, register_2026, filters, numbers):
    assert rows_of(show(client, city.admin, year=2026, **filters)) == numbers


def test_filters_by_department_and_file_code(client, city, register_2026):
    by_department = show(client, city.admin, year=2026, department=city.technical.pk)
    assert rows_of(by_department) == ["1/2026"]
    by_file = show(client, city.admin, year=2026, file_code=register_2026.petitions.pk)
    # The cases of the roads group are filed under its code; the letter's category has none.
    assert rows_of(by_file) == ["1/2026", "2/2026", "3/2026", "4/2026"]


def test_a_filter_that_makes_no_sense_is_reported_not_applied(client, city, register_2026):
    html = show(
        client, city.admin, year=2026, registered_from="2026-03-01", registered_to="2026-02-01"
    )
    assert "These filters were not applied" in html
    assert "The end of the period comes before its start." in html


def test_the_register_is_paged_with_the_year_counted_from_its_counter(
    client, city, monkeypatch, register_2026
):
    monkeypatch.setattr(register_module, "PAGE_SIZE", 2)
    client.force_login(city.admin)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL, {"year": 2026, "page": 2}, **EN).content.decode()
    assert rows_of(html) == ["3/2026", "4/2026"]
    assert "Page 2 of 3" in html
    assert 'href="/console/register/?year=2026&amp;page=1"' in html
    assert 'href="/console/register/?year=2026&amp;page=3"' in html
    # Any page of the whole year is read from its numbers, the last one too.
    assert rows_of(client.get(URL, {"year": 2026, "page": 3}, **EN).content.decode()) == ["5/2026"]
    assert rows_of(client.get(URL, {"year": 2026, "page": 9}, **EN).content.decode()) == ["5/2026"]
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counts if "registration_year" in sql]
    # A filtered register counts what matches; its pages keep the filters.
    html = client.get(URL, {"year": 2026, "outcome": "none"}, **EN).content.decode()
    assert rows_of(html) == ["2/2026", "3/2026"]
    assert "Page 1 of 2" in html
    assert 'href="/console/register/?year=2026&amp;outcome=none&amp;page=2"' in html


def test_every_view_of_the_register_is_logged(client, city, register_2026):
    show(client, city.admin, year=2026)
    show(client, city.admin, year=2026, kind="request")
    seen = list(
        PersonalDataView.objects.filter(user=city.admin)
        .order_by("pk")
        .values_list("what", flat=True)
    )
    assert seen == ["register 2026 page 1", "register 2026 page 1 kind=request"]


def test_dispatchers_keep_the_register(client, city, register_2026):
    assert rows_of(show(client, city.dispatcher, year=2026))


@pytest.mark.parametrize("persona", ["officer", "clerk", "head", "dpo"])
def test_the_register_is_refused_to_other_staff(client, city, persona):
    client.force_login(getattr(city, persona))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("console:register_export", args=["csv"])).status_code == 403
    assert not PersonalDataView.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_former_address_leads_to_the_register_with_its_filters(client, city):
    client.force_login(city.admin)
    response = client.get("/register/?year=2025&page=2")
    assert response.status_code == 302
    assert response["Location"] == "/console/register/?year=2025&page=2"


def test_the_year_defaults_to_this_one(client, city):
    with replaying_at(datetime(2027, 3, 1, 9, 0, tzinfo=CITY_TZ)):
        case = city.report()
    client.force_login(city.admin)
    html = client.get(URL, **EN).content.decode()
    this_year = datetime.now(CITY_TZ).year
    assert f"registrations in {this_year}" in html
    assert (case.number in rows_of(html)) == (this_year == 2027)
