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


def test_the_privacy_notice_names_the_controller_and_the_data_protection_officer(
    db, client, settings
):
    settings.CITY_NAME = "Municipiul Exemplu"
    settings.CITY_POSTAL_ADDRESS = "Str. Primăriei 1, Exemplu"
    settings.DATA_PROTECTION_EMAIL = "dpo@exemplu.ro"

    html = client.get(reverse("privacy"), **EN).content.decode()

    assert "Municipiul Exemplu, Str. Primăriei 1, Exemplu" in html
    assert 'href="mailto:dpo@exemplu.ro"' in html
    assert "GDPR art. 6 (1) (c) and (e)" in html
    assert "ANSPDCP" in html


def test_both_are_in_romanian_by_default_and_linked_from_every_page(db, client):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("accessibility")}"' in html
    assert f'href="{reverse("privacy")}"' in html
    assert client.get(reverse("privacy")).headers["Content-Language"] == "ro"


def privacy_notice(client) -> str:
    return client.get(reverse("privacy"), **EN).content.decode()


def test_the_privacy_notice_states_the_retention_the_nomenclature_and_settings_give(
    client, city, settings
):
    from cetate.directory.models import FileCode

    settings.RETENTION_YEARS = 8
    petitions = FileCode.objects.create(
        code="II-4", name="Petiții", name_en="Petitions", retention_years=5, legal_basis="OG 27"
    )
    city.pothole.parent.file_code = petitions
    city.pothole.parent.save()

    html = privacy_notice(client)
    assert "II-4 Petitions (OG 27)" in html
    assert "5 years" in html and "Roads › Pothole" in html
    assert "Every other case: 8 years after it was closed." in html

    petitions.retention_years = 7
    petitions.save()
    city.lamp.retention_years = 2
    city.lamp.save()
    html = privacy_notice(client)
    assert "7 years" in html and "5 years" not in html
    assert "Lighting › Lamp out: 2 years" in html


def test_the_privacy_notice_names_who_receives_residents_data(client, city, settings):
    from cetate.directory.models import Department
    from cetate.open311.keys import create_key
    from cetate.webhooks.models import Subscription

    html = privacy_notice(client)
    assert "Apa CTTA" in html and "Technical directorate" in html
    assert "Electrica Distribuție" not in html
    assert "leaves from its own server" in html

    Department.objects.create(
        code="power", name="Electrica Distribuție", kind=Department.Kind.EXTERNAL
    )
    create_key("FixMyStreet Alba")
    Subscription.objects.create(name="GIS-ul primăriei", url="https://gis.example.org/hook")
    settings.MAIL_PROVIDER = "Poșta Electronică SRL"
    settings.DATA_PROTECTION_OFFICER = "Diana Rusu"
    settings.DATA_PROTECTION_PHONE = "0258 000 222"

    html = privacy_notice(client)
    assert "Electrica Distribuție" in html
    assert "(Open311): FixMyStreet Alba." in html
    assert "without your name or contact details: GIS-ul primăriei." in html
    assert "goes through Poșta Electronică SRL" in html
    assert "The data protection officer, Diana Rusu, answers" in html and "0258 000 222" in html
