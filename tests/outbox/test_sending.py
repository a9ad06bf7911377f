"""Owed mail goes out once, whatever the mail server does: down, stalled, refusing, or a worker
that died while sending."""

import socket
import time
from datetime import timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.utils import timezone

from cetate.cases.choices import EventKind
from cetate.cases.models import Event
from cetate.outbox.models import OutgoingMail
from cetate.outbox.posting import post_message
from cetate.outbox.sending import _claim, send, send_again, send_due
from tests.conftest import Inbox, free_port


@pytest.fixture
def smtp_at(settings):
    """Point the site at a real SMTP server on a port chosen now; nobody listens until
    `start()`."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_TIMEOUT = 2
    servers = []

    class Sink:
        inbox = Inbox()

        def start(self, handler=None):
            controller = Controller(handler or self.inbox, hostname="127.0.0.1", port=port)
            controller.start()
            servers.append(controller)

    yield Sink()
    for controller in servers:
        controller.stop()


def later(minutes: float):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes, seconds=1))


def test_reports_are_registered_while_the_mail_server_is_down_and_mailed_once_it_is_back(
    client, city, smtp_at
):
    numbers = []
    for _ in range(3):
        case = city.report()
        numbers.append(case.number)
        assert send_due() == 1  # tried at once: refused
    waiting = OutgoingMail.objects.filter(status="pending")
    assert waiting.count() == 3
    assert set(waiting.values_list("last_error", flat=True)) == {"ConnectionRefusedError"}

    smtp_at.start()
    with later(1):
        assert send_due() == 3
        assert send_due() == 0  # nothing twice

    received = smtp_at.inbox.messages
    assert len(received) == 3
    for number in numbers:
        assert [m for m in received if number in m["Subject"]], number
    assert not OutgoingMail.objects.exclude(status="sent").exists()
    assert Event.objects.filter(kind=EventKind.NOTIFICATION_SENT).count() == 3


def test_a_sign_in_is_not_slowed_by_a_stalled_mail_server(client, city, settings):
    # A server that accepts the connection and never answers.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
    settings.EMAIL_TIMEOUT = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    try:
        response = client.post("/account/sign-in/", {"email": "ion@example.org"})
        assert response.status_code == 200
        # The page did not even connect to the mail server.
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()
        listener.setblocking(True)
        [owed] = OutgoingMail.objects.all()
        # The worker waits EMAIL_TIMEOUT, no longer, and tries again later.
        started = time.monotonic()
        assert send(owed.pk) == "pending"
        assert 0.9 < time.monotonic() - started < 5
        owed.refresh_from_db()
        assert owed.last_error in {"TimeoutError", "SMTPServerDisconnected"}
    finally:
        listener.close()


def test_a_sign_in_link_goes_when_the_server_is_back_and_is_then_forgotten(client, db, smtp_at):
    response = client.post("/account/sign-in/", {"email": "ion@example.org"})
    assert response.status_code == 200  # "check your mail", though the server is down
    [owed] = OutgoingMail.objects.all()
    assert owed.status == "pending" and "/account/sign-in/" in owed.params["body"]

    smtp_at.start()
    with later(1):
        send_due()
    [received] = smtp_at.inbox.messages
    assert received["To"] == "ion@example.org"
    owed.refresh_from_db()
    assert owed.status == "sent"
    assert owed.params == {}  # the link is a key: not kept once sent


def test_a_claimed_mail_is_left_alone_until_the_claim_expires(db, settings, mailoutbox):
    settings.OUTBOX_LEASE_SECONDS = 300
    owed = post_message(to="ion@example.org", subject="Link", body="…")
    assert _claim(owed.pk) is not None  # a worker took it, then died before sending
    assert _claim(owed.pk) is None  # a second worker leaves it alone
    assert send_due() == 0
    assert mailoutbox == []

    with later(5):
        assert send_due() == 1
    assert len(mailoutbox) == 1
    owed.refresh_from_db()
    assert (owed.status, owed.attempts) == ("sent", 2)


class Refusing:
    async def handle_RCPT(self, server, session, envelope, address, options):
        return "550 5.1.1 No such mailbox"


def test_a_refused_address_is_set_aside_at_once_and_the_officer_told(city, smtp_at):
    smtp_at.start(Refusing())
    case = city.report()
    send_due()
    [owed] = OutgoingMail.objects.filter(case=case)
    assert (owed.status, owed.attempts) == ("parked", 1)
    assert owed.last_error == "SMTPRecipientsRefused 550"
    failed = case.events.get(kind=EventKind.NOTIFICATION_FAILED)
    assert failed.data["reason"] == "SMTPRecipientsRefused 550"


def test_an_administrator_sends_set_aside_mail_again(city, settings, mailoutbox):
    settings.MAIL_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    case = city.report()
    send_due()
    owed = OutgoingMail.objects.get(case=case)
    assert owed.status == "parked"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_again([owed]) == 1
    assert send_due() == 1
    assert [message.to for message in mail.outbox] == [["ion@example.org"]]
    assert case.events.filter(kind=EventKind.NOTIFICATION_SENT).count() == 1


def test_a_portal_link_that_cannot_be_delivered_is_not_kept(db, settings):
    settings.MAIL_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    owed = post_message(to="ion@example.org", subject="Link", body="https://…/sign-in/KEY")
    send_due()
    owed.refresh_from_db()
    # The link lapsed long before the last attempt; the resident asks for a new one.
    assert (owed.status, owed.params) == ("dropped", {})


def test_a_mail_sent_whose_recording_fails_is_never_sent_again(db, mailoutbox, caplog):
    from cetate.outbox.kinds import Kind, compose_ready, register
    from cetate.outbox.posting import post

    def broken(mail, message):
        raise ValueError("a fault in recording")

    register("broken", Kind(compose=compose_ready, sent=broken))
    owed = post(
        purpose="broken",
        key="broken:1",
        params={"to": "ion@example.org", "subject": "Link", "body": "…"},
    )
    assert send(owed.pk) == "sent"
    with later(10):
        assert send_due() == 0
    assert len(mailoutbox) == 1
    owed.refresh_from_db()
    assert owed.last_error == "sent; not recorded on the case"
