"""The registration receipt a front-desk clerk prints for a walk-in, in a real browser."""

import io

import pypdfium2  # type: ignore[import-untyped]
import pytest
import zxingcpp
from django.urls import reverse
from django.utils.translation import gettext, override
from PIL import Image
from playwright.sync_api import expect

from cetate.cases.notifications import tracking_url

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


@pytest.fixture
def walk_in(city):
    return city.report(channel="desk", actor=city.clerk, title="Groapă în fața blocului")


def test_the_clerk_sees_the_receipt_with_a_scannable_qr_code(browse, city, walk_in):
    browse.sign_in(city.clerk)
    browse.visit(reverse("console:receipt", args=[walk_in.pk]))

    page = browse.page
    expect(page.get_by_role("heading", level=1)).to_have_text(_ro("Registration receipt"))
    expect(page.locator(".receipt")).to_contain_text(walk_in.number)
    expect(page.locator(".receipt")).to_contain_text("Groapă în fața blocului")
    expect(page.get_by_role("button", name=_ro("Print"))).to_be_visible()
    qr = page.get_by_role("img", name=_ro("QR code of the tracking page"))
    image = Image.open(io.BytesIO(qr.screenshot()))
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [tracking_url(walk_in)]


def test_the_download_link_serves_the_pdf(browse, city, walk_in):
    browse.sign_in(city.clerk)
    browse.visit(reverse("console:receipt", args=[walk_in.pk]))

    page = browse.page
    link = page.get_by_role("link", name=_ro("Download the PDF"))
    response = page.request.get(browse.url(link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.body())
    assert walk_in.number in document[0].get_textpage().get_text_range()
    image = document[0].render(scale=3).to_pil()
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [tracking_url(walk_in)]
    document.close()


def test_the_printed_receipt_is_the_receipt_alone(browse, city, walk_in):
    browse.sign_in(city.clerk)
    browse.visit(reverse("console:receipt", args=[walk_in.pk]))

    page = browse.page
    page.emulate_media(media="print")
    browse.audit()
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.get_by_role("navigation", name=_ro("Console"))).to_be_hidden()
    expect(page.get_by_role("button", name=_ro("Print"))).to_be_hidden()
    expect(page.get_by_role("link", name=_ro("Download the PDF"))).to_be_hidden()
    expect(page.locator(".receipt")).to_contain_text(walk_in.number)
    expect(page.locator(".receipt")).to_contain_text(walk_in.tracking_code)
    pdf = page.pdf(format="A4")
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) == 1
    document.close()


def test_without_javascript_the_page_offers_no_dead_print_button(
    browser, live_server, city, walk_in
):
    context = browser.new_context(java_script_enabled=False, locale="ro-RO")
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("login"))
        page.locator("input[name=username]").fill(city.clerk.get_username())
        page.locator("input[name=password]").fill("parola-de-test-1")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.goto(live_server.url + reverse("console:receipt", args=[walk_in.pk]))
        expect(page.locator(".receipt")).to_contain_text(walk_in.number)
        expect(page.get_by_role("button", name=_ro("Print"))).to_have_count(0)
        expect(page.get_by_role("link", name=_ro("Download the PDF"))).to_be_visible()
    finally:
        context.close()
