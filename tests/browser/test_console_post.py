"""The registry registers letters by post in a real browser: one from an institution with its
register details, and an anonymous one filed once the clerk says so."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.cases.models import Case

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def test_the_clerk_registers_a_letter_and_files_an_anonymous_one(browse, city, settings):
    settings.MAP_TILE_URL = ""
    browse.sign_in(city.clerk)
    page = browse.page
    page.get_by_role("link", name=_ro("Letters by post")).click()
    page.wait_for_url("**/console/post/")
    browse.audit()
    expect(page.get_by_role("heading", level=1)).to_have_text(_ro("Register a letter by post"))

    page.select_option("#id_contact_kind", "organisation")
    page.fill("#id_name", "Școala Gimnazială nr. 2")
    page.fill("#id_postal_address", "Strada Școlii 1, Alba Iulia")
    page.select_option("#id_answer_channel", "post")
    page.select_option("#id_kind", "request")
    page.fill("#id_description", "Solicităm toaletarea arborilor din curtea școlii.")
    page.fill("#id_sender_reference", "1234")
    page.fill("#id_sender_reference_date", "2026-01-05")
    page.fill("#id_pages", "3")
    page.fill("#id_annexes", "2")
    with page.expect_navigation():
        page.get_by_role("button", name=_ro("Register"), exact=True).click()
    browse.audit()
    letter = Case.objects.get()
    expect(page.locator("#summary-title + .case-summary")).to_contain_text("1234 / 05.01.2026")
    assert (letter.channel, letter.pages, letter.annexes) == ("post", 3, 2)

    browse.visit(reverse("console:post"))
    page.select_option("#id_kind", "complaint")
    page.fill("#id_description", "Vecinii fac zgomot noaptea.")
    page.get_by_role("button", name=_ro("Register"), exact=True).click()
    expect(page.locator("#id_name_error")).to_contain_text("OG 27/2002 art. 7")
    browse.audit()
    assert Case.objects.count() == 1

    page.get_by_label(
        _ro("Anonymous or unidentifiable — register and file (OG 27/2002 art. 7)")
    ).check()
    with page.expect_navigation():
        page.get_by_role("button", name=_ro("Register"), exact=True).click()
    browse.audit()
    filed = Case.objects.latest("pk")
    assert (filed.registration_number, filed.status, filed.outcome) == (2, "rejected", "filed")
    outcome = _ro("filed, not considered")
    expect(page.locator("#summary-title + .case-summary")).to_contain_text(
        outcome[0].upper() + outcome[1:]
    )
