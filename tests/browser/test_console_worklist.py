"""A department head hands cases out from the worklist in a real browser, keyboard only where
it matters; every page is audited."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.cases import services
from cetate.cases.models import Case

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def test_a_head_reassigns_cases_in_bulk(browse, city):
    cases = [city.report(address=f"Str. Lungă {n}") for n in (1, 2, 3)]
    for case in cases:
        services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    first, second, untouched = cases

    browse.sign_in(city.head)
    assert browse.page.url.endswith(reverse("console:worklist"))
    page = browse.page
    for case in (first, second):
        page.get_by_label(_ro("Select case %(number)s") % {"number": case.number}).check()
    page.locator("#bulk-assign select[name=assignee]").select_option(label=str(city.officer))
    with page.expect_navigation():
        page.locator("#bulk-assign button[type=submit]").press("Enter")
    browse.audit()

    expect(page.get_by_role("status").first).to_contain_text(str(city.officer))
    assert set(Case.objects.filter(assignee=city.officer).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert Case.objects.get(pk=untouched.pk).assignee is None

    # "Select all" ticks every case of the page; the filters narrow the page first.
    page.get_by_label(_ro("Officer"), exact=True).select_option(value="nobody")
    with page.expect_navigation():
        page.locator("#case-filters button[type=submit]").click()
    browse.audit()
    page.locator("#worklist-all").check()
    expect(
        page.get_by_label(_ro("Select case %(number)s") % {"number": untouched.number})
    ).to_be_checked()
    expect(page.locator("input[name=case]")).to_have_count(1)
