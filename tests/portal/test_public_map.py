"""The public map, its list and the public case page show public facts only: category, plain
status, date, number and a location rounded to about 50 m — never a name, an email, a phone,
a resident's words, exact coordinates or a case of a category kept off the map."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cetate.cases import services
from cetate.cases.choices import Kind
from cetate.cases.models import Case
from cetate.cases.publication import ROUNDING, rounded
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact
from cetate.lib.colour import WHITE, contrast_ratio, header_colour, parse_hex
from cetate.lib.env import ConfigurationError
from cetate.portal import public_map
from cetate.test import GRANTED

# Exact places that must never be published; each rounds to a point 10–40 m away.
EXACT = {"latitude": 46.012347, "longitude": 23.523456}
EXACT_PRIVATE = {"latitude": 46.031234, "longitude": 23.541122}
CITY_BOX = "23.4,45.9,23.7,46.2"

PERSONAL = [
    "Maria Ionescu-Secretă",
    "maria.secret@example.org",
    "0722 987 654",
    "+40722987654",
    "722987654",
    "Ion Popescu",
    "ion@example.org",
    "+40744123456",
    "Groapă uriașă lângă scara B",
    "Str. Ascunsă nr. 13",
    "Zgomot de la vecinul de la etajul 3",
    "Vecinul Gheorghe face chef",
]
EXACT_TEXTS = ["46.012347", "46,012347", "23.523456", "23,523456", "46.031234", "23.541122"]


@pytest.fixture
def cases(city):
    """A public pothole report, a noise complaint (private category) and a lamp (not public),
    each with contact data and free text; and a request in the public category."""
    maria = create_contact(
        name="Maria Ionescu-Secretă", email="maria.secret@example.org", phone="0722 987 654"
    )
    public = city.report(
        reporter=maria,
        title="Groapă uriașă lângă scara B",
        description="Groapă uriașă lângă scara B",
        address="Str. Ascunsă nr. 13",
        **EXACT,
    )
    private = city.report(
        category=city.noise,
        title="Zgomot de la vecinul de la etajul 3",
        description="Vecinul Gheorghe face chef",
        **EXACT_PRIVATE,
    )
    lamp = city.report(category=city.lamp, latitude=46.05, longitude=23.55)
    request = city.report(kind=Kind.REQUEST, latitude=46.06, longitude=23.56)
    return {"public": public, "private": private, "lamp": lamp, "request": request}


def _json(client, **params):
    response = client.get(reverse("public_map_data"), {"bbox": CITY_BOX, "zoom": "13", **params})
    assert response.status_code == 200, response.content
    return response.json()


def _numbers(payload):
    return {case["number"] for point in payload["points"] for case in point["cases"]}


def test_no_response_holds_contact_data_free_text_or_exact_coordinates(client, cases, monkeypatch):
    public = cases["public"]
    bodies = {
        "map": client.get(reverse("public_map")),
        "points": client.get(reverse("public_map_data"), {"bbox": CITY_BOX, "zoom": "17"}),
        "list": client.get(reverse("public_list"), {"period": "all"}),
        "case": client.get(_case_url(public)),
    }
    monkeypatch.setattr(public_map, "MAX_POINTS", 0)
    bodies["cells"] = client.get(reverse("public_map_data"), {"bbox": CITY_BOX, "zoom": "10"})
    for name, response in bodies.items():
        assert response.status_code == 200, name
        body = response.content.decode()
        for text in PERSONAL + EXACT_TEXTS:
            assert text not in body, f"{name} shows {text!r}"
        for private in (cases["private"], cases["lamp"], cases["request"]):
            assert f'"{private.number}"' not in body, f"{name} shows {private.number}"
            assert f">{private.number}<" not in body
            assert f"Report {private.number}" not in body
        for category in ("Zgomot", "Stâlp stins", "Lamp out", "Noise"):
            assert category not in body, f"{name} shows {category}"
    assert public.number in bodies["list"].content.decode()
    assert public.number in bodies["case"].content.decode()


def _case_url(case: Case) -> str:
    return reverse(
        "public_case",
        kwargs={"year": case.registration_year, "number": case.registration_number},
    )


def test_points_sit_on_the_public_grid(client, cases):
    payload = _json(client, zoom="17")
    [point] = payload["points"]
    assert (point["lat"], point["lon"]) == (rounded(EXACT["latitude"]), rounded(EXACT["longitude"]))
    assert (point["lat"], point["lon"]) == (46.0125, 23.5235)
    for value in (point["lat"], point["lon"]):
        assert abs(value * ROUNDING - round(value * ROUNDING)) < 1e-6
    [case] = point["cases"]
    assert set(case) == {
        "number",
        "url",
        "category",
        "status",
        "status_label",
        "date",
        "date_label",
    }
    assert case["number"] == cases["public"].number
    assert case["category"] == "Groapă în carosabil"  # pages speak Romanian by default
    assert case["status"] == "open"


def test_cells_count_rounded_places_only(client, cases, monkeypatch):
    monkeypatch.setattr(public_map, "MAX_POINTS", 0)
    payload = _json(client, zoom="9")
    assert payload["points"] == []
    [cell] = payload["cells"]
    assert cell["count"] == 1
    # A cell of one case is centred on its rounded place, never on its exact one.
    assert (cell["lat"], cell["lon"]) == (46.0125, 23.5235)


def test_the_box_is_decided_on_the_rounded_place(client, cases):
    """A box that holds the exact place but not the rounded one shows nothing, and the other
    way round: asking for ever smaller boxes cannot find the exact place."""
    # Exact latitude 46.012347 rounds to 46.0125; zoom 19 keeps the box's cells narrow.
    holds_exact_only = "23.5230,46.0120,23.5240,46.01240"
    holds_rounded_only = "23.5230,46.01249,23.5240,46.0130"
    assert _json(client, bbox=holds_exact_only, zoom="19")["points"] == []
    assert _numbers(_json(client, bbox=holds_rounded_only, zoom="19")) == {cases["public"].number}


def test_categories_of_things_in_the_street_are_placed_exactly(client, city, cases, monkeypatch):
    """Beside the rounded pothole, a public lamp category placed exactly: its point, its box
    and its cell's centre are its own point; the pothole's stay on the grid."""
    city.lamp.public_map = True
    city.lamp.public_location = "exact"
    city.lamp.save()
    lamp = city.report(category=city.lamp, latitude=46.031234, longitude=23.541122)
    by_number = {
        case["number"]: (point["lat"], point["lon"])
        for point in _json(client, zoom="17")["points"]
        for case in point["cases"]
    }
    assert by_number[lamp.number] == (46.031234, 23.541122)
    assert by_number[cases["public"].number] == (46.0125, 23.5235)
    # The box holds the lamp's point (but not its rounded one) and the pothole's rounded place.
    both = "23.5230,46.0124,23.5412,46.03124"
    assert _numbers(_json(client, bbox=both, zoom="19")) == {
        lamp.number,
        cases["public"].number,
    }
    monkeypatch.setattr(public_map, "MAX_POINTS", 0)
    cache.clear()  # the points above are cached for this view
    centres = {(cell["lat"], cell["lon"]) for cell in _json(client, zoom="17")["cells"]}
    assert (46.0125, 23.5235) in centres
    assert (rounded(46.031234), rounded(23.541122)) in centres


def test_filters_by_category_status_and_period(client, city, cases):
    public = cases["public"]
    services.assign(case_id=public.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=public.pk, actor=city.officer, action=Action.START)
    services.change_status(
        case_id=public.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Astupată.",
        decision=GRANTED,
    )
    other = city.report(latitude=46.08, longitude=23.59)
    spring = city.report(latitude=46.09, longitude=23.51)
    old = city.report(latitude=46.09, longitude=23.52)
    for case, days in ((spring, 120), (old, 400)):
        earlier = case.registered_at - timedelta(days=days)
        Case.objects.filter(pk=case.pk).update(registered_at=earlier)

    # The last 12 months unless another period is chosen.
    assert _numbers(_json(client)) == {public.number, other.number, spring.number}
    assert _numbers(_json(client, period="all")) == {
        public.number,
        other.number,
        spring.number,
        old.number,
    }
    assert _numbers(_json(client, period="90")) == {public.number, other.number}
    assert _numbers(_json(client, status="answered")) == {public.number}
    assert _numbers(_json(client, status="open", period="30")) == {other.number}
    city.lamp.public_map = True
    city.lamp.save(update_fields=["public_map"])
    lamp = city.report(category=city.lamp, latitude=46.03, longitude=23.53)
    assert lamp.number in _numbers(_json(client, period="30"))
    potholes = {public.number, other.number}
    assert _numbers(_json(client, period="30", category=str(city.pothole.pk))) == potholes
    assert _numbers(_json(client, period="30", category=str(city.pothole.parent_id))) == potholes
    # A private category cannot be asked for: the filter is refused and left out.
    refused = _json(client, period="30", category=str(city.noise.pk))
    assert refused["errors"]
    assert _numbers(refused) == _numbers(_json(client, period="30")) > potholes

    listed = client.get(reverse("public_list"), {"status": "answered"}).content.decode()
    assert public.number in listed
    assert other.number not in listed
    listed = client.get(reverse("public_list"), {"period": "all", "status": "open"})
    assert old.number in listed.content.decode()
    assert public.number not in listed.content.decode()


def test_filter_choices_name_public_categories_only(client, cases):
    html = client.get(reverse("public_list")).content.decode()
    assert "Groapă în carosabil" in html
    assert "Noise" not in html and "Zgomot" not in html
    assert "Lamp out" not in html and "Stâlp stins" not in html


def test_the_list_is_paginated_and_keeps_its_filters(client, city, monkeypatch):
    from cetate.portal import public_views

    monkeypatch.setattr(public_views, "PAGE_SIZE", 2)
    made = [city.report(latitude=46.01 + n / 1000, longitude=23.52) for n in range(5)]
    first = client.get(reverse("public_list"), {"status": "open"}).content.decode()
    assert made[-1].number in first and made[0].number not in first
    assert "status=open" in first and "page=2" in first
    last = client.get(reverse("public_list"), {"status": "open", "page": "3"}).content.decode()
    assert made[0].number in last


def test_the_public_case_page_shows_public_cases_only(client, city, cases):
    response = client.get(_case_url(cases["public"]))
    html = response.content.decode()
    assert "Groapă în carosabil" in html
    assert "46.0125, 23.5235" in html
    for hidden in ("private", "lamp", "request"):
        assert client.get(_case_url(cases[hidden])).status_code == 404
    merged = city.report(latitude=46.07, longitude=23.58, reporter=cases["public"].reporter)
    services.merge(case_id=merged.pk, actor=city.dispatcher, into_case_id=cases["public"].pk)
    assert client.get(_case_url(merged)).status_code == 404
    assert client.get("/cases/2026-999999/").status_code == 404


def test_the_map_data_is_cached_briefly_and_rate_limited(
    client, cases, django_assert_max_num_queries
):
    # The limit counts per clock minute: all the requests fall in one, however slow the run.
    one_minute = (timezone.now() + timedelta(minutes=1)).replace(second=5, microsecond=0)
    with time_machine.travel(one_minute, tick=False):
        first = client.get(reverse("public_map_data"), {"bbox": CITY_BOX, "zoom": "13"})
        assert "max-age=30" in first["Cache-Control"] and "public" in first["Cache-Control"]
        # The rate limit's counter and the public categories, for the filters: the cases are
        # not read again.
        with django_assert_max_num_queries(2):
            again = client.get(reverse("public_map_data"), {"bbox": CITY_BOX, "zoom": "13"})
        assert again.json() == first.json()
        statuses = [
            client.get(reverse("public_map_data"), {"bbox": CITY_BOX, "zoom": "13"}).status_code
            for _ in range(120)
        ]
    assert statuses[-1] == 429
    assert statuses.count(200) == 118  # 120 a minute, two of them spent above


def test_a_bad_box_is_a_clear_400(client, db):
    response = client.get(reverse("public_map_data"), {"bbox": "north", "zoom": "3"})
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.usefixtures("early_in_a_minute")
def test_the_pages_are_rate_limited(client, db):
    statuses = [client.get(reverse("public_list")).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429


def test_header_shows_the_city_name_links_and_colour(client, db, settings):
    settings.CITY_COLOUR = "#1f3f7a"
    html = client.get(reverse("public_map")).content.decode()
    assert "--accent: #1f3f7a" in html
    assert django_settings.CITY_NAME in html
    assert 'class="site-logo"' not in html
    assert f'href="{reverse("public_map")}" aria-current="page"' in html
    assert "#follow-title" in html


def test_header_shows_the_logo_when_configured(client, db, settings):
    settings.CITY_LOGO_URL = "https://example.org/stema.svg"
    html = client.get(reverse("home")).content.decode()
    assert '<img class="site-logo" src="https://example.org/stema.svg" alt=""' in html


def test_colours_white_text_cannot_be_read_on_are_refused():
    assert header_colour("#7a1f1f") == "#7a1f1f"
    assert header_colour("#036") == "#003366"
    with pytest.raises(ConfigurationError, match=r"4\.5:1") as refused:
        header_colour("#ffcc00")
    suggestion = str(refused.value).split("such as ")[1].split()[0]
    assert contrast_ratio(parse_hex(suggestion), WHITE) >= 4.5
    assert contrast_ratio(parse_hex(suggestion), WHITE) < 4.8  # the lightest shade that passes
    with pytest.raises(ConfigurationError, match="colour such as"):
        header_colour("red")


def test_the_server_refuses_to_start_with_an_unreadable_colour(tmp_path):
    env = {**os.environ, "CITY_COLOUR": "#ffff00", "CETATE_VAR_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "cetate.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "CITY_COLOUR" in result.stderr and "4.5:1" in result.stderr
