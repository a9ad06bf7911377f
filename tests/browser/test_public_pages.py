"""What a resident meets without an account: the home page and the tracking page."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.cases import services
from cetate.cases.workflow import Action
from cetate.test import GRANTED

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    with override("ro"):
        return gettext(text)


def test_a_resident_follows_a_case_by_its_code_from_the_keyboard(browse, city):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Groapa a fost astupată.",
        decision=GRANTED,
    )

    browse.visit(reverse("home"))
    page = browse.page
    field = page.get_by_label(_ro("Tracking code (from your registration receipt or email)"))
    field.focus()
    page.keyboard.type(case.tracking_code.lower())
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    browse.audit()

    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    expect(page.get_by_text(_ro("Answered."))).to_be_visible()
    expect(page.get_by_text("Groapa a fost astupată.").first).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Ion Popescu")


def test_the_tracking_page_in_english(browse, city):
    case = city.report()
    browse.visit(reverse("track", args=[case.tracking_code]))
    page = browse.page
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="EN").click()
    browse.audit()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(
        page.get_by_text("Registered; it will be sent to the department responsible.")
    ).to_be_visible()


def test_an_unknown_code_is_a_readable_not_found(browse, db):
    browse.visit(reverse("track", args=["ZZZZZZZZZZ"]), status=404)


def test_staff_sign_in_refuses_a_wrong_password_clearly(browse, city):
    browse.visit(reverse("login"))
    page = browse.page
    page.locator("input[name=username]").fill("inspector")
    page.locator("input[name=password]").fill("greșită")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    browse.audit()
    expect(page.get_by_role("alert")).to_have_text(_ro("The user name or the password is wrong."))


def test_every_page_links_the_accessibility_statement_and_the_privacy_notice(browse, settings):
    settings.ACCESSIBILITY_EMAIL = "accesibil@example.org"
    browse.visit(reverse("home"))
    page = browse.page
    footer = page.get_by_role("contentinfo")
    with page.expect_navigation():
        footer.get_by_role("link", name=_ro("Accessibility statement")).click()
    browse.audit()
    expect(page.get_by_role("heading", level=1)).to_have_text(_ro("Accessibility statement"))
    expect(page.get_by_role("link", name="accesibil@example.org")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("contentinfo").get_by_role("link", name=_ro("Privacy notice")).click()
    browse.audit()
    expect(page.get_by_role("heading", level=1)).to_have_text(_ro("Privacy notice"))
