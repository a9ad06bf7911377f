"""The map page, its data endpoint and the case list: staff only, each sees their own scope."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from cetate.cases.deadlines import CITY_TZ
from cetate.lib import clock
from cetate.lib.clock import replaying_at
from cetate.test import IN_CENTRE, make_user

CITY_BBOX = "23.5,46.0,23.6,46.1"


@pytest.fixture
def client():
    """A browser that asks for English pages (Romanian is the default language)."""
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def cases(city):
    """A pothole in the centre (technical), an overdue one, and a lamp out (lighting)."""
    pothole = city.report(auto_route=True, address="Str. Vasile Goldiș 4", **IN_CENTRE)
    with replaying_at(clock.now() - timedelta(days=45)):
        overdue = city.report(auto_route=True)
    lamp = city.report(category=city.lamp, answers={"pole": "21"}, auto_route=True)
    return {"pothole": pothole, "overdue": overdue, "lamp": lamp}


def map_json(client, query=""):
    response = client.get(f"{reverse('console:map_data')}?bbox={CITY_BBOX}&zoom=12&{query}")
    assert response.status_code == 200, response.content
    return response.json()


def listed_numbers(html, cases):
    return {case.number for case in cases.values() if f">{case.number}</a>" in html}


@pytest.mark.parametrize("name", ["console:map", "console:map_data", "console:cases"])
def test_staff_only(client, city, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(make_user("vizitator"))
    assert client.get(reverse(name)).status_code == 403


def test_map_page_holds_filters_map_and_list(client, city, cases, settings):
    settings.MAP_TILE_URL = ""
    client.force_login(city.dispatcher)
    response = client.get(reverse("console:map"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 cases match the filters." in html
    assert 'id="case-filters"' in html and 'method="get"' in html
    assert listed_numbers(html, cases) == {case.number for case in cases.values()}
    card = reverse("console:case", args=[cases["pothole"].pk])
    assert f'<a href="{card}">{cases["pothole"].number}</a>' in html
    assert "Str. Vasile Goldiș 4" in html
    config = json.loads(html.split('id="map-config" type="application/json">')[1].split("<")[0])
    assert config["tile_url"] == ""
    assert config["data_url"] == reverse("console:map_data")
    assert config["boundary"] == city.boundary.geometry
    assert config["bounds"] == [[46.0, 23.5], [46.1, 23.6]]


def test_the_list_shows_deadlines_in_words(client, city, cases):
    client.force_login(city.dispatcher)
    html = client.get(reverse("console:cases")).content.decode()
    assert '<span class="deadline-overdue">overdue</span>' in html
    assert "days late" in html
    assert '<span class="deadline-on_time">on time</span>' in html


def test_map_data_of_a_filtered_list(client, city, cases):
    client.force_login(city.dispatcher)
    data = map_json(client)
    assert {point["number"] for point in data["points"]} == {c.number for c in cases.values()}
    overdue = map_json(client, "deadline=overdue")
    assert [point["number"] for point in overdue["points"]] == [cases["overdue"].number]
    assert overdue["points"][0]["url"] == reverse("console:case", args=[cases["overdue"].pk])
    assert overdue["summary"] == "1 case in this part of the map, 1 of them overdue."
    lamps = map_json(client, f"category={city.lamp.pk}")
    assert [point["number"] for point in lamps["points"]] == [cases["lamp"].number]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("bbox=23.5,46.0&zoom=12", "The map's box must be four numbers."),
        (f"bbox={CITY_BBOX}&zoom=far", "The map's zoom must be a whole number."),
        ("zoom=12", "The map's box must be four numbers."),
    ],
)
def test_map_data_refuses_a_bad_box_or_zoom(client, city, query, message):
    client.force_login(city.dispatcher)
    response = client.get(f"{reverse('console:map_data')}?{query}")
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_bad_filters_are_reported_not_failed(client, city, cases):
    client.force_login(city.dispatcher)
    data = map_json(client, "registered_from=31.02.2026")
    assert data["errors"] == ["Enter a date such as 2026-03-31."]
    assert len(data["points"]) == 3
    response = client.get(reverse("console:cases"), {"registered_from": "31.02.2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "These filters were not applied:" in html
    assert "Enter a date such as 2026-03-31." in html


def test_an_officer_sees_only_their_departments_cases(client, city, cases):
    client.force_login(city.lighting_officer)
    data = map_json(client, "status=new&status=assigned&status=closed")
    assert [point["number"] for point in data["points"]] == [cases["lamp"].number]
    html = client.get(reverse("console:cases")).content.decode()
    assert listed_numbers(html, cases) == {cases["lamp"].number}
    assert "1 case matches the filters." in html

    client.force_login(city.officer)
    numbers = {point["number"] for point in map_json(client)["points"]}
    assert numbers == {cases["pothole"].number, cases["overdue"].number}
    html = client.get(reverse("console:map")).content.decode()
    assert listed_numbers(html, cases) == numbers


def test_a_desk_clerk_sees_the_cases_they_registered(client, city, cases):
    walk_in = city.report(actor=city.clerk, channel="desk")
    client.force_login(city.clerk)
    assert [point["number"] for point in map_json(client)["points"]] == [walk_in.number]


def test_the_list_sorts_and_pages(client, city, cases):
    client.force_login(city.supervisor)
    html = client.get(reverse("console:cases"), {"sort": "registered"}).content.decode()
    assert html.index(f">{cases['overdue'].number}<") < html.index(f">{cases['pothole'].number}<")
    assert 'aria-sort="ascending"' in html
    html = client.get(reverse("console:cases"), {"sort": "-registered"}).content.decode()
    assert html.index(f">{cases['overdue'].number}<") > html.index(f">{cases['pothole'].number}<")
    assert 'aria-sort="descending"' in html
    response = client.get(reverse("console:cases"), {"page": "99"})
    assert response.status_code == 200


def test_htmx_swaps_the_results_only(client, city, cases):
    client.force_login(city.dispatcher)
    response = client.get(
        reverse("console:map"), {"deadline": "overdue"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.startswith('<div id="case-results"')
    assert "<h1>" not in html
    assert listed_numbers(html, cases) == {cases["overdue"].number}
    assert '<p id="case-count" hx-swap-oob="innerHTML">1 case matches the filters.</p>' in html


def test_registration_dates_show_in_the_city_time(client, city, cases):
    client.force_login(city.dispatcher)
    html = client.get(reverse("console:cases")).content.decode()
    local = cases["pothole"].registered_at.astimezone(CITY_TZ)
    assert local.strftime("%d.%m.%Y %H:%M") in html


def test_only_get(client, city):
    client.force_login(city.dispatcher)
    assert client.post(reverse("console:map")).status_code == 405


def test_the_form_works_without_javascript(client, city, cases):
    """The filters are a plain GET form: submitting it reloads the page with the list."""
    client.force_login(city.dispatcher)
    html = client.get(reverse("console:map"), {"deadline": "overdue"}).content.decode()
    action = reverse("console:map")
    assert f'class="case-filters" method="get" action="{action}"' in html
    assert '<option value="overdue" selected>' in html
    assert '<button type="submit">Show</button>' in html
    assert listed_numbers(html, cases) == {cases["overdue"].number}
