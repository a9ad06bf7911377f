"""The registration receipt as a PDF: what the resident takes home from the front desk."""

import re
from datetime import datetime

import pypdfium2  # type: ignore[import-untyped]
import pytest
import zxingcpp
from django.utils.translation import gettext, override

from cetate.cases.deadlines import CITY_TZ
from cetate.cases.notifications import tracking_url
from cetate.cases.receipt import receipt_pdf
from cetate.cases.services import cancel_registration
from cetate.contacts.services import create_contact
from cetate.lib.clock import replaying_at

A4_POINTS = (595, 842)
DATE = re.compile(r"\d\d\.\d\d\.\d{4}")


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: receipts speak the language of the request."""
    with override("ro"):
        return gettext(text)


def pdf_pages(pdf: bytes) -> list[tuple[str, object]]:
    """(text, image at 216 dpi) of each page."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [
            (page.get_textpage().get_text_range(), page.render(scale=3).to_pil())
            for page in document
        ]
    finally:
        document.close()


def page_text(pdf: bytes) -> str:
    return " ".join(" ".join(text.split()) for text, _image in pdf_pages(pdf))


@pytest.fixture
def walk_in(city):
    """A pothole reported at the front desk on 1 December 2025, by a resident named with ș."""
    resident = create_contact(name="Ștefan Mureșan", email="stefan@example.org")
    with replaying_at(datetime(2025, 12, 1, 10, 30, tzinfo=CITY_TZ)):
        return city.report(
            channel="desk",
            actor=city.clerk,
            title="Groapă în fața blocului",
            reporter=resident,
            answer_channel="desk",
        )


def test_the_receipt_is_one_a4_page_with_the_number_and_a_decodable_qr_code(walk_in):
    pdf = receipt_pdf(walk_in)

    assert pdf.startswith(b"%PDF-")
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) == 1
    assert tuple(round(side) for side in document[0].get_size()) == A4_POINTS
    document.close()
    [(text, image)] = pdf_pages(pdf)
    assert walk_in.number in text
    codes = zxingcpp.read_barcodes(image)
    assert [code.format for code in codes] == [zxingcpp.BarcodeFormat.QRCode]
    assert codes[0].text == tracking_url(walk_in)


def test_the_receipt_states_what_was_registered_with_romanian_diacritics_intact(city, walk_in):
    text = page_text(receipt_pdf(walk_in))

    assert "Municipiul Alba Iulia" in text
    assert f"{walk_in.number}" in text
    assert "01.12.2025 10:30" in text
    assert "Groapă în fața blocului" in text
    assert "Ștefan Mureșan" in text
    assert "Drumuri › Groapă în carosabil" in text
    assert walk_in.tracking_code in text
    assert tracking_url(walk_in) in text


def test_the_receipt_gives_the_legal_deadline_and_its_basis(walk_in):
    text = page_text(receipt_pdf(walk_in))

    # 30 days from 1 December 2025 end on Sunday 4 January; the answer is due on Monday the 5th.
    assert "05.01.2026" in text
    assert "27/2002" in text


def test_an_information_request_cites_law_544(city):
    with replaying_at(datetime(2026, 4, 2, 9, 0, tzinfo=CITY_TZ)):
        case = city.report(kind="information", channel="desk", actor=city.clerk, category=None)
    text = page_text(receipt_pdf(case))
    assert "14.04.2026" in text
    assert "544/2001" in text


def test_a_question_answered_at_the_desk_has_no_legal_deadline(city):
    case = city.report(
        kind="inquiry",
        channel="desk",
        actor=city.clerk,
        category=None,
        reporter=None,
        description="Care este programul registraturii?",
        answer_on_spot="Luni–vineri, 8–16.",
    )
    text = page_text(receipt_pdf(case))

    assert case.number in text
    assert _ro("No legal deadline: a question is answered at first contact.") in text
    registered = case.registered_at.astimezone(CITY_TZ).strftime("%d.%m.%Y")
    assert DATE.findall(text) == [registered]
    assert "Care este programul registraturii?" in text


def test_the_receipt_speaks_the_language_of_the_request(city):
    romanian = city.report(channel="desk", actor=city.clerk)
    english = city.report(channel="desk", actor=city.clerk, language="en")

    romanian_text = page_text(receipt_pdf(romanian))
    assert _ro("report of a problem") == "sesizare"
    assert "sesizare" in romanian_text
    assert "Drumuri › Groapă în carosabil" in romanian_text
    assert _ro("Registration receipt") in romanian_text
    english_text = page_text(receipt_pdf(english))
    assert "Registration receipt" in english_text
    assert "Roads › Pothole" in english_text
    assert "sesizare" not in english_text


def test_a_cancelled_registration_says_so(city, walk_in):
    cancel_registration(case_id=walk_in.pk, actor=city.dispatcher, reason="dublură")
    walk_in.refresh_from_db()
    assert _ro("REGISTRATION CANCELLED") in page_text(receipt_pdf(walk_in))


def test_the_receipt_is_small_enough_to_mail(walk_in):
    # Only the glyphs used are embedded, and the QR code is drawn as vectors.
    assert len(receipt_pdf(walk_in)) < 80_000
