"""The report form says, in a real browser, why the kind chosen needs what it asks of its
author: a petition its author's name and an address to answer to."""

import pytest
from django.utils.translation import gettext, override
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def test_the_report_form_gives_the_reason_that_fits_the_kind_chosen(browse, city, settings):
    settings.MAP_TILE_URL = ""
    browse.visit("/report/")
    page = browse.page
    petition_reason = page.locator('#contact-reason [data-kinds="request complaint proposal"]')
    # No category chosen yet: the rule of reports in general.
    report_reason = page.locator('#contact-reason [data-kinds="report"][data-anonymous=""]')
    expect(report_reason).to_be_visible()
    expect(petition_reason).to_be_hidden()
    page.get_by_label(_ro("complaint").capitalize(), exact=True).check()
    expect(petition_reason).to_be_visible()
    expect(petition_reason).to_contain_text("OG 27/2002 art. 7")
    expect(report_reason).to_be_hidden()
    # A report in a category that accepts anonymous reports: optional, and no warning.
    page.get_by_label(_ro("report of a problem").capitalize(), exact=True).check()
    page.get_by_label(_ro("Category"), exact=True).select_option(label="Groapă în carosabil")
    expect(page.locator("#contact-optional")).to_be_visible()
    expect(page.locator("#contact-required")).to_be_hidden()
    expect(page.locator('#contact-reason [data-anonymous="1"]')).to_be_visible()
    expect(page.locator("#contact-reason .report-reason:visible")).to_have_count(0)
    browse.audit()
