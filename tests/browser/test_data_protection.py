"""The data protection officer's pages in a real browser, on a laptop screen (1366×768):
find a person, restrict the processing of their data, review an erasure — every page axe-clean."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    with override("ro"):
        return gettext(text)


def test_the_officer_finds_a_person_restricts_and_reviews_an_erasure(browse, city):
    case = city.report()
    page = browse.page
    page.set_viewport_size({"width": 1366, "height": 768})

    browse.sign_in(city.dpo)
    assert page.url.endswith(reverse("console:data_protection"))
    page.get_by_label(_ro("Email, phone number or name")).fill("ion@example.org")
    with page.expect_navigation():
        page.get_by_role("button", name=_ro("Find")).click()
    browse.audit()

    with page.expect_navigation():
        page.get_by_role("link", name="Ion Popescu").click()
    browse.audit()
    expect(page.get_by_role("link", name=case.number)).to_be_visible()

    restriction = page.locator(
        "form", has=page.get_by_role("button", name=_ro("Restrict processing"))
    )
    restriction.get_by_label(_ro("Request or reason")).fill("Cererea 12/2026")
    with page.expect_navigation():
        restriction.get_by_role("button", name=_ro("Restrict processing")).click()
    browse.audit()
    expect(page.get_by_role("note")).to_contain_text(_ro("Processing restricted (GDPR art. 18)"))

    with page.expect_navigation():
        page.get_by_role("link", name=case.number).click()
    browse.audit()
    expect(page.get_by_role("note")).to_contain_text(_ro("Processing restricted (GDPR art. 18)"))

    browse.visit(
        reverse("console:data_protection_erasure", kwargs={"contact_id": city.resident.pk})
    )
    expect(page.get_by_role("table")).to_contain_text(case.number)
    expect(page.get_by_role("button", name=_ro("Erase"))).to_be_visible()
