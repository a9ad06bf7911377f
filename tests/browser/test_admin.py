"""The technical administrator's pages in Django's admin, in a real browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cetate.directory.models import Street

pytestmark = pytest.mark.browser


def test_administrator_walks_through_the_admin(browse, city, administrator):
    first = city.report()
    second = city.report(category=city.lamp, description="Stâlp stins pe strada Mare")
    Street.objects.create(street_type="Strada", name="Mare")

    browse.sign_in(administrator)
    browse.visit(reverse("admin:index"))

    for model in ("department", "category", "area", "street"):
        browse.visit(reverse(f"admin:directory_{model}_changelist"))
    expect(browse.page.get_by_text("Strada Mare").first).to_be_visible()

    browse.visit(reverse("admin:cases_case_changelist"))
    for case in (first, second):
        expect(browse.page.get_by_text(case.number, exact=True).first).to_be_visible()

    browse.visit(reverse("admin:directory_category_change", args=[city.pothole.pk]))
    expect(browse.page.locator("input[name=code]")).to_have_value("roads.pothole")

    browse.visit(reverse("register"))
    expect(browse.page.get_by_role("rowheader", name=first.number, exact=True)).to_be_visible()
