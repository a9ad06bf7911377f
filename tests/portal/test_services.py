"""The catalogue of services on the portal: browsing, one page per published service, its forms,
"Was this useful?", and requesting a service online through to its receipt."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cetate.accounts.models import User
from cetate.accounts.roles import Role
from cetate.cases.choices import Channel, EventKind, Kind
from cetate.cases.models import Attachment, Case
from cetate.cases.uploads import Upload
from cetate.knowledge import services
from cetate.knowledge.models import (
    Article,
    Usefulness,
)
from cetate.test import make_user
from tests.cases.files import minimal_pdf, png
from tests.knowledge.catalogue import online_service
from tests.knowledge.conftest import draft_article
from tests.portal.reporting import last_number

ROMANIAN = {"HTTP_ACCEPT_LANGUAGE": "ro"}


@pytest.fixture
def editor(city) -> User:
    return make_user("redactor", Role.EDITOR, departments=(city.technical,))


@pytest.fixture
def service(city, editor) -> Article:
    return online_service(city, editor)


@pytest.fixture
def draft_only(city, editor) -> Article:
    return draft_article(city, editor, code="ciorna", title="Serviciu în lucru")


def request_data(**overrides):
    data = {
        "answer__street": "Strada Lungă 4",
        "answer__length": "12",
        "document__plan": SimpleUploadedFile("plan.pdf", minimal_pdf(), "application/pdf"),
        "name": "Ana Pop",
        "email": "ana@example.org",
        "postal_address": "Strada Mare 1, Brașov",
        "answer_channel": "email",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_catalogue_lists_published_services_by_department_and_life_event(
    client, service, draft_only
):
    html = client.get("/servicii/", **ROMANIAN).content.decode()
    assert "Autorizație de spargere" in html
    assert "Serviciu în lucru" not in html
    assert 'href="/servicii/spargere/"' in html
    assert 'action="/servicii/cauta/"' in html
    assert "Construiesc o casă" in html
    assert client.get("/services/").status_code == 200
    narrowed = client.get("/servicii/?event=nimic-de-felul-asta&department=x").content.decode()
    assert "Autorizație de spargere" in narrowed
    by_event = client.get("/servicii/?event=construiesc").content.decode()
    assert "Autorizație de spargere" in by_event
    assert 'href="/servicii/"' in client.get("/").content.decode()


def test_a_service_page_shows_the_published_text_and_a_draft_is_not_found(
    client, service, draft_only, editor
):
    services.start_draft(actor=editor, article=service)
    services.save_draft(
        actor=editor,
        article=service,
        content={**service.published.content(), "title": "Titlu nepublicat"},
    )
    response = client.get("/servicii/spargere/", **ROMANIAN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Autorizație de spargere" in html
    assert "Titlu nepublicat" not in html
    assert 'href="/servicii/spargere/cerere/"' in html
    assert client.get("/servicii/ciorna/").status_code == 404
    assert client.get("/servicii/ciorna/cerere/").status_code == 404
    assert client.get("/servicii/nimic/").status_code == 404


def test_forms_are_served_only_with_a_published_article(client, service, draft_only, editor):
    form = services.add_form(
        actor=editor,
        article=service,
        form=services.FormFile(
            title="Cerere-tip", title_en="", upload=Upload(name="cerere.pdf", content=minimal_pdf())
        ),
    )
    hidden = services.add_form(
        actor=editor,
        article=draft_only,
        form=services.FormFile(
            title="Ascuns", title_en="", upload=Upload(name="ascuns.pdf", content=minimal_pdf())
        ),
    )
    page = client.get("/servicii/spargere/").content.decode()
    assert f'href="/servicii/spargere/formulare/{form.pk}/"' in page
    assert "/media/" not in page
    response = client.get(f"/servicii/spargere/formulare/{form.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/servicii/ciorna/formulare/{hidden.pk}/").status_code == 404
    assert client.get(f"/servicii/spargere/formulare/{hidden.pk}/").status_code == 404


def test_was_it_useful_is_counted_per_version_once_per_browser(client, service):
    response = client.post("/servicii/spargere/util/", {"useful": "yes"})
    assert response.status_code == 302
    thanked = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Thank you for your answer" in thanked
    client.post("/servicii/spargere/util/", {"useful": "yes"})
    Client().post("/servicii/spargere/util/", {"useful": "no"})
    counts = Usefulness.objects.get(version=service.published)
    assert (counts.useful, counts.not_useful) == (1, 1)


def test_was_it_useful_needs_the_forms_token(service):
    from django.test import Client

    guarded = Client(enforce_csrf_checks=True)
    assert guarded.post("/servicii/spargere/util/", {"useful": "yes"}).status_code == 403
    assert not Usefulness.objects.exists()


def test_was_it_useful_is_rate_limited_per_address(service, editor):
    from django.test import Client

    statuses = [
        Client().post("/servicii/spargere/util/", {"useful": "yes"}).status_code for _ in range(21)
    ]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
    assert Usefulness.objects.get(version=service.published).useful == 20


@time_machine.travel("2026-03-05 10:00 +02:00", tick=False)
def test_a_request_online_registers_a_request_for_the_service(client, city, service):
    response = client.post("/servicii/spargere/cerere/", request_data(), **ROMANIAN)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.kind == Kind.REQUEST
    assert case.channel == Channel.PORTAL
    assert case.service == service
    assert case.department == city.technical
    assert case.answers == {"street": "Strada Lungă 4", "length": 12}
    # 15 days from 5 March: the law's last day is 21 March, a Saturday, so Monday 23 March.
    assert case.legal_due == date(2026, 3, 23)
    assert case.internal_due == date(2026, 3, 20)
    attachment = Attachment.objects.get(case=case)
    assert attachment.original_name == "plan__plan.pdf"
    assert case.events.filter(kind=EventKind.ASSIGNED).exists() or case.handed_at is not None

    receipt = client.get(response["Location"], **ROMANIAN).content.decode()
    assert "Autorizație de spargere" in receipt
    assert "Plan de situație: plan.pdf" in receipt
    assert case.number in receipt
    tracked = client.get(f"/t/{case.tracking_code}", **ROMANIAN).content.decode()
    assert "Autorizație de spargere" in tracked


def test_a_missing_document_and_a_missing_answer_are_asked_for_together(client, service):
    response = client.post(
        "/servicii/spargere/cerere/",
        request_data(document__plan=None, answer__street=""),
        **ROMANIAN,
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "document__plan" in errors
    assert "answer__street" in errors
    assert not Case.objects.exists()


def test_a_file_that_is_no_document_is_refused_beside_its_field(client, service):
    fake = SimpleUploadedFile("plan.pdf", b"<html>nope</html>", "application/pdf")
    response = client.post("/servicii/spargere/cerere/", request_data(document__plan=fake))
    errors = response.context["form"].errors
    assert "plan.pdf" in errors["document__plan"][0]
    assert not Case.objects.exists()


def test_a_required_answer_missing_is_refused_beside_its_question(client, service):
    response = client.post("/servicii/spargere/cerere/", request_data(answer__street=""))
    assert "answer__street" in response.context["form"].errors
    assert last_number() == 0


def test_a_request_without_an_address_is_refused_in_romanian_and_burns_no_number(client, service):
    photo = SimpleUploadedFile("plan.png", png(), "image/png")
    response = client.post(
        "/servicii/spargere/cerere/",
        request_data(email="", postal_address="", document__plan=photo),
        **ROMANIAN,
    )
    errors = response.context["form"].errors
    assert errors["email"][0].startswith(
        "Indicați o adresă poștală sau de e-mail la care să primiți răspunsul"
    )
    assert 'value="Ana Pop"' in response.content.decode()
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()
    assert last_number() == 0


def test_a_service_not_online_has_no_request(client, service):
    Article.objects.filter(pk=service.pk).update(online=False)
    assert client.get("/servicii/spargere/cerere/").status_code == 404
    assert (
        'href="/servicii/spargere/cerere/"'
        not in client.get("/servicii/spargere/").content.decode()
    )


def test_editors_see_the_answers_in_the_history_of_versions(client, service, editor):
    client.post("/servicii/spargere/util/", {"useful": "no"})
    client.force_login(editor)
    history = client.get(reverse("console:knowledge_history", args=[service.pk])).content.decode()
    assert "<td>0 / 1</td>" in history


def test_the_registration_mail_names_the_service_and_the_documents_received(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/servicii/spargere/cerere/", request_data(), **ROMANIAN)
    [mail] = mailoutbox
    assert mail.to == ["ana@example.org"]
    assert "Serviciu: Autorizație de spargere" in mail.body
    assert "Documente primite:\n- Plan de situație: plan.pdf" in mail.body
