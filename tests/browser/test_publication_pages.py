"""An officer publishes what the public reads of a report from the case card; the public case
page shows it, and nothing of the resident. Both pages pass the accessibility audit."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cetate.cases import services
from cetate.cases.models import Case
from tests.browser.test_console_officer_day import _ro, field, press
from tests.publication.seeding import configure

pytestmark = pytest.mark.browser

SUMMARY = "Groapă adâncă pe carosabil, lângă trecerea de pietoni."


def test_an_officer_publishes_a_summary_the_public_reads(browse, city):
    configure(city.pothole, "public, rounded, summary")
    case = city.report(description="Groapa din fața casei mele, sunați-mă la 0744 123 456")
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    page = browse.page

    browse.sign_in(city.officer)
    browse.visit(reverse("console:case", kwargs={"case_id": case.pk}))
    expect(page.get_by_role("heading", name=_ro("What the public sees"))).to_be_visible()
    page.locator("#action-publish").get_by_label(
        field("What the public reads of this report")
    ).fill(SUMMARY)
    press(page, "publish", "Publish the summary")
    browse.audit()
    expect(page.get_by_role("status")).to_contain_text(case.number)
    assert Case.objects.get(pk=case.pk).public_summary == SUMMARY

    browse.visit(f"/cases/{case.registration_year}-{case.registration_number}/")
    expect(page.get_by_role("heading", name=_ro("Summary published by the city"))).to_be_visible()
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    for private in ("Ion Popescu", "0744 123 456", "fața casei mele", case.tracking_code):
        expect(page.locator("body")).not_to_contain_text(private)
