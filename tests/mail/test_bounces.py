"""A delivery failure report about Cetate's mail: the resident's address is marked as failing,
the case whose mail bounced records it, its officer is told, the outbox mails the address no
more, and an answer that bounced is to go by post. A report about an address Cetate never
mailed, or one only delayed, changes nothing."""

import hashlib
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.urls import reverse

from cetate.cases import services
from cetate.cases.choices import EventKind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case, Event
from cetate.cases.notifications import message_id, thread_id
from cetate.cases.workflow import Action
from cetate.contacts.models import Contact
from cetate.contacts.services import change_contact_email, create_contact
from cetate.mail.models import InboundMessage, Outcome
from cetate.mail.pipeline import Received, receive
from cetate.outbox.models import OutgoingMail, Purpose
from cetate.outbox.sending import send_due
from cetate.portal.models import Follower
from cetate.test import GRANTED

CORPUS = Path(__file__).parent / "corpus"
RESIDENT = "ion.popescu@example.org"
# In the city's working hours: the officer's mail goes at once either way.
MORNING = datetime(2026, 12, 8, 10, 0, tzinfo=CITY_TZ)
FAILED = {
    "dsn-postfix.eml": "5.1.1",
    "dsn-exim.eml": "5.2.1",
    "dsn-exchange-ro.eml": "5.1.10",
    "dsn-gmail.eml": "5.1.1",
}


@pytest.fixture(autouse=True)
def _city_address(settings):
    settings.DEFAULT_FROM_EMAIL = "Primăria <registratura@apulum.ro>"
    settings.MAIL_REPLY_ADDRESS = ""
    settings.SITE_URL = "https://cetate.apulum.ro"


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(MORNING, tick=False):
        yield


@pytest.fixture
def officer(city):
    city.officer.email = "inspector@apulum.ro"
    city.officer.save(update_fields=["email"])
    return city.officer


def sent(capture, mailoutbox) -> list[EmailMessage]:
    """The mail sent of what is due, taken out of the outbox."""
    with capture(execute=True):
        send_due()
    mails = list(mailoutbox)
    mailoutbox.clear()
    return mails


def answered_by_email(city, capture, mailoutbox, *, postal_address: str = "Str. Unirii 3"):
    """A report by a resident with an email address, answered by email: (case, answer's mail)."""
    resident = create_contact(
        name="Ion Popescu",
        email=RESIDENT,
        postal_address=postal_address,
        preferred_channel="email",
    )
    with capture(execute=True):
        case = city.report(auto_route=True, reporter=resident)
        services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
        services.change_status(
            case_id=case.pk,
            actor=city.officer,
            action=Action.RESOLVE,
            text="Groapa a fost astupată.",
            decision=GRANTED,
        )
    mails = sent(capture, mailoutbox)
    event = case.events.get(kind=EventKind.STATUS_CHANGED, to_status="resolved")
    [answer_mail] = [m for m in mails if m.extra_headers["Message-ID"] == message_id(case, event)]
    case.refresh_from_db()
    assert case.sent_by == "email"
    return case, answer_mail


def report(name: str, mail: EmailMessage, *, recipient: str = RESIDENT) -> bytes:
    """The corpus report `name`, bouncing Cetate's `mail` to `recipient`."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    headers = mail.extra_headers
    case_thread = headers.get("In-Reply-To") or headers["Message-ID"]
    for placeholder, value in (
        ("ORIGINAL_MESSAGE_ID", headers["Message-ID"]),
        ("THREAD_ID", case_thread),
        ("REPLY_TO", headers["Reply-To"]),
        ("ORIGINAL_SUBJECT", "Cazul dumneavoastra"),
        ("RECIPIENT", recipient),
    ):
        text = text.replace(placeholder, value)
    return text.encode()


def deliver(data: bytes, capture) -> tuple[Received, InboundMessage]:
    with capture(execute=True):
        result = receive(data, source="pipe")
    return result, InboundMessage.objects.get(sha256=hashlib.sha256(data).hexdigest())


def resident_contact() -> Contact:
    return Contact.objects.filter(email=RESIDENT).earliest("pk")


@pytest.mark.parametrize("name", sorted(FAILED))
def test_a_bounced_answer_marks_the_address_tells_the_officer_and_falls_back_to_post(
    name, city, officer, django_capture_on_commit_callbacks, mailoutbox
):
    capture = django_capture_on_commit_callbacks
    case, answer_mail = answered_by_email(city, capture, mailoutbox)
    answer = case.events.get(kind=EventKind.STATUS_CHANGED, to_status="resolved")

    result, row = deliver(report(name, answer_mail), capture)

    assert (result.outcome, result.case) == (Outcome.BOUNCE, case.number)
    assert (row.outcome, row.case) == (Outcome.BOUNCE, case)
    assert f"Mail about case {case.number} to {RESIDENT} bounced ({FAILED[name]})" in row.reason
    contact = resident_contact()
    assert contact.email_failed_at is not None
    assert FAILED[name] in contact.email_failure
    bounce = case.events.get(kind=EventKind.MAIL_BOUNCED)
    assert not bounce.public
    assert bounce.data["recipient"] == RESIDENT
    assert bounce.data["status"] == FAILED[name]
    assert bounce.data["about"] == answer.seq
    # The answer's exit no longer stands: it is to be printed and posted.
    case.refresh_from_db()
    assert (case.sent_at, case.sent_by, case.sent_to) == (None, "", "")
    assert case.answer_channel == "post"
    assert case.events.filter(kind=EventKind.ANSWER_SENT).count() == 1  # the history stays
    assert "The answer is to be printed and posted." in row.reason

    [told] = sent(capture, mailoutbox)
    assert told.to == ["inspector@apulum.ro"]
    assert told.subject == f"Case {case.number}: an email to the resident bounced"
    assert RESIDENT in told.body and FAILED[name] in told.body
    assert "print the answer letter" in told.body
    recorded = case.events.filter(kind=EventKind.NOTIFICATION_SENT, data__about=bounce.seq)
    assert recorded.get().data["recipient"] == "inspector@apulum.ro"


def test_the_outbox_does_not_mail_a_failing_address(
    city, officer, django_capture_on_commit_callbacks, mailoutbox
):
    capture = django_capture_on_commit_callbacks
    case, answer_mail = answered_by_email(city, capture, mailoutbox)
    deliver(report("dsn-postfix.eml", answer_mail), capture)
    sent(capture, mailoutbox)

    with capture(execute=True):
        services.reopen(case_id=case.pk, actor=city.head, reason="Groapa s-a redeschis.")
    mails = sent(capture, mailoutbox)

    assert RESIDENT not in [address for mail in mails for address in mail.to]
    dropped = OutgoingMail.objects.filter(case=case, purpose=Purpose.RESIDENT).latest("pk")
    assert dropped.status == OutgoingMail.Status.DROPPED
    assert dropped.last_error == "not sent: earlier mail to this address bounced"
    failed = case.events.filter(kind=EventKind.NOTIFICATION_FAILED).latest("seq")
    assert failed.data["recipient"] == RESIDENT
    assert failed.data["reason"] == dropped.last_error


def test_a_later_message_from_the_resident_clears_the_mark_and_mail_goes_again(
    city, officer, django_capture_on_commit_callbacks, mailoutbox
):
    capture = django_capture_on_commit_callbacks
    _case, answer_mail = answered_by_email(city, capture, mailoutbox)
    deliver(report("dsn-gmail.eml", answer_mail), capture)
    sent(capture, mailoutbox)
    assert resident_contact().email_failed_at is not None

    result, _row = deliver((CORPUS / "plain.eml").read_bytes(), capture)

    assert result.outcome == Outcome.CASE
    assert Contact.objects.filter(email=RESIDENT).count() == 2  # the new case's own contact
    assert not Contact.objects.filter(email=RESIDENT, email_failed_at__isnull=False).exists()
    assert not Contact.objects.filter(email=RESIDENT).exclude(email_failure="").exists()
    # The new case's registration mail goes to the address again.
    assert RESIDENT in [address for mail in sent(capture, mailoutbox) for address in mail.to]


def test_a_corrected_address_is_mailed_again(
    city, officer, django_capture_on_commit_callbacks, mailoutbox
):
    capture = django_capture_on_commit_callbacks
    _case, answer_mail = answered_by_email(city, capture, mailoutbox)
    deliver(report("dsn-exim.eml", answer_mail), capture)
    contact = resident_contact()

    change_contact_email(contact_id=contact.pk, old_email=RESIDENT, new_email="ion@example.net")

    contact.refresh_from_db()
    assert (contact.email_failed_at, contact.email_failure) == (None, "")


def test_a_bounce_naming_an_address_cetate_never_mailed_marks_nothing(
    city, officer, django_capture_on_commit_callbacks, mailoutbox
):
    capture = django_capture_on_commit_callbacks
    case, answer_mail = answered_by_email(city, capture, mailoutbox)
    someone = create_contact(name="Maria Ionescu", email="maria@example.org")

    result, row = deliver(
        report("dsn-postfix.eml", answer_mail, recipient="maria@example.org"), capture
    )

    assert (result.outcome, row.case) == (Outcome.BOUNCE, None)
    assert "never went to maria@example.org: nothing is marked" in row.reason
    someone.refresh_from_db()
    assert someone.email_failed_at is None
    assert resident_contact().email_failed_at is None
    assert not case.events.filter(kind=EventKind.MAIL_BOUNCED).exists()
    case.refresh_from_db()
    assert case.sent_by == "email"
    assert sent(capture, mailoutbox) == []


def test_a_delayed_delivery_marks_nothing(
    city, officer, django_capture_on_commit_callbacks, mailoutbox
):
    capture = django_capture_on_commit_callbacks
    case, answer_mail = answered_by_email(city, capture, mailoutbox)

    result, row = deliver(report("dsn-delayed.eml", answer_mail), capture)

    assert (result.outcome, row.case) == (Outcome.BOUNCE, None)
    assert f"Delivery to {RESIDENT} is only delayed, not failed: nothing is marked." in row.reason
    assert resident_contact().email_failed_at is None
    assert not case.events.filter(kind=EventKind.MAIL_BOUNCED).exists()
    case.refresh_from_db()
    assert case.sent_by == "email"
    assert sent(capture, mailoutbox) == []


def test_an_answer_bounced_without_a_postal_address_has_nowhere_to_go(
    city, officer, django_capture_on_commit_callbacks, mailoutbox
):
    capture = django_capture_on_commit_callbacks
    case, answer_mail = answered_by_email(city, capture, mailoutbox, postal_address="")

    _result, row = deliver(report("dsn-exchange-ro.eml", answer_mail), capture)

    assert "no postal address is known" in row.reason
    case.refresh_from_db()
    assert case.sent_at is None
    assert case.answer_channel == "email"
    [told] = sent(capture, mailoutbox)
    assert "gave no postal address" in told.body


def test_a_bounced_registration_mail_of_a_case_nobody_holds_goes_to_the_dispatchers(
    city, django_capture_on_commit_callbacks, mailoutbox
):
    capture = django_capture_on_commit_callbacks
    city.dispatcher.email = "dispecer@apulum.ro"
    city.dispatcher.save(update_fields=["email"])
    result, _row = deliver((CORPUS / "plain.eml").read_bytes(), capture)
    number, year = result.case.split("/")
    case = Case.objects.get(registration_number=number, registration_year=year)
    [registration] = sent(capture, mailoutbox)
    assert registration.extra_headers["Message-ID"] == thread_id(case)

    bounced, row = deliver(report("dsn-postfix.eml", registration), capture)

    assert (bounced.outcome, row.case) == (Outcome.BOUNCE, case)
    bounce = case.events.get(kind=EventKind.MAIL_BOUNCED)
    assert bounce.data["about"] == 1  # the registration
    assert not bounce.data["answer_returned"]
    [told] = sent(capture, mailoutbox)
    assert told.to == ["dispecer@apulum.ro"]


def test_the_same_bounce_reported_twice_is_recorded_once(
    city, officer, django_capture_on_commit_callbacks, mailoutbox
):
    capture = django_capture_on_commit_callbacks
    case, answer_mail = answered_by_email(city, capture, mailoutbox)

    deliver(report("dsn-postfix.eml", answer_mail), capture)
    _result, row = deliver(report("dsn-gmail.eml", answer_mail), capture)

    assert "recorded before" in row.reason
    assert case.events.filter(kind=EventKind.MAIL_BOUNCED).count() == 1
    assert len(sent(capture, mailoutbox)) == 1
    assert Event.objects.filter(case=case, kind=EventKind.MAIL_BOUNCED).count() == 1


def test_a_followers_bounced_mail_ends_their_following_and_marks_nothing_of_the_resident(
    city, officer, django_capture_on_commit_callbacks, mailoutbox
):
    capture = django_capture_on_commit_callbacks
    case, answer_mail = answered_by_email(city, capture, mailoutbox)
    Follower.objects.create(case=case, email="vecin@example.org")

    _result, row = deliver(
        report("dsn-postfix.eml", answer_mail, recipient="vecin@example.org"), capture
    )

    assert row.case == case
    assert "A follower's mail about case" in row.reason
    assert not Follower.objects.filter(case=case).exists()
    assert resident_contact().email_failed_at is None
    assert not case.events.filter(kind=EventKind.MAIL_BOUNCED).exists()


def test_staff_correcting_the_address_in_the_admin_clears_the_mark(
    client, city, officer, django_capture_on_commit_callbacks, mailoutbox
):
    capture = django_capture_on_commit_callbacks
    _case, answer_mail = answered_by_email(city, capture, mailoutbox)
    deliver(report("dsn-postfix.eml", answer_mail), capture)
    contact = resident_contact()
    url = reverse("admin:contacts_contact_change", args=[contact.pk])
    client.force_login(city.admin)
    form = {
        "kind": contact.kind,
        "name": contact.name,
        "email": contact.email,
        "phone": contact.phone,
        "phone_as_typed": "",
        "postal_address": contact.postal_address,
        "preferred_channel": contact.preferred_channel,
        "language": contact.language,
    }

    # Saving other details keeps the mark: the address still fails.
    assert client.post(url, {**form, "name": "Ion I. Popescu"}).status_code == 302
    contact.refresh_from_db()
    assert contact.email_failed_at is not None

    assert client.post(url, {**form, "email": "ion.popescu@example.net"}).status_code == 302
    contact.refresh_from_db()
    assert contact.email == "ion.popescu@example.net"
    assert not contact.email_is_failing
    assert contact.email_failure == ""
