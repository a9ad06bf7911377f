"""A resident on a phone opens the emailed tracking link, signs in by the emailed link, sees
"my cases" and downloads their data; every page is audited."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.cases import services
from cetate.cases.workflow import Action

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_signs_in_by_mail_and_downloads_their_data(browse, city, settings, mailoutbox):
    settings.SITE_URL = browse.base_url.rstrip("/")
    case = city.report()
    page = browse.page
    page.set_viewport_size(PHONE)

    # The registration mail's tracking link.
    [tracking] = re.findall(rf"{re.escape(settings.SITE_URL)}/t/\w+", mailoutbox[-1].body)
    browse.visit(urlsplit(tracking).path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    expect(
        page.get_by_role("link", name=_ro("Stop the news emails about this case"))
    ).to_be_visible()
    assert fits_the_screen(page)

    # "My cases" asks for the email address first.
    browse.visit("/account/")
    assert urlsplit(page.url).path == "/account/sign-in/"
    # A mistyped address is explained next to the field, and the page stays accessible.
    page.get_by_label(_ro("Your email address")).fill("ion@")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Send me the link")).click()
    browse.audit()
    expect(page.get_by_label(_ro("Your email address"))).to_have_attribute("aria-invalid", "true")
    page.get_by_label(_ro("Your email address")).fill("ion@example.org")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Send me the link")).click()
    browse.audit()
    expect(page.get_by_role("status")).to_contain_text("ion@example.org")
    assert fits_the_screen(page)

    [link] = re.findall(r"https?://\S+", mailoutbox[-1].body)
    browse.visit(urlsplit(link).path)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Sign in")).click()
    browse.audit()
    assert urlsplit(page.url).path == "/account/"
    expect(page.get_by_role("heading", level=1)).to_have_text(_ro("My cases"))
    expect(page.locator(f'.my-cases a[href="/t/{case.tracking_code}"]')).to_contain_text(
        case.number
    )
    expect(page.get_by_label(_ro("Name"))).to_have_value("Ion Popescu")
    assert fits_the_screen(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=_ro("Download my data (JSON)")).click()
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert [item["number"] for item in data["cases"]] == [case.number]
    assert data["contacts"][0]["email"] == "ion@example.org"

    # The same page on a desktop screen.
    page.set_viewport_size({"width": 1280, "height": 900})
    browse.audit()


def test_a_neighbour_follows_and_unfollows_a_case_on_a_phone(browse, city, settings, mailoutbox):
    settings.SITE_URL = browse.base_url.rstrip("/")
    case = city.report()
    page = browse.page
    page.set_viewport_size(PHONE)

    browse.visit(f"/follow/{case.pk}/")
    page.get_by_label(_ro("Your email address")).fill("vecin@example.org")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Follow by email")).click()
    browse.audit()
    expect(page.get_by_role("status")).to_contain_text("vecin@example.org")

    [confirm] = re.findall(r"https?://\S+", mailoutbox[-1].body)
    browse.visit(urlsplit(confirm).path)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Confirm")).click()
    browse.audit()
    assert fits_the_screen(page)

    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    [update] = [mail for mail in mailoutbox if mail.to == ["vecin@example.org"]][1:]
    [unfollow] = re.findall(r"https?://\S+", update.body)
    browse.visit(urlsplit(unfollow).path)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Stop the updates")).click()
    browse.audit()
    assert fits_the_screen(page)
