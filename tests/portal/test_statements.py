"""The accessibility statement and the privacy notice say what the city's settings say."""

from datetime import date

from django.urls import reverse

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_accessibility_statement_names_the_city_its_contact_and_review_date(client, settings):
    settings.CITY_NAME = "Municipiul Exemplu"
    settings.SITE_URL = "https://sesizari.exemplu.ro"
    settings.ACCESSIBILITY_EMAIL = "accesibil@exemplu.ro"
    settings.CITY_PHONE = "0258 000 111"
    settings.ACCESSIBILITY_REVIEWED = date(2027, 3, 15)

    html = client.get(reverse("accessibility"), **EN).content.decode()

    for text in (
        "Municipiul Exemplu is committed to making this website accessible",
        "This statement applies to https://sesizari.exemplu.ro",
        "partially compliant with the Web Content Accessibility Guidelines (WCAG) 2.1",
        'href="mailto:accesibil@exemplu.ro"',
        "0258 000 111",
        "last reviewed on 15.03.2027",
        "Authority for the Digitalisation of Romania",
    ):
        assert text in html, text


def test_the_privacy_notice_names_the_controller_and_the_data_protection_officer(client, settings):
    settings.CITY_NAME = "Municipiul Exemplu"
    settings.CITY_POSTAL_ADDRESS = "Str. Primăriei 1, Exemplu"
    settings.DATA_PROTECTION_EMAIL = "dpo@exemplu.ro"

    html = client.get(reverse("privacy"), **EN).content.decode()

    assert "Municipiul Exemplu, Str. Primăriei 1, Exemplu" in html
    assert 'href="mailto:dpo@exemplu.ro"' in html
    assert "GDPR art. 6 (1) (c) and (e)" in html
    assert "ANSPDCP" in html


def test_both_are_in_romanian_by_default_and_linked_from_every_page(client):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("accessibility")}"' in html
    assert f'href="{reverse("privacy")}"' in html
    assert client.get(reverse("privacy")).headers["Content-Language"] == "ro"
