"""A resident on a phone: sees on the receipt and the tracking page what they sent, and answers
"is your problem solved?" from the link in the resolution mail and from the tracking page;
every page is audited."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.cases import services
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.portal.report import RECEIPT_COOKIE
from cetate.test import GRANTED
from tests.browser.conftest import TIMEOUT_MS, Browse
from tests.cases.files import jpeg_with_gps
from tests.portal.reporting import only_case, pothole, send, upload

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
LARGE_PHONE = {"width": 390, "height": 844}


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def resolved(city) -> Case:
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    return services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Groapa a fost astupată.",
        decision=GRANTED,
    )


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_follows_the_no_link_of_the_mail(browse, city, settings, mailoutbox):
    settings.SITE_URL = browse.base_url.rstrip("/")
    case = resolved(city)
    # "Nu: <link>" is the Romanian mail's "No" answer.
    [link] = re.findall(r"^Nu: (\S+)$", mailoutbox[-1].body, flags=re.MULTILINE)
    page = browse.page
    page.set_viewport_size(PHONE)

    browse.visit(urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    expect(page.get_by_label(_ro("No, it is not solved"))).to_be_checked()
    assert fits_the_screen(page)
    assert Case.objects.get(pk=case.pk).status == "resolved"  # opening the link did nothing

    page.get_by_label(_ro("What is still wrong? (optional)")).fill("Groapa s-a redeschis.")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Confirm my answer")).click()
    browse.audit()
    expect(page.get_by_role("status")).to_contain_text(case.number)
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert case.events.get(kind="reopened").text == "Groapa s-a redeschis."

    # The link again, later: it says the answer is recorded and offers no form.
    browse.visit(urlsplit(link).path)
    expect(page.get_by_role("status")).to_contain_text(case.number)
    expect(page.locator("form.feedback-form")).to_have_count(0)


def test_a_resident_answers_yes_on_the_tracking_page(browse, city):
    case = resolved(city)
    page = browse.page
    page.set_viewport_size(PHONE)

    browse.visit(reverse("track", args=[case.tracking_code]))
    expect(page.get_by_role("heading", name=_ro("Is your problem solved?"))).to_be_visible()
    assert fits_the_screen(page)
    page.get_by_label(_ro("Comment (optional)")).fill("Mulțumesc!")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Yes, it is solved")).click()
    browse.audit()
    expect(page.get_by_role("heading", level=1)).to_have_text(_ro("Thank you for your answer"))
    case.refresh_from_db()
    assert (case.status, case.feedback) == ("closed", "satisfied")

    page.get_by_role("link", name=_ro("See the whole case")).click()
    page.wait_for_load_state("load")
    browse.audit()
    expect(page.get_by_role("heading", name=_ro("Is your problem solved?"))).to_have_count(0)


def shows_what_was_sent(page, where: str) -> None:
    """The place in words and the photo's thumbnail, loaded, on a page that fits the phone."""
    sent = page.get_by_role("region", name=_ro("What you sent us"))
    expect(sent).to_contain_text("Strada Mihai Viteazul 12")
    link = sent.get_by_role("link", name=_ro("Photo %(number)s, full size") % {"number": 1})
    expect(link).to_be_visible()
    loaded = link.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert loaded, f"the photo's thumbnail did not load on the {where}"
    assert fits_the_screen(page), where


def test_a_resident_with_an_english_phone_sees_what_they_sent(browser, live_server, city, settings):
    settings.LANGUAGE_FROM_BROWSER = False
    # The report is sent from this phone: its receipt cookie is the phone's.
    photo = upload("groapa.jpg", jpeg_with_gps(size=(640, 480)))
    data = pothole(city, address="Strada Mihai Viteazul 12", name="Ana Pop", email="a@example.org")
    sent = send(Client(), {**data, "documents": [photo]})
    assert sent.status_code == 302
    case = only_case()
    context = browser.new_context(viewport=LARGE_PHONE, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    receipt = sent.cookies[RECEIPT_COOKIE].value
    context.add_cookies([{"name": RECEIPT_COOKIE, "value": receipt, "url": live_server.url}])
    browse = Browse(page=context.new_page(), base_url=live_server.url)
    page = browse.page

    # An English browser, and no language chosen: the pages are in Romanian.
    browse.visit(reverse("report_sent"))
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    shows_what_was_sent(page, "receipt")

    with page.expect_navigation(wait_until="load"):
        page.locator("#main").get_by_role("link", name=_ro("Follow your case")).click()
    browse.audit()
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    shows_what_was_sent(page, "tracking page")
    context.close()
