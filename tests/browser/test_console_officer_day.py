"""An officer's day in a real browser: from the worklist to the answer, and an extension with
its notice. Every page is audited; the resident's mail is read as it left."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import Page, expect

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.directory.models import ResponseTemplate

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def field(text: str) -> re.Pattern[str]:
    """A field's label as the card shows it: in Romanian, perhaps followed by a colon."""
    return re.compile("^" + re.escape(_ro(text)) + ":?$")


def press(page: Page, section: str, button: str) -> None:
    """Press a form's button, as a keyboard user would, and wait for the next page."""
    with page.expect_navigation():
        page.locator(f"#action-{section}").get_by_role(
            "button", name=_ro(button), exact=True
        ).press("Enter")


def routed(city, **fields) -> Case:
    case = city.report(**fields)
    return services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)


def test_an_officer_works_a_case_from_the_worklist_to_the_answer(browse, city, mailoutbox):
    city.officer.first_name, city.officer.last_name = "Ana", "Pop"
    city.officer.save()
    ResponseTemplate.objects.create(
        name="Groapă astupată",
        category=city.pothole,
        status="resolved",
        body="Groapa de la {address} (sesizarea {number}) a fost astupată. {officer}",
    )
    case = routed(city, address="Str. Lungă 7")
    mailoutbox.clear()
    page = browse.page

    browse.sign_in(city.officer)
    assert page.url.endswith(reverse("console:worklist"))
    with page.expect_navigation():
        page.get_by_role("link", name=case.number, exact=True).click()
    browse.audit()

    press(page, "accept", "Accept")
    browse.audit()
    expect(page.get_by_role("status")).to_contain_text(case.number)
    press(page, "start", "Start work")
    browse.audit()

    page.get_by_label(field("What or whom the case is waiting for")).fill(
        "Vă rugăm să ne trimiteți o fotografie a gropii."
    )
    press(page, "wait", "Wait")
    browse.audit()
    assert Case.objects.get(pk=case.pk).status == "waiting"
    press(page, "resume", "Resume work")
    browse.audit()

    resolve = page.locator("#action-resolve")
    resolve.get_by_label(field("Start from a model answer")).select_option(label="Groapă astupată")
    answer = f"Groapa de la Str. Lungă 7 (sesizarea {case.number}) a fost astupată. Ana Pop"
    expect(resolve.get_by_label(field("Answer to the resident"))).to_have_value(answer)
    resolve.get_by_role("radio", name=_ro("granted"), exact=True).check()
    resolve.get_by_label(field("Legal basis")).select_option(value="og27-report-solved")
    press(page, "resolve", "Resolve")
    browse.audit()

    done = Case.objects.get(pk=case.pk)
    assert (done.status, done.assignee, done.answer) == ("resolved", city.officer, answer)
    to_resident = [m for m in mailoutbox if m.to == ["ion@example.org"]]
    assert any("fotografie a gropii" in m.body for m in to_resident)
    assert any(answer in m.body for m in to_resident)
    assert all(case.number in m.subject for m in to_resident)


def test_the_head_extends_the_legal_deadline_with_the_notice(browse, city, mailoutbox):
    registered = datetime(2026, 3, 2, 10, 0, tzinfo=CITY_TZ)
    with time_machine.travel(registered, tick=False):
        case = routed(city)
        services.accept(case_id=case.pk, actor=city.officer)
        services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    due = Case.objects.get(pk=case.pk).legal_due
    assert due is not None
    mailoutbox.clear()
    page = browse.page

    with time_machine.travel(registered + timedelta(days=20), tick=True):
        browse.sign_in(city.head)
        browse.visit(reverse("console:case", kwargs={"case_id": case.pk}))
        extend = page.locator("#action-extend")
        extend.get_by_label(field("Extend by (days)")).fill("15")
        extend.get_by_label(field("Notice to the resident")).fill(
            "Lucrarea cere avizul unui alt serviciu; vă răspundem până la noul termen."
        )
        press(page, "extend", "Extend")
        browse.audit()

    extended = Case.objects.get(pk=case.pk)
    assert extended.legal_due == due + timedelta(days=15)
    expect(page.get_by_role("status")).to_contain_text(extended.legal_due.strftime("%d.%m.%Y"))
    assert "extend" not in [
        a.get_attribute("value") for a in page.locator("input[name=action]").all()
    ]
    [notice] = [m for m in mailoutbox if m.to == ["ion@example.org"]]
    assert "avizul unui alt serviciu" in notice.body
    assert extended.legal_due.strftime("%d.%m.%Y") in notice.body
