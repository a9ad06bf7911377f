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
from cetate.cases.receipt import Document
from cetate.telephony.models import Call
from tests.cases.files import minimal_pdf

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
    """A dispatcher's call from the screen pop to its number read out, its receipt mailed, and
    the next case triaged, at a dispatcher's 1366×768 screen."""
    settings.CTI_TOKEN = TOKEN
    browse.page.set_viewport_size({"width": 1366, "height": 768})
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
    assert page.url.endswith(reverse("console:registered", args=[case.pk]))
    assert (case.channel, case.category, case.reporter) == ("phone", city.pothole, city.resident)
    assert Call.objects.get(call_id="c-1").case == case

    # The number and the tracking code, large, in view, the code in groups to read out.
    number = page.locator(".registered-number")
    expect(number).to_have_text(case.number)
    expect(number).to_be_in_viewport()
    code = page.locator(".registered-code")
    expect(code).to_be_in_viewport()
    groups = code.locator("span").all_inner_texts()
    assert "".join(groups) == case.tracking_code and len(groups) == 3
    for large in (number, code):
        size = large.evaluate("element => parseFloat(getComputedStyle(element).fontSize)")
        assert size >= 32  # twice the text around it

    # The caller spells an address: the registration mail goes there.
    address = page.get_by_label(_ro("Their email address"))
    expect(address).to_have_value("ion@example.org")
    address.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("ion.popescu@example.com")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    browse.audit()
    result = page.locator("#result")
    expect(result).to_contain_text("ion.popescu@example.com")
    expect(result).to_be_focused()
    assert case.events.filter(kind="receipt_mailed").count() == 1

    # Triage of the earlier report: the result of the action is in view and has the focus.
    browse.visit(reverse("console:case", args=[earlier.pk]))
    page.get_by_role("combobox", name=_ro("Officer")).select_option(label="electrician")
    route = page.locator("#action-triage").get_by_role("button", name=_ro("Route"), exact=True)
    route.scroll_into_view_if_needed()
    with page.expect_navigation():
        route.press("Enter")
    browse.audit()
    assert page.url.endswith("#result")
    expect(result).to_contain_text(earlier.number)
    expect(result).to_be_in_viewport()
    expect(result).to_be_focused()


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
    """A walk-in with a scanned letter: the side panel speaks of the visitor, the receipt lists
    the document, and its PDF is downloaded as a file."""
    settings.MAP_TILE_URL = ""
    browse.page.set_viewport_size({"width": 1366, "height": 768})
    city.report()  # the visitor called once before
    browse.sign_in(city.clerk)
    assert browse.page.url.endswith(reverse("console:desk"))
    page = browse.page
    page.locator("#id_phone").press_sequentially("0744 123 456")
    panel = page.locator("#caller-card")
    expect(panel).to_contain_text("Ion Popescu")
    expect(panel.locator("h2")).to_have_text(_ro("Visitor"))
    expect(panel.locator("legend")).to_have_text(_ro("Is the visitor one of these residents?"))
    assert "apelant" not in panel.inner_text().lower()
    assert "caller" not in panel.inner_text().lower()
    browse.audit()
    page.locator("#id_name").fill("Maria Ionescu")
    page.locator("#id_postal_address").fill("Str. Păcii 3, Alba Iulia")
    page.locator("#id_kind").select_option("request")
    page.locator("#id_category").select_option(str(city.noise.pk))
    page.locator("#id_description").fill("Cer aviz pentru terasă.")
    page.locator("#id_documents").set_input_files(
        [{"name": "cerere-terasa.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf()}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name=_ro("Register and print the receipt")).click()
    browse.audit()
    case = Case.objects.exclude(reporter=city.resident).get()
    assert page.url.endswith(reverse("console:receipt", args=[case.pk]))
    expect(page.locator("main")).to_contain_text(case.number)
    assert case.channel == "desk" and case.reporter.name == "Maria Ionescu"
    documents = page.locator(".receipt-fields dt", has_text=_ro("Documents submitted"))
    with override("ro"):
        listed = str(Document(name="cerere-terasa.pdf", pages=1))
    expect(documents.locator("xpath=following-sibling::dd[1]")).to_have_text(listed)

    with page.expect_download() as download:
        page.get_by_role("link", name=_ro("Download the PDF")).click()
    assert download.value.suggested_filename == f"receipt-{case.number.replace('/', '-')}.pdf"
    assert page.url.endswith(reverse("console:receipt", args=[case.pk]))  # still on the page
    expect(page.get_by_role("button", name=_ro("Print"))).to_be_visible()
