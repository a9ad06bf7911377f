"""Triage at the case card in a real browser: merging a repeated report, redirecting to a utility
operator, and two dispatchers acting on the same case at once. Every page is audited."""

import math
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import Page, expect

from cetate.accounts.roles import Role
from cetate.cases.models import Case
from cetate.lib import clock
from cetate.lib.clock import replaying_at
from cetate.test import INSIDE, make_user
from tests.browser.conftest import Browse

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def card(case: Case) -> str:
    return reverse("console:case", kwargs={"case_id": case.pk})


def submit(page: Page, section: str, button: str) -> None:
    """Press a form's button, as a keyboard user would, and wait for the next page."""
    with page.expect_navigation():
        page.locator(f"#action-{section}").get_by_role("button", name=button, exact=True).press(
            "Enter"
        )


@pytest.fixture(autouse=True)
def _no_map_tiles(settings):
    """The card's map draws the point alone; tests fetch nothing from outside."""
    settings.MAP_TILE_URL = ""


def test_a_repeated_report_is_merged_and_another_redirected(browse, city):
    metres_north = 40 / (6_371_000 * math.pi / 180)
    with replaying_at(clock.now() - timedelta(days=3)):
        earlier = city.report(
            latitude=INSIDE["latitude"] + metres_north,
            longitude=INSIDE["longitude"],
            address="Str. Lungă 3",
        )
    repeated = city.report(address="Str. Lungă 5")
    leak = city.report(description="Curge apă din carosabil, cred că e o conductă spartă")

    browse.sign_in(city.dispatcher)
    browse.visit(card(repeated))
    page = browse.page
    suggestion = page.get_by_role("radio", name=earlier.number)
    expect(page.locator("#action-merge")).to_contain_text("40 m")
    suggestion.check()
    page.get_by_label(_ro("Why they are the same matter")).fill("Aceeași groapă, a sunat din nou")
    submit(page, "merge", _ro("Merge"))
    browse.audit()

    expect(page.get_by_role("status")).to_contain_text(earlier.number)
    expect(page.locator(".case-status")).to_have_text(_ro("merged"))
    assert Case.objects.get(pk=repeated.pk).merged_into_id == earlier.pk

    browse.visit(card(leak))
    send = page.locator("#action-redirect")
    send.get_by_label(_ro("Send to")).select_option(label="Apa CTTA")
    send.get_by_label(_ro("Reason")).fill("Rețeaua de apă e a operatorului")
    submit(page, "redirect", _ro("Send"))
    browse.audit()

    expect(page.locator(".case-status")).to_have_text(_ro("redirected"))
    expect(page.get_by_role("status")).to_contain_text("Apa CTTA")
    history = page.locator(".case-history")
    expect(history).to_contain_text("Rețeaua de apă e a operatorului")
    expect(history).to_contain_text(_ro("the resident too"))


def test_the_second_dispatcher_sees_that_the_first_already_acted(browse, city, browser):
    case = city.report()
    first = make_user("ana", Role.DISPATCHER)
    first.first_name, first.last_name = "Ana", "Pop"
    first.save()
    other_tab = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ro-RO")
    second = Browse(page=other_tab.new_page(), base_url=browse.base_url)
    try:
        browse.sign_in(first)
        second.sign_in(city.dispatcher)
        browse.visit(card(case))
        second.visit(card(case))

        mine = browse.page
        mine.get_by_role("combobox", name=_ro("Officer")).select_option(label="inspector")
        submit(mine, "triage", _ro("Route"))
        browse.audit()
        expect(mine.get_by_role("status")).to_contain_text(case.number)

        theirs = second.page
        theirs.get_by_role("combobox", name=_ro("Category")).select_option(label="Stâlp stins")
        theirs.get_by_role("combobox", name=_ro("Department")).select_option(
            label="Serviciul Iluminat Public"
        )
        theirs.get_by_label(_ro("Note for the department")).fill("Cred că e la iluminat")
        submit(theirs, "triage", _ro("Route"))
        second.audit()

        alert = theirs.get_by_role("alert")
        expect(alert).to_contain_text(_ro("Someone else changed this case"))
        expect(alert).to_contain_text("Ana Pop")
        # What the second dispatcher typed is still there, over the case as it is now.
        expect(theirs.get_by_label(_ro("Note for the department"))).to_have_value(
            "Cred că e la iluminat"
        )
        expect(theirs.locator("#summary-title + dl")).to_contain_text("inspector")
        case.refresh_from_db()
        assert (case.department, case.assignee, case.category) == (
            city.technical,
            city.officer,
            city.pothole,
        )
    finally:
        other_tab.close()
