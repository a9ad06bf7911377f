"""The data protection officer's pages: finding a person, the ZIP export, restriction shown on
the case card, erasure confirmed and refused for open cases — through HTTP."""

import io
import json
import zipfile

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cetate.cases.choices import EventKind
from cetate.cases.models import Case
from cetate.contacts.models import Contact, PersonalDataView
from cetate.directory.models import FileCode
from tests.contacts.lives import at, closed_case

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.fixture
def officer(client, city):
    client.force_login(city.dpo)
    return client


def person_url(contact: Contact, page: str = "person") -> str:
    return reverse(f"console:data_protection_{page}", kwargs={"contact_id": contact.pk})


def test_only_the_officer_reaches_the_pages(client, city):
    urls = [reverse("console:data_protection"), person_url(city.resident)]
    for persona in ("supervisor", "admin", "dispatcher", "officer"):
        client.force_login(getattr(city, persona))
        for url in urls:
            assert client.get(url).status_code == 403, (persona, url)
        assert client.post(person_url(city.resident, "export")).status_code == 403
    client.logout()
    assert client.get(urls[0]).status_code == 302


def test_the_officer_lands_on_the_page_and_finds_a_person(officer, city):
    home = officer.get(reverse("console:home"))
    assert home.headers["Location"] == reverse("console:data_protection")
    page = officer.get(reverse("console:data_protection"), {"q": "0744 123 456"}, **EN)
    html = page.content.decode()
    assert "1 person found" in html
    assert f'href="{person_url(city.resident)}"' in html
    assert 'href="/console/data-protection/"' in html and "Data protection" in html
    assert PersonalDataView.objects.filter(user=city.dpo, what__startswith="data protection search")


def test_the_person_page_lists_cases_and_their_terms(officer, city, commit):
    FileCode.objects.create(code="II-4", name="Petiții", retention_years=5)
    city.pothole.file_code = FileCode.objects.get()
    city.pothole.save()
    life = closed_case(city, commit, on=at(2025, 3, 3))

    html = officer.get(person_url(city.resident), **EN).content.decode()

    assert life.case.number in html
    assert "II-4 (5 years, kept by law)" in html
    assert "01.01.2031" in html
    assert PersonalDataView.objects.filter(
        user=city.dpo, contact=city.resident, what="data protection: person"
    ).exists()


def test_the_export_is_one_zip_posted_with_csrf(city, commit):
    closed_case(city, commit, on=at(2025, 3, 3))
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(city.dpo)
    assert browser.post(person_url(city.resident, "export")).status_code == 403

    page = browser.get(person_url(city.resident))
    token = page.context["csrf_token"]
    response = browser.post(
        person_url(city.resident, "export"),
        {"csrfmiddlewaretoken": str(token), "export-note": "Cererea 9"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment; filename=" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        data = json.loads(archive.read("personal-data.json"))
        assert any(name.startswith("attachments/") for name in archive.namelist())
    assert data["contacts"][0]["email"] == "ion@example.org"


def test_restriction_shows_prominently_on_the_case_card(officer, client, city):
    case = city.report()
    response = officer.post(
        person_url(city.resident, "restriction"), {"restriction-note": "Cererea 10"}, **EN
    )
    assert response.status_code == 302

    client.force_login(city.dispatcher)
    html = client.get(reverse("console:case", kwargs={"case_id": case.pk}), **EN).content
    assert b"Processing restricted (GDPR art. 18)" in html
    assert case.events.last().data["data_protection"] == "restricted"

    client.force_login(city.dpo)
    client.post(person_url(city.resident, "restriction"), {"restriction-note": ""}, **EN)
    client.force_login(city.dispatcher)
    html = client.get(reverse("console:case", kwargs={"case_id": case.pk}), **EN).content
    assert b"Processing restricted" not in html


def test_restriction_needs_the_request_named(officer, city):
    response = officer.post(person_url(city.resident, "restriction"), {}, **EN)
    assert response.status_code == 400
    assert b"This field is required" in response.content
    assert not Contact.objects.get(pk=city.resident.pk).is_restricted


def test_erasure_is_confirmed_and_refused_for_an_open_case(officer, city, commit):
    FileCode.objects.create(code="IX-1", name="Întrebări", retention_years=3, kept_by_law=False)
    city.pothole.file_code = FileCode.objects.get()
    city.pothole.save()
    closed = closed_case(city, commit, on=at(2025, 3, 3)).case
    with time_machine.travel(at(2025, 4, 1), tick=False):
        still_open = city.report(description="Groapă nouă")

        review = officer.get(person_url(city.resident, "erasure"), **EN).content.decode()
        assert f"{still_open.number}</a>" in review and "is not closed (new)" in review
        unconfirmed = officer.post(
            person_url(city.resident, "erasure"), {"note": "Cererea 11"}, **EN
        )
        assert unconfirmed.status_code == 400
        assert Case.objects.get(pk=closed.pk).anonymised_at is None

        done = commit(
            officer.post,
            person_url(city.resident, "erasure"),
            {"note": "Cererea 11", "confirm": "on"},
            follow=True,
            **EN,
        )

    html = done.content.decode()
    assert "1 case anonymised. 1 case refused: the register keeps it." in html
    assert "is not closed (new): the city must finish it and answer first" in html
    assert Case.objects.get(pk=closed.pk).anonymised_at is not None
    assert Case.objects.get(pk=still_open.pk).description == "Groapă nouă"
    assert still_open.events.last().kind == EventKind.DATA_PROTECTION
