"""Letters in the console: /console/cases/<id>/letters/<seq>.pdf, /console/cases/<id>/forwarding.pdf
and the case card's list of them."""

import pypdfium2  # type: ignore[import-untyped]
import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from cetate.cases import services
from cetate.cases.letter import letters_of
from cetate.cases.workflow import Action
from cetate.contacts.models import PersonalDataView
from cetate.contacts.services import create_contact
from cetate.directory.models import Department
from cetate.test import GRANTED


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


@pytest.fixture
def resident():
    return create_contact(
        name="Ștefan Mureșan", postal_address="Str. Trandafirilor nr. 3", preferred_channel="post"
    )


@pytest.fixture
def answered(city, resident):
    """Answered by the technical directorate to a resident who wants answers by post."""
    case = city.report(reporter=resident, auto_route=True)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    return services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Groapa a fost astupată.",
        decision=GRANTED,
    )


@pytest.fixture
def forwarded(city, resident):
    case = city.report(reporter=resident, auto_route=True)
    return services.redirect(
        case_id=case.pk, actor=city.officer, to=city.water_operator, reason="Rețeaua de apă."
    )


def letter_url(case):
    [letter] = letters_of(case)
    return reverse("console:letter_pdf", args=[case.pk, letter.seq])


def test_the_cases_officer_downloads_the_letter(client, city, answered):
    client.force_login(city.officer)
    response = client.get(letter_url(answered))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    number, year = answered.number.split("/")
    [letter] = letters_of(answered)
    assert response["Content-Disposition"] == (
        f'inline; filename="letter-{letter.seq}-{number}-{year}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert answered.number in text
    assert "Groapa a fost astupată." in text


def test_the_cases_officer_downloads_the_forwarding_letter(client, city, forwarded):
    client.force_login(city.officer)
    response = client.get(reverse("console:forwarding_pdf", args=[forwarded.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert forwarded.number in text
    assert "Apa CTTA" in text
    assert "Rețeaua de apă." in text


def test_an_officer_of_another_department_does_not_find_them(client, city, answered, forwarded):
    client.force_login(city.lighting_officer)
    assert client.get(letter_url(answered)).status_code == 404
    assert client.get(reverse("console:forwarding_pdf", args=[forwarded.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, city, answered):
    response = client.get(letter_url(answered))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_letters_are_only_read(client, city, answered, forwarded):
    client.force_login(city.officer)
    assert client.post(letter_url(answered)).status_code == 405
    assert client.post(reverse("console:forwarding_pdf", args=[forwarded.pk])).status_code == 405


def test_events_that_are_no_letters_are_not_found(client, city, answered):
    client.force_login(city.officer)
    created = answered.events.get(kind="created")
    for seq in (created.seq, 999):
        url = reverse("console:letter_pdf", args=[answered.pk, seq])
        assert client.get(url).status_code == 404, seq
    url = reverse("console:forwarding_pdf", args=[answered.pk])
    assert client.get(url).status_code == 404
    assert not PersonalDataView.objects.exists()


def test_each_download_is_recorded_as_a_view_of_personal_data(
    client, city, resident, answered, forwarded
):
    client.force_login(city.officer)
    client.get(letter_url(answered))
    client.get(reverse("console:forwarding_pdf", args=[forwarded.pk]))

    [letter] = letters_of(answered)
    views = PersonalDataView.objects.filter(user=city.officer, contact=resident)
    assert sorted(views.values_list("what", flat=True)) == [
        f"forwarding letter of {forwarded.number}",
        f"letter {letter.seq} of {answered.number}",
    ]


def test_the_case_cards_list_asks_to_print_letters_for_the_post(answered):
    html = render_to_string(
        "console/_case_letters.html", {"case": answered, "letters": letters_of(answered)}
    )
    assert "Answers to this resident go by post" in html
    assert letter_url(answered) in html
    assert "Answer" in html
    assert "forwarding.pdf" not in html


def test_the_case_cards_list_offers_the_forwarding_letter(forwarded):
    html = render_to_string(
        "console/_case_letters.html", {"case": forwarded, "letters": letters_of(forwarded)}
    )
    assert reverse("console:forwarding_pdf", args=[forwarded.pk]) in html
    assert "It is emailed to apa@example.org" in html
    assert "has no email address" not in html


def test_an_organisation_without_email_gets_its_letter_printed(city):
    gas = Department.objects.create(code="gas", name="Distrigaz", kind=Department.Kind.EXTERNAL)
    case = city.report(answer_channel="email")
    case = services.redirect(case_id=case.pk, actor=city.dispatcher, to=gas, reason="Gaz.")

    html = render_to_string(
        "console/_case_letters.html", {"case": case, "letters": letters_of(case)}
    )
    assert "Distrigaz has no email address: print this letter and post it." in html
    assert "Answers to this resident go by post" not in html
