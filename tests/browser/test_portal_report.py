"""A resident reports a problem in a real browser: on a phone and on a desktop, starting from
the map, finding the address and the category by a few words, with a photo and a pin; without
JavaScript; from the keyboard alone; and is told of the same problem reported nearby. Every
page is audited."""

from collections.abc import Callable, Iterator

import pytest
from django.utils.translation import gettext, override
from playwright.sync_api import Browser, Page, ViewportSize, expect

from cetate.cases.models import Attachment, Case
from cetate.directory.models import Street
from cetate.directory.street_names import search_key
from tests.browser.conftest import TIMEOUT_MS, Browse
from tests.cases.files import jpeg_with_gps

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
# The test city is a square; its map opens fitted to it, so the map's middle is its centre.
MAP_CENTRE = {"latitude": 46.05, "longitude": 23.55}


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.fixture
def open_browse(browser: Browser, live_server) -> Iterator[Callable[..., Browse]]:
    """A `Browse` in a context of one's own: a viewport, with or without JavaScript."""
    contexts = []

    def make(viewport: ViewportSize, *, javascript: bool = True) -> Browse:
        context = browser.new_context(
            viewport=viewport,
            locale="ro-RO",
            java_script_enabled=javascript,
            is_mobile=viewport["width"] < 600,
            has_touch=viewport["width"] < 600,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return Browse(page=context.new_page(), base_url=live_server.url)

    yield make
    for context in contexts:
        context.close()


def photo() -> dict[str, object]:
    return {"name": "groapa.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}


def read_receipt(browse: Browse) -> Case:
    return read_receipt_of(browse, Case.objects.get())


def read_receipt_of(browse: Browse, case: Case) -> Case:
    page = browse.page
    browse.audit()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    expect(page.locator(".report-code")).to_have_text(case.tracking_code)
    expect(page.locator(".report-qr svg")).to_be_visible()
    expect(page.get_by_role("link", name=_ro("Follow your case")).last).to_have_attribute(
        "href", f"/t/{case.tracking_code}"
    )
    expect(page.locator(".receipt-fields")).to_contain_text(case.legal_due.strftime("%d.%m.%Y"))
    return case


@pytest.fixture
def viteazu(db) -> Street:
    """A street as the post office lists it: known by name, not where it lies on the map."""
    return Street.objects.create(
        street_type="Strada", name="Mihai Viteazu", search_key=search_key("Strada", "Mihai Viteazu")
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_resident_reports_a_pothole_with_a_photo_and_a_pin(open_browse, city, viteazu, viewport):
    browse = open_browse(viewport)
    page = browse.page
    browse.visit("/")
    with page.expect_navigation(wait_until="load"):
        page.locator(".home-action-main").click()
    browse.audit()
    assert fits_the_screen(page)

    # The place comes first, the map at the top of it; its buttons speak Romanian.
    map_box = page.locator("#report-map").bounding_box()
    category_box = page.get_by_label(_ro("Category"), exact=True).bounding_box()
    assert map_box is not None and category_box is not None
    assert map_box["y"] < category_box["y"]
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", _ro("Zoom in"))
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute(
        "aria-label", _ro("Zoom out")
    )
    # The address as people say it is found on the city's street list, which does not know
    # where the street lies: the resident is asked for a pin.
    page.get_by_label(_ro("Address or nearest landmark")).fill("Mihai Viteazu 12")
    page.get_by_role("button", name=_ro("Find the address")).click()
    expect(page.locator("#report-address-status")).to_contain_text("Strada Mihai Viteazu 12")
    page.locator("#report-map").click()
    expect(page.locator("#report-place-status")).not_to_be_empty()
    # A few letters leave one category: it is chosen.
    page.get_by_label(_ro("Find a category")).fill("groapa")
    expect(page.get_by_label(_ro("Category"), exact=True)).to_have_value(str(city.pothole.pk))
    expect(page.locator("#category-search-count")).to_contain_text("Groapă în carosabil")
    browse.audit()
    page.get_by_label(_ro("Describe it")).fill("Groapă adâncă pe banda întâi.")
    page.locator("#id_documents").set_input_files([photo()])
    page.get_by_role("textbox", name=_ro("Email"), exact=True).fill("ana@example.org")
    with page.expect_navigation(wait_until="load"):
        page.locator(".report-submit button").click()

    case = read_receipt(browse)
    assert fits_the_screen(page)
    assert case.category == city.pothole
    assert case.address == "Mihai Viteazu 12"
    assert case.latitude == pytest.approx(MAP_CENTRE["latitude"], abs=0.002)
    assert case.longitude == pytest.approx(MAP_CENTRE["longitude"], abs=0.002)
    assert case.reporter is not None and case.reporter.email == "ana@example.org"
    assert Attachment.objects.filter(case=case).count() == 1


@pytest.fixture
def unirii(db) -> Street:
    return Street.objects.create(
        street_type="Strada",
        name="Unirii",
        search_key=search_key("Strada", "Unirii"),
        latitude=46.02,
        longitude=23.52,
    )


def test_a_resident_reports_without_javascript(open_browse, city, unirii):
    # axe needs JavaScript: the pages met here are audited in the test below.
    browse = open_browse(PHONE, javascript=False)
    page = browse.page
    page.goto(browse.url("/report/"))
    expect(page.locator("#report-map-block")).to_be_hidden()
    page.get_by_label(_ro("Category"), exact=True).select_option(label="Stâlp stins")
    page.get_by_label(_ro("Address or nearest landmark")).fill("unirii 5")
    page.get_by_label(_ro("Describe it")).fill("Stâlpul din fața casei nu se aprinde.")
    page.get_by_label(_ro("Name"), exact=True).fill("Ana Pop")
    page.get_by_role("textbox", name=_ro("Email"), exact=True).fill("ana@example.org")
    with page.expect_navigation(wait_until="load"):
        page.locator(".report-submit button").click()
    # The lamp's question appears once the category is known; nothing typed is lost.
    expect(page.get_by_label("Numărul stâlpului")).to_be_visible()
    expect(page.get_by_label(_ro("Describe it"))).to_have_value(
        "Stâlpul din fața casei nu se aprinde."
    )
    assert not Case.objects.exists()
    page.get_by_label("Numărul stâlpului").fill("S-12")
    # The address is looked up in the city's street list by the server.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Find the address")).click()
    expect(page.get_by_label("Strada Unirii")).to_be_checked()
    expect(page.get_by_label("Numărul stâlpului")).to_have_value("S-12")
    with page.expect_navigation(wait_until="load"):
        page.locator(".report-submit button").click()

    case = Case.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    expect(page.locator(".report-code")).to_have_text(case.tracking_code)
    assert case.answers == {"pole": "S-12"}
    assert (case.latitude, case.longitude) == (46.02, 23.52)
    assert case.address == "unirii 5"


def test_the_pages_the_form_comes_back_as_pass_the_audit(open_browse, city, unirii):
    earlier = city.report(latitude=46.02, longitude=23.52)
    browse = open_browse(PHONE)
    page = browse.page
    browse.visit("/report/")
    send = page.locator(".report-submit button")
    with page.expect_navigation(wait_until="load"):
        send.click()
    browse.audit()  # every error listed, each field marked
    expect(page.locator("#report-errors")).to_be_visible()

    page.get_by_label(_ro("Category"), exact=True).select_option(label="Groapă în carosabil")
    # An address typed but not looked up places the report on its street when it is sent.
    page.get_by_label(_ro("Address or nearest landmark")).fill("unirii")
    page.get_by_label(_ro("Describe it")).fill("Groapă.")
    page.locator("#id_documents").set_input_files([photo()])
    with page.expect_navigation(wait_until="load"):
        send.click()
    browse.audit()  # the same problem reported nearby, to confirm
    expect(page.locator("#report-nearby-confirm")).to_contain_text(earlier.number)
    expect(page.locator("#report-kept")).to_contain_text("groapa.jpg")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("It is a different problem: send my report")).click()
    case = read_receipt_of(browse, Case.objects.latest("pk"))
    assert Attachment.objects.filter(case=case).count() == 1  # the photo kept was sent


def test_a_resident_reports_from_the_keyboard_alone(browse, city):
    page = browse.page
    browse.visit("/report/")
    page.get_by_label(_ro("Category"), exact=True).focus()
    # A select is chosen from the keyboard by typing the start of an option.
    page.keyboard.type("Groap")
    expect(page.get_by_label(_ro("Category"), exact=True)).to_have_value(str(city.pothole.pk))
    page.get_by_role("button", name=_ro("Pin in the middle of the map")).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#report-place-status")).not_to_be_empty()
    page.get_by_label(_ro("Describe it")).focus()
    page.keyboard.type("Groapă pe trotuar.")
    page.keyboard.press("Tab")  # on to the files
    page.get_by_role("textbox", name=_ro("Email"), exact=True).focus()
    page.keyboard.type("ana@example.org")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")

    case = read_receipt(browse)
    assert case.description == "Groapă pe trotuar."
    assert case.latitude == pytest.approx(MAP_CENTRE["latitude"], abs=0.002)


def test_the_same_problem_reported_nearby_is_offered_to_follow(browse, city):
    earlier = city.report(**MAP_CENTRE)
    page = browse.page
    browse.visit("/report/")
    page.get_by_label(_ro("Category"), exact=True).select_option(label="Groapă în carosabil")
    page.locator("#report-map").click()
    nearby = page.locator("#report-nearby-live")
    link = nearby.get_by_role("link", name=_ro("Report %s") % earlier.number)
    expect(link).to_be_visible()
    browse.audit()
    with page.expect_navigation(wait_until="load"):
        link.click()
    browse.audit()
    expect(page.get_by_role("heading", level=1)).to_contain_text(earlier.number)
    assert Case.objects.count() == 1
