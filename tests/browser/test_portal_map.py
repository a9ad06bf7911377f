"""A resident looks at what the neighbourhood has reported: the public map with its list beside
it, on a phone and on a desktop, and the list's filters without JavaScript. Every page is
audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override, pgettext
from playwright.sync_api import Browser, Page, ViewportSize, expect

from cetate.cases import services
from cetate.cases.workflow import Action
from cetate.test import GRANTED
from tests.browser.conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def _ro_status(text: str) -> str:
    with override("ro"):
        return pgettext("public status", text)


@pytest.fixture
def reported(city):
    """An open pothole and an answered one, and a noise complaint kept off the map."""
    open_one = city.report(latitude=46.0212, longitude=23.5213)
    answered = city.report(latitude=46.0812, longitude=23.5813)
    services.assign(case_id=answered.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=answered.pk, actor=city.officer, action=Action.START)
    services.change_status(
        case_id=answered.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Astupată.",
        decision=GRANTED,
    )
    private = city.report(category=city.noise, latitude=46.05, longitude=23.55)
    return {"open": open_one, "answered": answered, "private": private}


def _no_sideways_scrolling(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    assert width <= viewport["width"], f"the page is {width} pixels wide"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_map_draws_reports_and_links_its_list(browse, reported, viewport):
    page = browse.page
    page.set_viewport_size(viewport)
    browse.visit(reverse("public_map"))
    _no_sideways_scrolling(page)

    summary = page.locator("#map-summary")
    expect(summary).to_contain_text("2")
    expect(page.locator("#public-map .public-marker")).to_have_count(2)
    list_link = page.get_by_role("link", name=_ro("The same problems as a list"))
    expect(list_link).to_be_visible()
    browse.audit()

    # A spot opens a popup naming its report, which links to the report's public page.
    page.locator("#public-map .public-marker.status-open").click()
    popup_link = page.locator(".public-popup a")
    expect(popup_link).to_have_text(reported["open"].number)
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # faded in
    browse.audit()

    with page.expect_navigation(wait_until="load"):
        list_link.click()
    browse.audit()
    _no_sideways_scrolling(page)
    results = page.locator(".public-cases")
    expect(results).to_contain_text(reported["open"].number)
    expect(results).to_contain_text(reported["answered"].number)
    expect(results).not_to_contain_text(reported["private"].number)

    with page.expect_navigation(wait_until="load"):
        results.get_by_role("link", name=reported["open"].number).click()
    browse.audit()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reported["open"].number)
    expect(page.locator("body")).not_to_contain_text("Ion Popescu")


@pytest.fixture
def no_script_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="ro-RO")
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_the_list_filters_work_without_javascript(no_script_page, live_server, reported):
    # axe needs JavaScript: the same pages are audited with it in the test below.
    page = no_script_page
    page.goto(live_server.url + reverse("public_map"))
    expect(page.locator("#map-summary")).to_have_text(
        _ro("The map needs JavaScript; the list holds the same problems.")
    )
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name=_ro("The same problems as a list")).click()

    page.get_by_label(_ro_status("answered"), exact=True).check()
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Show")).press("Enter")
    results = page.locator(".public-cases")
    expect(results).to_contain_text(reported["answered"].number)
    expect(results).not_to_contain_text(reported["open"].number)
    expect(page.get_by_label(_ro_status("answered"), exact=True)).to_be_checked()

    # The map link keeps the filters the list was given.
    map_link = page.get_by_role("link", name=_ro("The same problems on a map"))
    expect(map_link).to_have_attribute(
        "href", f"{reverse('public_map')}?status=answered&period=365"
    )


def test_filtered_pages_pass_the_audit(browse, reported):
    browse.page.set_viewport_size(PHONE)
    query = f"?status=answered&category={reported['answered'].category_id}&period=30"
    browse.visit(reverse("public_list") + query)
    expect(browse.page.locator(".public-cases")).to_contain_text(reported["answered"].number)
    browse.visit(reverse("public_list") + "?status=rejected&page=9")  # refused filter, no results
    browse.visit(reverse("public_map") + query)
    expect(browse.page.locator("#public-map .public-marker")).to_have_count(1)
    browse.audit()
    browse.visit(reverse("public_case", kwargs={"year": 2026, "number": 999999}), status=404)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_header_carries_the_portals_links(browse, db, viewport):
    page = browse.page
    page.set_viewport_size(viewport)
    browse.visit(reverse("home"))
    _no_sideways_scrolling(page)
    navigation = page.get_by_role("navigation", name=_ro("Main"))
    expect(navigation.get_by_role("link", name=_ro("Map"))).to_be_visible()
    expect(navigation.get_by_role("link", name=_ro("Follow your case"))).to_be_visible()
    with page.expect_navigation(wait_until="load"):
        navigation.get_by_role("link", name=_ro("Map")).click()
    browse.audit()
    expect(navigation.get_by_role("link", name=_ro("Map"))).to_have_attribute(
        "aria-current", "page"
    )
