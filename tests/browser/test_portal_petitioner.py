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
    report_reason = page.locator('#contact-reason [data-kinds="report"]')
    expect(report_reason).to_be_visible()
    expect(petition_reason).to_be_hidden()
    page.get_by_label(_ro("complaint").capitalize(), exact=True).check()
    expect(petition_reason).to_be_visible()
    expect(petition_reason).to_contain_text("OG 27/2002 art. 7")
    expect(report_reason).to_be_hidden()
    browse.audit()
