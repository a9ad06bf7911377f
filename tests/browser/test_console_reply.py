"""An officer sees on the worklist that a resident replied, opens the case and reads the reply;
every page is audited."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.cases import services

pytestmark = pytest.mark.browser

REPLY = "Groapa s-a adâncit după ploaie."


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def test_an_officer_sees_a_new_reply_on_the_worklist_and_reads_it(browse, city):
    quiet = city.report(address="Str. Lungă 1")
    replied = city.report(address="Str. Lungă 2")
    for case in (quiet, replied):
        services.assign(
            case_id=case.pk,
            actor=city.dispatcher,
            department=city.technical,
            assignee=city.officer,
        )
    services.record_resident_reply(
        case_id=replied.pk,
        sender="ion@example.org",
        subject=f"Re: Cazul {replied.number}",
        text=REPLY,
        shown=REPLY,
    )

    browse.sign_in(city.officer)
    page = browse.page
    browse.visit(reverse("console:worklist"))
    badge = _ro("New reply from the resident")
    row = page.get_by_role("row").filter(
        has=page.get_by_role("link", name=replied.number, exact=True)
    )
    expect(row).to_contain_text(badge)
    expect(page.get_by_text(badge)).to_have_count(1)
    waiting = page.get_by_role("list", name=_ro("Waiting"))
    expect(waiting).to_contain_text(f"{_ro('Unread replies')}: 1")

    # The header's count leads to the officer's cases with a reply to read.
    with page.expect_navigation():
        waiting.get_by_role("link", name=_ro("Unread replies")).click()
    browse.audit()
    expect(page.get_by_role("link", name=replied.number, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=quiet.number, exact=True)).to_have_count(0)

    with page.expect_navigation():
        page.get_by_role("link", name=replied.number, exact=True).click()
    browse.audit()
    expect(page.locator(".case-history")).to_contain_text(REPLY)

    browse.visit(reverse("console:worklist"))
    expect(page.get_by_text(badge)).to_have_count(0)
    expect(waiting).to_contain_text(f"{_ro('Unread replies')}: 0")
