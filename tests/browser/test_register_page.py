"""The register of entries and exits in the console, in a real browser at a laptop's size."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.cases.choices import Channel, Kind
from cetate.cases.services import cancel_registration
from cetate.contacts.services import create_contact

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def test_the_register_at_1366_pixels_filters_scrolls_and_offers_its_downloads(browse, city):
    kept = city.report()
    mistaken = city.report(description="Apel de test, înregistrat din greșeală")
    cancel_registration(case_id=mistaken.pk, actor=city.dispatcher, reason="Apel de test")
    school = create_contact(name="Școala Gimnazială nr. 1", kind="organisation", email="s@x.ro")
    letter = city.report(
        kind=Kind.REQUEST, channel=Channel.POST, category=city.noise, reporter=school
    )
    page = browse.page
    page.set_viewport_size({"width": 1366, "height": 768})
    browse.sign_in(city.supervisor)
    browse.visit(reverse("console:register"))

    for case in (kept, letter):
        expect(page.get_by_role("rowheader", name=case.number, exact=True)).to_be_visible()
    cancelled = page.locator("tr", has=page.get_by_role("link", name=mistaken.number, exact=True))
    expect(cancelled).to_have_class(re.compile(r"\bcancelled\b"))
    expect(cancelled).to_contain_text(_ro("REGISTRATION CANCELLED"))
    for name in ("PDF (to print)", "XLSX (spreadsheet)", "CSV"):
        link = page.get_by_role("link", name=_ro(name), exact=True)
        expect(link).to_have_attribute("href", re.compile(r"/console/register/export\.\w+\?"))

    # The table scrolls sideways inside its own region, which the keyboard reaches.
    region = page.get_by_role("region", name=re.compile(r"\d"))
    region.focus()
    expect(region).to_be_focused()
    overflow = region.evaluate("(el) => el.scrollWidth > el.clientWidth")
    page_overflow = page.evaluate("() => document.documentElement.scrollWidth > innerWidth")
    assert overflow and not page_overflow
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("(el) => el.scrollLeft > 0", arg=region.element_handle())

    # Filtering by the channel leaves the letter alone.
    page.get_by_label(_ro("Received through")).select_option("post")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Show"), exact=True).click()
    browse.audit()
    expect(page.get_by_role("rowheader", name=letter.number, exact=True)).to_be_visible()
    expect(page.get_by_role("rowheader", name=kept.number, exact=True)).to_have_count(0)
    pdf = page.get_by_role("link", name=_ro("PDF (to print)"), exact=True)
    expect(pdf).to_have_attribute("href", re.compile(r"channel=post"))


def test_the_pdf_link_downloads_the_register(browse, city):
    city.report()
    browse.sign_in(city.dispatcher)
    browse.visit(reverse("console:register"))
    page = browse.page
    with page.expect_download() as download:
        page.get_by_role("link", name=_ro("PDF (to print)"), exact=True).click()
    assert re.fullmatch(r"registru-\d{4}\.pdf", download.value.suggested_filename)


def test_the_former_address_opens_the_register_in_the_console(browse, city):
    case = city.report()
    browse.sign_in(city.supervisor)
    browse.visit(reverse("register"))
    assert browse.page.url.endswith(reverse("console:register"))
    expect(browse.page.get_by_role("rowheader", name=case.number, exact=True)).to_be_visible()


def test_officer_is_refused_the_register(browse, city):
    city.report()
    browse.sign_in(city.officer)
    browse.visit(reverse("console:register"), status=403)
    expect(browse.page.get_by_role("table")).to_have_count(0)
