"""The registration receipt in the console: /console/cases/<id>/receipt/ and its PDF."""

import re

import pypdfium2  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext, override

from cetate.accounts.roles import Role
from cetate.cases.notifications import tracking_url
from cetate.contacts.models import PersonalDataView
from cetate.test import make_user


def _ro(text: str) -> str:
    with override("ro"):
        return gettext(text)


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


@pytest.fixture
def walk_in(city):
    """Registered at the desk by the clerk, routed at once to the technical directorate."""
    return city.report(
        channel="desk", actor=city.clerk, title="Groapă în fața blocului", auto_route=True
    )


def receipt_urls(case):
    return [
        reverse("console:receipt", args=[case.pk]),
        reverse("console:receipt_pdf", args=[case.pk]),
    ]


@pytest.mark.parametrize("persona", ["clerk", "officer", "dispatcher"])
def test_the_registering_clerk_the_department_and_the_dispatch_centre_get_the_receipt(
    client, city, walk_in, persona
):
    client.force_login(getattr(city, persona))
    for url in receipt_urls(walk_in):
        assert client.get(url).status_code == 200, url


def test_another_clerk_does_not_find_the_receipt(client, city, walk_in):
    client.force_login(make_user("ghiseu-2", Role.DESK_CLERK))
    for url in receipt_urls(walk_in):
        assert client.get(url).status_code == 404, url


def test_an_officer_of_another_department_does_not_find_the_receipt(client, city, walk_in):
    client.force_login(city.lighting_officer)
    for url in receipt_urls(walk_in):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_sign_in(client, city, walk_in):
    for url in receipt_urls(walk_in):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_receipt_is_only_read(client, city, walk_in):
    client.force_login(city.clerk)
    for url in receipt_urls(walk_in):
        assert client.post(url).status_code == 405


def test_the_pdf_downloads_named_after_the_registration_number(client, city, walk_in):
    client.force_login(city.clerk)
    response = client.get(reverse("console:receipt_pdf", args=[walk_in.pk]))

    assert response["Content-Type"] == "application/pdf"
    number, year = walk_in.number.split("/")
    assert response["Content-Disposition"] == f'attachment; filename="receipt-{number}-{year}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    assert walk_in.number in pdf_text(response.content)


def test_the_page_shows_the_receipt_with_a_qr_code_and_the_pdf_link(client, city, walk_in):
    client.force_login(city.clerk)
    html = client.get(reverse("console:receipt", args=[walk_in.pk])).content.decode()

    assert walk_in.number in html
    assert walk_in.tracking_code in html
    assert tracking_url(walk_in) in html
    assert "Groapă în fața blocului" in html
    assert "Ion Popescu" in html
    assert re.search(r'<svg role="img"[^>]*><title>[^<]+</title><path', html)
    assert reverse("console:receipt_pdf", args=[walk_in.pk]) in html


def test_the_page_speaks_the_staff_members_language_and_the_pdf_the_residents(
    client, city, walk_in
):
    client.force_login(city.clerk)
    url = reverse("console:receipt", args=[walk_in.pk])

    romanian = client.get(url).content.decode()
    assert '<html lang="ro">' in romanian
    assert "Drumuri › Groapă în carosabil" in romanian
    assert _ro("report of a problem") in romanian

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert '<html lang="en">' in english
    assert "Roads › Pothole" in english
    assert "report of a problem" in english
    assert "Registration receipt" in english

    # The resident asked in Romanian: the PDF handed to them stays Romanian.
    pdf = client.get(reverse("console:receipt_pdf", args=[walk_in.pk])).content
    assert "Drumuri › Groapă în carosabil" in pdf_text(pdf)


def test_showing_the_residents_name_is_logged(client, city, walk_in):
    client.force_login(city.clerk)
    for url in receipt_urls(walk_in):
        client.get(url)

    views = PersonalDataView.objects.filter(user=city.clerk, contact=city.resident)
    assert sorted(views.values_list("what", flat=True)) == [
        f"receipt PDF of {walk_in.number}",
        f"receipt of {walk_in.number}",
    ]


def test_an_anonymous_report_logs_no_view_of_personal_data(client, city):
    case = city.report(channel="desk", actor=city.clerk, reporter=None)
    client.force_login(city.clerk)
    for url in receipt_urls(case):
        assert client.get(url).status_code == 200
    assert not PersonalDataView.objects.exists()


def three_page_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_the_receipt_lists_the_documents_scanned_at_the_desk(client, city):
    from cetate.cases import services
    from cetate.cases.uploads import Upload
    from tests.cases.files import png

    case = city.report(
        channel="desk",
        actor=city.clerk,
        attachments=[
            Upload(name="cerere.pdf", content=three_page_pdf()),
            Upload(name="buletin.png", content=png()),
        ],
    )
    # A document an officer adds later was not handed in with the registration.
    services.add_attachment(
        case_id=case.pk,
        actor=city.dispatcher,
        upload=Upload(name="constatare.png", content=png()),
    )
    client.force_login(city.clerk)
    html = client.get(
        reverse("console:receipt", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    documents = re.search(r"<dt>Documents submitted</dt><dd>(.*?)</dd>", html, re.S)
    assert documents
    assert documents.group(1) == "cerere.pdf (3 pages)<br>buletin.png (1 page)"
    assert "constatare.png" not in html

    pdf = client.get(reverse("console:receipt_pdf", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = pdf_text(pdf.content)
    # The PDF speaks the language of the petition: Romanian here.
    assert "cerere.pdf (3 pagini)" in text and "buletin.png (1 pagină)" in text
    assert "constatare.png" not in text


def test_a_receipt_without_documents_has_no_such_line(client, city, walk_in):
    client.force_login(city.clerk)
    html = client.get(
        reverse("console:receipt", args=[walk_in.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Documents submitted" not in html


def test_the_pdf_link_downloads_while_the_page_prints(client, city, walk_in):
    client.force_login(city.clerk)
    html = client.get(reverse("console:receipt", args=[walk_in.pk])).content.decode()
    pdf = reverse("console:receipt_pdf", args=[walk_in.pk])
    assert f'<a href="{pdf}" download>' in html
    assert 'id="print-receipt"' in html
