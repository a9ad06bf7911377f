"""What residents receive: content, language, QR code, threading, exactly once."""

import email
import email.policy
from datetime import datetime

import pytest
import time_machine

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import NotificationTemplate
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact, merge_contacts
from cetate.outbox.models import OutgoingMail
from cetate.outbox.sending import send, send_due
from cetate.test import GRANTED


@pytest.fixture
def registered(city, mailoutbox, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=CITY_TZ), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = city.report()
    return case


def test_registration_mail_has_number_deadline_code_and_link(registered, mailoutbox, settings):
    [mail] = mailoutbox
    assert mail.to == ["ion@example.org"]
    assert "1/2026" in mail.subject
    assert "1/2026 din 02.03.2026" in mail.body
    assert "02.04.2026" in mail.body  # legal deadline
    assert registered.tracking_code in mail.body
    assert f"{settings.SITE_URL}/t/{registered.tracking_code}" in mail.body
    assert "Groapă în carosabil" in mail.body


def test_registration_mail_carries_the_qr_code_inline(registered, mailoutbox):
    [mail] = mailoutbox
    parsed = email.message_from_bytes(mail.message().as_bytes(), policy=email.policy.default)
    images = [part for part in parsed.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1
    assert images[0]["Content-ID"] == "<tracking-qr>"
    assert images[0].get_content().startswith(b"\x89PNG")
    html = next(p for p in parsed.walk() if p.get_content_type() == "text/html").get_content()
    assert 'src="cid:tracking-qr"' in html


def test_later_messages_thread_under_the_registration(
    city, registered, mailoutbox, django_capture_on_commit_callbacks
):
    services.assign(case_id=registered.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=registered.pk, actor=city.officer, action=Action.START)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(
            case_id=registered.pk,
            actor=city.officer,
            action=Action.RESOLVE,
            text="Reparat.",
            decision=GRANTED,
        )
    first, resolved = mailoutbox
    thread = first.extra_headers["Message-ID"]
    assert resolved.extra_headers["In-Reply-To"] == thread
    assert resolved.extra_headers["References"] == thread
    assert resolved.extra_headers["Message-ID"] != thread
    assert "1/2026" in resolved.subject
    assert "rezolvat" in resolved.body
    assert "Reparat." in resolved.body


def test_internal_steps_do_not_mail_the_resident(
    city, registered, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.assign(case_id=registered.pk, actor=city.dispatcher, department=city.technical)
    assert callbacks == []
    assert len(mailoutbox) == 1


def test_english_speaking_resident(city, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = city.report(language="en")
    [mail] = mailoutbox
    assert mail.subject.startswith(f"Registration {case.number}")
    assert "report of a problem" in mail.subject
    assert "Legal deadline for the answer" in mail.body


def test_template_edited_in_the_admin_is_used(city, mailoutbox, django_capture_on_commit_callbacks):
    template = NotificationTemplate.objects.get(occasion="registered", language="ro")
    template.subject = "Primăria vă mulțumește: {{ case.number }}"
    template.body = "Cod {{ case.tracking_code }}"
    template.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = city.report()
    [mail] = mailoutbox
    assert mail.subject == f"Primăria vă mulțumește: {case.number}"
    assert mail.body == f"Cod {case.tracking_code}"


def test_the_mail_is_sent_once_even_if_sent_twice(registered, mailoutbox):
    created = registered.events.get(kind="created")
    [owed] = OutgoingMail.objects.filter(event=created)
    assert owed.status == OutgoingMail.Status.SENT
    assert send(owed.pk) is None
    assert send_due() == 0
    assert len(mailoutbox) == 1
    sent = registered.events.filter(kind="notification_sent")
    assert [e.data for e in sent] == [
        {"about": created.seq, "channel": "email", "recipient": "ion@example.org"}
    ]


def test_mail_of_a_merged_contact_goes_to_the_kept_one(
    city, mailoutbox, django_capture_on_commit_callbacks
):
    duplicate = create_contact(name="I. Popescu", email="old@example.org")
    case = city.report(reporter=duplicate)
    keep = create_contact(name="Ion Popescu", email="new@example.org")
    merge_contacts(keep=keep, duplicate=duplicate, actor=city.dispatcher)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_resident(case_id=case.pk, actor=city.dispatcher, text="Salut")
    assert mailoutbox[-1].to == ["new@example.org"]


def test_delivery_through_a_real_smtp_server(
    city, settings, smtp_sink, django_capture_on_commit_callbacks
):
    controller, inbox = smtp_sink
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    with django_capture_on_commit_callbacks(execute=True):
        case = city.report()
    [received] = inbox.messages
    assert received["To"] == "ion@example.org"
    assert case.number in received["Subject"]
    assert received["Message-ID"].startswith(f"<case-{case.registration_year}-")
    assert case.events.filter(kind="notification_sent").count() == 1


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_mail_owed_commits_with_the_case(settings, mailoutbox):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from cetate.test import make_city

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    city = make_city()
    case = city.report()
    [owed] = OutgoingMail.objects.all()
    assert owed.event == case.events.get(kind="created")
    assert owed.status == OutgoingMail.Status.PENDING
    assert mailoutbox == []  # the worker sends it, not the request

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        city.report()
        raise Abandoned
    assert OutgoingMail.objects.count() == 1
    # The worker reads the outbox itself: no job row per mail.
    assert not DBTaskResult.objects.exists()
    assert send_due() == 1
    assert [mail.to for mail in mailoutbox] == [["ion@example.org"]]
