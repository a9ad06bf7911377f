"""A dispatcher's shift in a real browser: calls with screen pop, the live triage queue."""

import json
import time

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.cases import services
from cetate.cases.choices import Channel
from cetate.cases.models import Case
from cetate.telephony.models import Call

pytestmark = pytest.mark.browser

TOKEN = "cti-token-for-the-browser-test"


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def cti(browse, **payload):
    response = browse.page.request.post(
        browse.url(f"/telephony/cti/{TOKEN}"),
        data=json.dumps(payload),
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 200, response.text()


def test_keyboard_only_phone_intake_from_screen_pop_to_registered_case(browse, city, settings):
    settings.CTI_TOKEN = TOKEN
    settings.MAP_TILE_URL = ""
    city.dispatcher.phone_extension = "101"
    city.dispatcher.save()
    earlier = city.report(category=city.lamp, description="Stâlp stins pe alee")
    browse.sign_in(city.dispatcher)
    browse.visit(reverse("console:queue"))
    page = browse.page

    cti(browse, event="newCall", callId="c-1", **{"from": "0744123456", "to": "0258 819 462"})
    cti(browse, event="answer", callId="c-1", user="101")
    popped = time.monotonic()
    pop = page.locator("#screen-pop")
    expect(pop).to_contain_text("Ion Popescu", timeout=5_000)
    assert time.monotonic() - popped < 5
    expect(pop).to_contain_text(earlier.number)
    browse.audit()

    register = pop.get_by_role("link", name=_ro("Register this call"))
    register.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    browse.audit()
    expect(page.locator("#id_phone")).to_have_value("+40744123456")
    expect(page.locator("#caller-card")).to_contain_text(earlier.number)
    expect(page.locator("#screen-pop")).to_have_count(0)  # the call is on this page already

    page.locator("#id_kind").focus()
    page.keyboard.press("Tab")  # to the category search
    page.keyboard.type("groapa")
    expect(page.locator("#id_category option:checked")).to_have_text(
        "Drumuri › Groapă în carosabil"
    )
    page.locator("#id_description").focus()
    page.keyboard.type("Groapă adâncă în fața școlii")
    page.locator("#id_address").focus()
    page.keyboard.type("Strada Trandafirilor 4")
    page.locator("#id_latitude").focus()
    page.keyboard.type("46.07")
    page.keyboard.press("Tab")
    page.keyboard.type("23.58")
    # The caller confirmed their name and address: the dispatcher joins the known resident.
    checked = page.get_by_label(
        _ro("The caller is %(name)s: identity checked") % {"name": "Ion Popescu"}
    )
    checked.focus()
    page.keyboard.press("Space")
    expect(checked).to_be_checked()
    page.locator("#id_longitude").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    browse.audit()

    case = Case.objects.exclude(pk=earlier.pk).get()
    assert page.url.endswith(reverse("console:case", args=[case.pk]))
    assert (case.channel, case.category, case.reporter) == ("phone", city.pothole, city.resident)
    assert Call.objects.get(call_id="c-1").case == case
    expect(page.locator("main")).to_contain_text(case.number)


def test_new_cases_appear_in_the_queue_without_reloading(browse, city):
    waiting = city.report(channel=Channel.EMAIL, actor=None)
    browse.sign_in(city.dispatcher)
    browse.visit(reverse("console:queue"))
    page = browse.page
    expect(page.locator(f"#queue-case-{waiting.pk}")).to_be_visible()

    arrived_at = time.monotonic()
    arrived = city.report(
        channel=Channel.PORTAL, actor=None, description="Groapă nouă, de pe portal"
    )
    expect(page.locator(f"#queue-case-{arrived.pk}")).to_contain_text(arrived.number, timeout=5_000)
    assert time.monotonic() - arrived_at < 5
    expect(page.locator("#queue-news")).to_contain_text("1")

    # Another dispatcher routes the first case: this screen says so instead of offering it.
    services.assign(case_id=waiting.pk, actor=city.supervisor, department=city.technical)
    expect(page.locator(f"#queue-case-{waiting.pk}")).to_contain_text(
        str(city.supervisor), timeout=5_000
    )
    browse.audit()


def test_front_desk_registers_a_walk_in_and_reaches_the_receipt(browse, city, settings):
    settings.MAP_TILE_URL = ""
    browse.sign_in(city.clerk)
    assert browse.page.url.endswith(reverse("console:desk"))
    page = browse.page
    page.locator("#id_name").fill("Maria Ionescu")
    page.locator("#id_postal_address").fill("Str. Păcii 3, Alba Iulia")
    page.locator("#id_kind").select_option("request")
    page.locator("#id_category").select_option(str(city.noise.pk))
    page.locator("#id_description").fill("Cer aviz pentru terasă.")
    with page.expect_navigation():
        page.get_by_role("button", name=_ro("Register and print the receipt")).click()
    browse.audit()
    case = Case.objects.get()
    assert page.url.endswith(reverse("console:receipt", args=[case.pk]))
    expect(page.locator("main")).to_contain_text(case.number)
    assert case.channel == "desk" and case.reporter.name == "Maria Ionescu"
