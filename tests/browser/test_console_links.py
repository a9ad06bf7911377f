"""Reports of one problem by two residents in a real browser: the officer links them and sends
one answer to both, each on their own case; a resident stops the news emails on a phone, after
confirming, and still gets the answer. Every page is audited."""

import math

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import Page, ViewportSize, expect

from cetate.cases import services
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact
from cetate.test import GRANTED, INSIDE
from tests.browser.conftest import Browse

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def started(city, **fields) -> Case:
    case = city.report(**fields)
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    return services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)


def submit(page: Page, section: str, button: str) -> None:
    with page.expect_navigation(wait_until="load"):
        page.locator(f"#action-{section}").get_by_role("button", name=button, exact=True).click()


def test_an_officer_links_two_reports_and_answers_both(browse: Browse, city, mailoutbox):
    ion = started(city)
    metres_north = 30 / (6_371_000 * math.pi / 180)
    maria = started(
        city,
        reporter=create_contact(name="Maria Vecina", email="maria@example.org"),
        latitude=INSIDE["latitude"] + metres_north,
        longitude=INSIDE["longitude"],
    )
    browse.sign_in(city.officer)
    page = browse.page

    browse.visit(reverse("console:case", args=[ion.pk]))
    link = page.locator("#action-link")
    expect(page.locator("#action-merge")).to_have_count(0)  # officers do not merge
    link.get_by_role("radio", name=maria.number).check()
    link.get_by_label(_ro("Why it is the same problem")).fill("Aceeași groapă")
    submit(page, "link", _ro("Link"))
    browse.audit()
    expect(page.get_by_role("status")).to_contain_text(maria.number)
    expect(page.locator(".case-links")).to_contain_text(maria.number)

    mailoutbox.clear()
    resolve = page.locator("#action-resolve")
    resolve.get_by_label(_ro("Answer to the resident")).fill("Groapa a fost astupată.")
    resolve.get_by_role("checkbox", name=maria.number).check()
    resolve.get_by_role("radio", name=_ro("granted"), exact=True).check()
    resolve.get_by_label(_ro("Legal basis")).select_option(value="og27-granted")
    submit(page, "resolve", _ro("Resolve"))
    browse.audit()

    expect(page.get_by_role("status")).to_contain_text(maria.number)
    assert Case.objects.get(pk=maria.pk).status == "resolved"
    told = {mail.to[0]: mail.body for mail in mailoutbox}
    assert set(told) == {"ion@example.org", "maria@example.org"}
    assert maria.tracking_code in told["maria@example.org"]
    assert ion.tracking_code not in told["maria@example.org"]
    browse.visit(reverse("console:case", args=[maria.pk]))
    expect(page.locator(".case-links")).to_contain_text(ion.number)


def test_a_resident_stops_the_news_on_a_phone_and_still_gets_the_answer(
    browse: Browse, city, mailoutbox
):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    page = browse.page
    page.set_viewport_size(PHONE)

    browse.visit(reverse("track", args=[case.tracking_code]))
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name=_ro("Stop the news emails about this case")).click()
    browse.audit()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert Case.objects.get(pk=case.pk).updates_stopped_at is None  # opening it stops nothing
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Stop the news emails")).click()
    browse.audit()
    expect(page.get_by_role("link", name=_ro("Email me the news again"))).to_be_visible()
    assert Case.objects.get(pk=case.pk).updates_stopped_at is not None

    mailoutbox.clear()
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    assert mailoutbox == []
    services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Groapa a fost astupată.",
        decision=GRANTED,
    )
    [answer] = mailoutbox
    assert "Groapa a fost astupată." in answer.body
