"""An officer and a department head on a 1366 × 768 screen: the first case due comes first and
every column is in view; the officer answers straight from the queue from a model answer that
fits the outcome, with the resident's photo in sight; the head sees a reopened case flagged.
Every page is audited."""

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.cases.uploads import Upload
from cetate.cases.workflow import Action
from cetate.directory.models import ResponseTemplate, TemplatePurpose
from cetate.test import GRANTED
from tests.cases.files import jpeg_with_gps

pytestmark = pytest.mark.browser

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=CITY_TZ)
SCREEN = {"width": 1366, "height": 768}


def _ro(text: str) -> str:
    with override("ro"):
        return gettext(text)


def field(text: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(_ro(text)) + ":?$")


def routed(city, **fields) -> Case:
    case = city.report(**fields)
    return services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)


def held_to(case: Case, internal_due: date, service_due: datetime | None) -> None:
    case.internal_due, case.service_due = internal_due, service_due
    case.save(update_fields=["internal_due", "service_due"])


def test_an_officer_answers_from_the_queue_and_the_head_sees_a_reopened_case(browse, city):
    with time_machine.travel(NOW, tick=True):
        later = routed(city, address="Str. Lungă 1")
        held_to(later, NOW.date() + timedelta(days=28), None)
        today = routed(city, address="Str. Scurtă 2")
        held_to(today, NOW.date() + timedelta(days=30), NOW + timedelta(hours=3, minutes=49))
        services.add_attachment(
            case_id=today.pk,
            actor=None,
            upload=Upload(name="groapa.jpg", content=jpeg_with_gps((800, 600))),
        )
        reopened = routed(city, address="Str. Mică 3")
        services.change_status(
            case_id=reopened.pk,
            actor=city.officer,
            action=Action.RESOLVE,
            text="Gata.",
            decision=GRANTED,
        )
        services.record_feedback(case_id=reopened.pk, satisfied=False, comment="Tot acolo.")
        ResponseTemplate.objects.create(name="Confirmare", body="Am primit {number}.")
        ResponseTemplate.objects.create(
            name="Groapă astupată",
            purpose=TemplatePurpose.GRANTED,
            body="Groapa din sesizarea {number} a fost astupată.",
        )
        ResponseTemplate.objects.create(
            name="Nu ține de noi",
            purpose=TemplatePurpose.REFUSED,
            body="Nu e de competența noastră.",
        )
        page = browse.page
        page.set_viewport_size(SCREEN)

        # The officer: the case due at 13:49 today comes first, Priority is in view.
        browse.sign_in(city.officer)
        assert page.url.endswith(reverse("console:worklist"))
        rows = page.locator("table.worklist tbody tr")
        expect(rows.first.get_by_role("rowheader")).to_contain_text(today.number)
        expect(page.get_by_role("columnheader", name=_ro("Priority"))).to_be_in_viewport()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SCREEN["width"], f"the worklist is {width} px wide"
        expect(rows.filter(has_text=reopened.number).get_by_text(_ro("Reopened"))).to_be_visible()

        with page.expect_navigation():
            page.get_by_role("link", name=today.number, exact=True).click()
        browse.audit()

        # The photo: a preview on the card, a larger view over it.
        preview = page.locator(".case-photos a img")
        expect(preview).to_be_visible()
        assert page.evaluate("document.querySelector('.case-photos a img').naturalWidth") == 320
        page.locator(".case-photos a").click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible()
        expect(dialog.locator("img")).to_have_js_property("naturalWidth", 800)
        browse.audit()
        dialog.get_by_role("button", name=_ro("Close")).click()
        expect(dialog).to_be_hidden()

        # The answer comes first; its model answers follow the outcome chosen.
        first_action = page.locator(".case-actions section.case-action").first
        expect(first_action).to_have_id("action-resolve")
        resolve = page.locator("#action-resolve")
        templates = resolve.get_by_label(field("Start from a model answer"))
        expect(templates.locator("option", has_text="Confirmare")).to_have_count(0)
        resolve.get_by_role("radio", name=_ro("granted"), exact=True).check()
        expect(templates.locator("option", has_text="Nu ține de noi")).to_be_disabled()
        templates.select_option(label="Groapă astupată")
        answer = f"Groapa din sesizarea {today.number} a fost astupată."
        expect(resolve.get_by_label(field("Answer to the resident"))).to_have_value(answer)
        resolve.get_by_label(field("Legal basis")).select_option(value="og27-report-solved")
        with page.expect_navigation():
            resolve.get_by_role("button", name=_ro("Resolve"), exact=True).press("Enter")
        browse.audit()
        expect(page.get_by_role("status").first).to_contain_text(today.number)

        done = Case.objects.get(pk=today.pk)
        assert (done.status, done.assignee, done.answer) == ("resolved", city.officer, answer)
        assert done.events.filter(data__implied_by="resolve").count() == 3

        # The head: the select-all box's label is for screen readers, the reopened case flagged.
        page.context.clear_cookies()
        browse.sign_in(city.head)
        assert page.url.endswith(reverse("console:worklist"))
        select_all = page.locator("#worklist-all")
        expect(select_all).to_be_attached()
        expect(page.get_by_label(_ro("Select all on this page"))).to_have_count(1)
        header = page.locator("#worklist-select-all").bounding_box()
        assert header is not None and header["height"] < 60, header
        expect(page.get_by_role("columnheader", name=_ro("Priority"))).to_be_in_viewport()
        row = page.locator("table.worklist tbody tr", has_text=reopened.number)
        expect(row.get_by_text(_ro("Reopened"))).to_be_visible()
        expect(page.locator("table.worklist tbody tr", has_text=later.number)).not_to_contain_text(
            _ro("Reopened")
        )
