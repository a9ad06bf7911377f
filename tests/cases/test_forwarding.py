"""A case redirected to an external organisation is forwarded to it by email, once, within
the 5 days the law gives (OG 27/2002 art. 6 (2)); the delay is recorded when there was one."""

from datetime import date, datetime

import pypdfium2  # type: ignore[import-untyped]
import pytest
import time_machine

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ, forwarding_due
from cetate.cases.mail_identity import thread_id
from cetate.cases.services import forwarding
from cetate.cases.uploads import Upload
from cetate.console.case_forms.triage import RedirectForm
from cetate.directory.models import Department
from cetate.lib.clock import replaying_at
from cetate.outbox.models import OutgoingMail
from cetate.outbox.sending import send
from tests.cases.files import png

REGISTERED = datetime(2026, 3, 2, 10, 0, tzinfo=CITY_TZ)


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


def on(day: int, hour: int = 11):
    return time_machine.travel(datetime(2026, 3, day, hour, 0, tzinfo=CITY_TZ), tick=False)


@pytest.fixture
def registered(city):
    with on(2, 10):
        return city.report(
            description="Capac de canal lipsă",
            address="Str. Primăverii 7",
            attachments=[Upload("canal.png", png())],
        )


def redirect(city, case, to, capture, *, day=4):
    with on(day), capture(execute=True):
        return services.redirect(
            case_id=case.pk, actor=city.dispatcher, to=to, reason="Canalizarea este a operatorului."
        )


def mail_to(mailoutbox, address):
    return [mail for mail in mailoutbox if mail.to == [address]]


def test_forwarding_is_due_five_days_after_registration():
    assert forwarding_due(date(2026, 3, 2)) == date(2026, 3, 7)
    # Counted strictly: a Sunday or a public holiday does not move it.
    assert forwarding_due(date(2026, 5, 26)) == date(2026, 5, 31)


def test_the_organisation_is_emailed_the_case_with_the_letter_and_documents(
    city, registered, mailoutbox, django_capture_on_commit_callbacks
):
    case = redirect(city, registered, city.water_operator, django_capture_on_commit_callbacks)

    [mail] = mail_to(mailoutbox, "apa@example.org")
    assert case.number in mail.subject
    assert mail.extra_headers["References"] == thread_id(case)
    assert mail.extra_headers["Message-ID"] != thread_id(case)
    assert "Capac de canal lipsă" in mail.body
    assert "Str. Primăverii 7" in mail.body
    assert "Canalizarea este a operatorului." in mail.body
    assert "ion@example.org" in mail.body  # how the organisation answers the resident
    assert "+40744123456" in mail.body
    (letter_name, letter, letter_type), (photo_name, photo, photo_type) = mail.attachments
    assert letter_type == "application/pdf"
    assert letter_name == f"forwarding-{case.number.replace('/', '-')}.pdf"
    text = pdf_text(letter)
    assert case.number in text
    assert "Apa CTTA" in text
    assert (photo_name, photo_type) == ("canal.png", "image/png")
    assert photo.startswith(b"\x89PNG")
    # The resident is told too, by the usual notification.
    assert mail_to(mailoutbox, "ion@example.org")


def test_forwarding_is_recorded_once_even_when_the_job_runs_twice(
    city, registered, mailoutbox, django_capture_on_commit_callbacks
):
    case = redirect(city, registered, city.water_operator, django_capture_on_commit_callbacks)
    redirected = case.events.get(kind="redirected")

    owed = OutgoingMail.objects.get(key=f"forwarding:{redirected.pk}")
    assert send(owed.pk) is None  # sent already: a second try does nothing

    assert len(mail_to(mailoutbox, "apa@example.org")) == 1
    [forwarded] = case.events.filter(kind="forwarded")
    assert forwarded.data == {
        "about": redirected.seq,
        "channel": "email",
        "recipient": "apa@example.org",
    }
    assert not forwarded.public


def test_the_redirection_records_the_day_due_and_that_it_was_on_time(
    city, registered, django_capture_on_commit_callbacks
):
    # Registered on 2 March: the 5 days end on the 7th, which is still on time.
    case = redirect(
        city, registered, city.water_operator, django_capture_on_commit_callbacks, day=7
    )
    data = case.events.get(kind="redirected").data
    assert data["forward_by"] == "2026-03-07"
    assert data["late"] is False


def test_a_redirection_after_five_days_is_marked_late(
    city, registered, mailoutbox, django_capture_on_commit_callbacks
):
    case = redirect(
        city, registered, city.water_operator, django_capture_on_commit_callbacks, day=8
    )
    data = case.events.get(kind="redirected").data
    assert data["forward_by"] == "2026-03-07"
    assert data["late"] is True
    # Late or not, the organisation still gets the case.
    assert len(mail_to(mailoutbox, "apa@example.org")) == 1


def test_an_organisation_without_email_gets_no_mail(
    city, registered, mailoutbox, django_capture_on_commit_callbacks
):
    gas = Department.objects.create(
        code="gas", name="Distrigaz", kind=Department.Kind.EXTERNAL, postal_address="Str. Gazului 1"
    )
    case = redirect(city, registered, gas, django_capture_on_commit_callbacks)
    redirected = case.events.get(kind="redirected")

    assert [mail.to for mail in mailoutbox] == [["ion@example.org"]]  # the resident's notice
    # The letter goes by post: no mail is owed.
    assert not OutgoingMail.objects.filter(key=f"forwarding:{redirected.pk}").exists()
    assert not case.events.filter(kind="forwarded").exists()


def test_documents_too_large_for_mail_stay_with_the_city(
    city, registered, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(forwarding, "FORWARD_ATTACHMENTS_MAX_BYTES", 10)
    redirect(city, registered, city.water_operator, django_capture_on_commit_callbacks)

    [mail] = mail_to(mailoutbox, "apa@example.org")
    assert [name for name, _content, _type in mail.attachments] == [
        f"forwarding-{registered.number.replace('/', '-')}.pdf"
    ]
    assert "canal.png" in mail.body  # named among the facts, to ask for


def test_replayed_history_forwards_nothing(city, mailoutbox, django_capture_on_commit_callbacks):
    with replaying_at(REGISTERED), django_capture_on_commit_callbacks(execute=True):
        case = city.report()
        services.redirect(
            case_id=case.pk, actor=city.dispatcher, to=city.water_operator, reason="Apă."
        )
    assert mailoutbox == []
    assert not case.events.filter(kind="forwarded").exists()


def test_rerouting_inside_city_hall_forwards_nothing(
    city, mailoutbox, django_capture_on_commit_callbacks
):
    case = city.report(auto_route=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.redirect(case_id=case.pk, actor=city.dispatcher, to=city.lighting, reason="Bec.")
    assert mail_to(mailoutbox, "apa@example.org") == []
    assert not case.events.filter(kind="forwarded").exists()


def test_the_redirect_form_says_by_when_to_forward(city, registered):
    with on(4):
        form = RedirectForm(case=registered, user=city.dispatcher)
    help_text = form.fields["to"].help_text
    assert "07.03.2026" in help_text
    assert "27/2002" in help_text
    assert not help_text.startswith("Late")


def test_the_redirect_form_warns_when_the_day_has_passed(city, registered):
    with on(9):
        form = RedirectForm(case=registered, user=city.dispatcher)
    help_text = form.fields["to"].help_text
    assert help_text.startswith("Late")
    assert "07.03.2026" in help_text
