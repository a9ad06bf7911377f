"""The printable yearly register at /register/, in a real browser."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.cases.services import cancel_registration

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def test_register_lists_numbers_and_marks_a_cancelled_registration(browse, city, administrator):
    kept = city.report()
    mistaken = city.report(description="Apel de test, înregistrat din greșeală")
    cancel_registration(case_id=mistaken.pk, actor=city.dispatcher, reason="Apel de test")

    browse.sign_in(administrator)
    browse.visit(reverse("register"))

    page = browse.page
    for case in (kept, mistaken):
        assert re.fullmatch(r"\d+/\d{4}", case.number)
        expect(page.get_by_role("rowheader", name=case.number, exact=True)).to_be_visible()
    cancelled = page.locator("tr", has=page.get_by_role("rowheader", name=mistaken.number))
    expect(cancelled).to_have_class(re.compile(r"\bcancelled\b"))
    expect(cancelled).to_contain_text(_ro("REGISTRATION CANCELLED"))
    active = page.locator("tr", has=page.get_by_role("rowheader", name=kept.number))
    expect(active).not_to_contain_text(_ro("REGISTRATION CANCELLED"))
    expect(page.get_by_role("button", name=_ro("Print"))).to_be_visible()


def test_the_printed_register_is_the_table_alone(browse, city, administrator):
    case = city.report()
    browse.sign_in(administrator)
    browse.visit(reverse("register"))

    page = browse.page
    page.emulate_media(media="print")
    browse.audit()
    expect(page.get_by_role("button", name=_ro("Print"))).to_be_hidden()
    expect(page.get_by_role("navigation")).to_be_hidden()
    expect(page.get_by_role("rowheader", name=case.number, exact=True)).to_be_visible()


def test_keyboard_users_can_skip_to_the_register(browse, city, administrator):
    browse.sign_in(administrator)
    browse.visit(reverse("register"))

    page = browse.page
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=_ro("Skip to content"))
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label(_ro("Year"))).to_be_focused()


def test_supervisor_sees_the_register(browse, city):
    case = city.report()
    browse.sign_in(city.supervisor)
    browse.visit(reverse("register"))
    expect(browse.page.get_by_role("rowheader", name=case.number, exact=True)).to_be_visible()


def test_officer_is_refused_the_register(browse, city):
    city.report()
    browse.sign_in(city.officer)
    browse.visit(reverse("register"), status=403)
    expect(browse.page.get_by_role("table")).to_have_count(0)
