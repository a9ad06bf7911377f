"""A supervisor signs in, lands on the supervision page, follows a count of the late table to
the cases behind it and sends two of them to another department; every page is audited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.cases import services
from cetate.cases.models import Case
from cetate.lib import clock

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def test_a_supervisor_finds_late_cases_and_sends_them_to_another_department(browse, city):
    today = clock.now().date()
    late = []
    for n in (1, 2, 3):
        case = city.report(address=f"Str. Lungă {n}")
        services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
        late.append(case)
    Case.objects.filter(pk__in=[case.pk for case in late]).update(
        legal_due=today - timedelta(days=2), internal_due=today - timedelta(days=2)
    )
    soon = city.report(category=city.noise, address="Str. Scurtă 1")
    services.assign(case_id=soon.pk, actor=city.dispatcher, department=city.technical)
    Case.objects.filter(pk=soon.pk).update(
        legal_due=today + timedelta(days=1), internal_due=today + timedelta(days=1)
    )
    first, second, untouched = late
    dues = {case.pk: Case.objects.get(pk=case.pk).legal_due for case in late}

    browse.sign_in(city.supervisor)
    page = browse.page
    assert page.url.endswith(reverse("console:supervision"))
    expect(page.get_by_role("heading", level=1)).to_have_text(_ro("Supervision"))

    # The late table's count of overdue potholes lists exactly those three cases.
    table = page.locator("table.supervision-matrix")
    with page.expect_navigation():
        table.locator("a[href*='deadline=overdue']").first.click()
    browse.audit()
    assert "deadline=overdue" in page.url
    results = page.locator("#case-results tbody tr")
    expect(results).to_have_count(3)
    expect(page.locator("#case-results")).not_to_contain_text(soon.number)
    expect(page.get_by_label(_ro("Deadline"), exact=True)).to_have_value("overdue")

    for case in (first, second):
        page.get_by_label(_ro("Select case %(number)s") % {"number": case.number}).check()
    page.get_by_label(_ro("Send the ticked cases to")).select_option(label=city.lighting.name)
    page.get_by_label(_ro("Officer (optional)")).select_option(label=str(city.lighting_officer))
    page.get_by_label(_ro("Note for the department (optional)")).fill("Sunt ale iluminatului.")
    with page.expect_navigation():
        page.locator("#bulk-assign button[type=submit]").press("Enter")
    browse.audit()

    expect(page.get_by_role("status").first).to_contain_text(str(city.lighting_officer))
    assert "deadline=overdue" in page.url
    for case in (first, second):
        moved = Case.objects.get(pk=case.pk)
        assert (moved.department, moved.assignee) == (city.lighting, city.lighting_officer)
        assert moved.legal_due == dues[case.pk]
    assert Case.objects.get(pk=untouched.pk).department == city.technical

    # The list filters in place: only the technical department's overdue case is left.
    page.get_by_label(_ro("Department"), exact=True).select_option(label=city.technical.name)
    page.locator("#case-filters button[type=submit]").click()
    expect(page.locator("#case-results tbody tr")).to_have_count(1)
    expect(page.locator("#case-results")).to_contain_text(untouched.number)
    browse.audit()
