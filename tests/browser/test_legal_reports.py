"""The legal reports page in a real browser: a supervisor chooses a report and its period and
reads the tables; every page is audited for accessibility."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from tests.monitoring.legal_fixture import petitions_register

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    with override("ro"):
        return gettext(text)


def test_a_supervisor_chooses_a_period_and_reads_the_tables(browse, city):
    petitions_register(city)
    browse.sign_in(city.supervisor)
    browse.visit(reverse("console:legal_reports"))

    page = browse.page
    page.get_by_label(_ro("Report"), exact=True).select_option("petitions")
    page.get_by_label(_ro("From"), exact=True).fill("2026-01-01")
    page.get_by_label(_ro("To (included)")).fill("2026-06-30")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Show the report")).click()
    browse.audit()

    by_kind = page.get_by_role("table", name=_ro("Petitions received, by kind"))
    expect(by_kind).to_be_visible()
    total = by_kind.get_by_role("row", name=_ro("Total received"))
    expect(total.get_by_role("cell")).to_have_text(["10"])
    expect(page.get_by_role("link", name=_ro("Download PDF"))).to_be_visible()
    expect(page.get_by_role("link", name=_ro("Download XLSX"))).to_be_visible()

    # The other report, for the same period.
    page.get_by_label(_ro("Report"), exact=True).select_option("public-information")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Show the report")).click()
    browse.audit()
    expect(
        page.get_by_role("table", name=_ro("Administrative complaints and complaints to the court"))
    ).to_be_visible()

    # The quick choice of the last year that ended.
    last_year = timezone.localdate().year - 1
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name=_ro("Last year (%(year)s)") % {"year": last_year}).click()
    browse.audit()
    expect(page.get_by_label(_ro("From"), exact=True)).to_have_value(f"{last_year}-01-01")
    expect(page.get_by_label(_ro("To (included)"))).to_have_value(f"{last_year}-12-31")


def test_an_officer_is_refused_the_reports(browse, city):
    browse.sign_in(city.officer)
    browse.visit(reverse("console:legal_reports"), status=403)
    expect(browse.page.get_by_role("table")).to_have_count(0)
