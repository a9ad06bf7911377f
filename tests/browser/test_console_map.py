"""The console's map of cases and the list beside it, in a real browser, with no tile server."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.translation import gettext, ngettext, override
from playwright.sync_api import expect

from cetate.console import mapgrid
from cetate.lib import clock
from cetate.lib.clock import replaying_at
from cetate.test import IN_CENTRE

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def _ro_count(singular: str, plural: str, count: int) -> str:
    with override("ro"):
        return ngettext(singular, plural, count) % {"count": count, "shown": count}


def _matching(count: int) -> str:
    return _ro_count(
        "%(shown)s case matches the filters.", "%(shown)s cases match the filters.", count
    )


@pytest.fixture(autouse=True)
def _no_tiles(settings):
    settings.MAP_TILE_URL = ""


@pytest.fixture
def cases(city):
    """A pothole in the centre, an overdue pothole, a lamp out (street lighting)."""
    pothole = city.report(auto_route=True, address="Str. Vasile Goldiș 4", **IN_CENTRE)
    with replaying_at(clock.now() - timedelta(days=45)):
        overdue = city.report(auto_route=True, address="Str. Moților 12")
    lamp = city.report(
        category=city.lamp,
        answers={"pole": "21"},
        auto_route=True,
        latitude=46.09,
        longitude=23.51,
    )
    return {"pothole": pothole, "overdue": overdue, "lamp": lamp}


def rows(page):
    return page.locator("#case-results tbody th[scope=row]")


def points(page):
    return page.locator("#case-map .map-point")


def show(browse, page):
    """Apply the filters as a keyboard user would: the form's button."""
    page.get_by_role("button", name=_ro("Show")).click()


def test_map_filters_and_list(browse, city, cases):
    browse.sign_in(city.dispatcher)
    browse.visit(reverse("console:map"))
    page = browse.page

    expect(page.locator("#case-count")).to_have_text(_matching(3))
    expect(rows(page)).to_have_count(3)
    # With no tile server the map still draws the city and the cases on a plain background.
    expect(page.locator("#case-map .leaflet-tile")).to_have_count(0)
    expect(
        page.locator("#case-map path.leaflet-interactive, #case-map svg path")
    ).not_to_have_count(0)
    expect(points(page)).to_have_count(3)
    expect(page.locator("#map-summary")).to_contain_text("3")
    browse.audit()

    # Filter by category: the list and the map follow.
    page.get_by_label(_ro("Category"), exact=True).select_option(label="Stâlp stins")
    show(browse, page)
    expect(page.locator("#case-count")).to_have_text(_matching(1))
    expect(rows(page)).to_have_text([cases["lamp"].number])
    expect(points(page)).to_have_count(1)
    assert "category=" in page.url
    browse.audit()

    # Overdue cases of any category.
    page.get_by_label(_ro("Category"), exact=True).select_option(value="")
    page.get_by_label(_ro("Deadline"), exact=True).select_option(value="overdue")
    show(browse, page)
    expect(rows(page)).to_have_text([cases["overdue"].number])
    expect(points(page)).to_have_count(1)
    expect(page.locator("#case-map .map-point.deadline-overdue")).to_have_count(1)
    browse.audit()

    # Status: only new cases (every case here was routed, so none is new).
    page.get_by_label(_ro("Deadline"), exact=True).select_option(value="")
    for status in ("assigned", "in_progress", "waiting"):
        page.locator(f"input[name=status][value={status}]").uncheck()
    page.locator("input[name=status][value=new]").check()
    show(browse, page)
    expect(page.locator("#case-count")).to_have_text(_matching(0))
    expect(points(page)).to_have_count(0)
    browse.audit()

    # Back to the open cases; choosing a point opens its popup, whose link leads to the card.
    page.locator("input[name=status][value=assigned]").check()
    show(browse, page)
    expect(points(page)).to_have_count(3)
    marker = page.get_by_role("button", name=f"{cases['lamp'].number},")
    marker.click()
    link = page.locator(".leaflet-popup").get_by_role("link", name=cases["lamp"].number)
    expect(link).to_have_attribute("href", reverse("console:case", args=[cases["lamp"].pk]))
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # faded in
    browse.audit()


def test_keyboard_users_reach_a_case_from_the_map(browse, city, cases):
    browse.sign_in(city.dispatcher)
    browse.visit(reverse("console:map"))
    page = browse.page
    marker = page.get_by_role("button", name=f"{cases['overdue'].number},")
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup").get_by_role("link", name=cases["overdue"].number)
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", reverse("console:case", args=[cases["overdue"].pk]))


def test_many_cases_are_drawn_as_groups_that_zoom_in(browse, city, cases, monkeypatch):
    monkeypatch.setattr(mapgrid, "MAX_POINTS", 1)
    browse.sign_in(city.supervisor)
    browse.visit(reverse("console:map"))
    page = browse.page
    cells = page.locator("#case-map .map-cell")
    expect(cells).not_to_have_count(0)
    expect(points(page)).to_have_count(0)
    expect(page.locator("#map-summary")).to_contain_text("3")
    browse.audit()
    lamp_cell = page.get_by_role("button", name=re.compile(r"^1 "))
    expect(lamp_cell.first).to_be_visible()
    lamp_cell.first.click()
    # Zoomed into a cell holding one case: it is drawn as a point.
    expect(points(page)).to_have_count(1)
    browse.audit()


def test_the_list_alone(browse, city, cases):
    browse.sign_in(city.dispatcher)
    browse.visit(reverse("console:cases"))
    page = browse.page
    expect(rows(page)).to_have_count(3)
    page.get_by_role("link", name=_ro("Deadline"), exact=True).click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)
    expect(rows(page).first).to_have_text(cases["overdue"].number)
    browse.audit()
    page.get_by_label(_ro("Registered from"), exact=True).fill("2001-01-01")
    page.get_by_label(_ro("Registered until"), exact=True).fill("2000-01-01")
    show(browse, page)
    expect(page.get_by_role("alert")).to_contain_text(
        _ro("The end of the period comes before its start.")
    )
    browse.audit()


def test_an_officer_sees_none_of_another_departments_cases(browse, city, cases):
    browse.sign_in(city.officer)
    browse.visit(reverse("console:map"))
    page = browse.page
    expect(rows(page)).to_have_count(2)
    expect(points(page)).to_have_count(2)
    lamp = cases["lamp"].number
    expect(page.locator("#case-results")).not_to_contain_text(lamp)
    everything = "status=" + "&status=".join(
        ["new", "assigned", "in_progress", "waiting", "resolved", "closed"]
    )
    response = page.request.get(
        browse.url(f"{reverse('console:map_data')}?bbox=23.4,45.9,23.7,46.2&zoom=12&{everything}")
    )
    numbers = {point["number"] for point in response.json()["points"]}
    assert numbers == {cases["pothole"].number, cases["overdue"].number}
    browse.visit(f"{reverse('console:cases')}?{everything}")
    expect(rows(page)).to_have_count(2)
    expect(page.locator("#case-results")).not_to_contain_text(lamp)
