"""A letter by email, its receipt as a real mail server receives it from the outbox, and what the
resident's side sends back: an out-of-office is not answered, a reply joins the case."""

import email.message
import io
import re
from email import policy
from email.utils import make_msgid
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from cetate.cases.mail_identity import thread_id
from cetate.cases.models import Case
from cetate.cases.notifications import tracking_url
from cetate.mail.models import InboundMessage, Outcome
from cetate.mail.pipeline import receive
from cetate.outbox.models import OutgoingMail
from cetate.outbox.sending import send_due
from tests.smtp_sink import Delivery, SmtpSink

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(autouse=True)
def _city_address(settings):
    settings.DEFAULT_FROM_EMAIL = "Primăria Alba Iulia <registratura@apulum.ro>"
    settings.MAIL_REPLY_ADDRESS = ""
    settings.SITE_URL = "https://cetate.apulum.ro"
    # Mail waits in the outbox for the worker, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def deliver(data: bytes, capture):
    with capture(execute=True):
        return receive(data, source="pipe")


def worker_sends(capture) -> int:
    """The worker's send step, until nothing is due."""
    sent = 0
    with capture(execute=True):
        while tried := send_due(limit=1):
            sent += tried
    return sent


def case_of(number: str | None) -> Case:
    assert number is not None
    registration, year = number.split("/")
    return Case.objects.get(registration_number=registration, registration_year=year)


def text_of(message: email.message.EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def out_of_office(receipt: Delivery) -> bytes:
    """The resident's mail server answering the receipt while they are away (RFC 3834: to the
    envelope's sender, marked as automatic)."""
    answered = receipt.message
    reply = email.message.EmailMessage(policy=policy.SMTP)
    reply["From"] = "Ion Popescu <ion.popescu@example.org>"
    reply["To"] = receipt.mail_from
    reply["Subject"] = f"Răspuns automat: {answered['Subject']}"
    reply["Message-ID"] = make_msgid(domain="example.org")
    reply["In-Reply-To"] = answered["Message-ID"]
    reply["References"] = answered["Message-ID"]
    reply["Auto-Submitted"] = "auto-replied"
    reply["X-Auto-Response-Suppress"] = "All"
    reply.set_content("Sunt în concediu până pe 4 ianuarie și nu îmi citesc mesajele.")
    return reply.as_bytes()


def human_reply(receipt: Delivery, text: str) -> bytes:
    """What the resident writes with their mail program's Reply to the receipt."""
    answered = receipt.message
    reply = email.message.EmailMessage(policy=policy.SMTP)
    reply["From"] = "Ion Popescu <ion.popescu@example.org>"
    reply["To"] = answered["Reply-To"]
    reply["Subject"] = f"Re: {answered['Subject']}"
    reply["Message-ID"] = make_msgid(domain="example.org")
    reply["In-Reply-To"] = answered["Message-ID"]
    reply["References"] = answered["Message-ID"]
    quoted = "\n".join(f"> {line}" for line in text_of(answered).splitlines())
    reply.set_content(f"{text}\n\nLa 7 dec. 2026, Primăria Alba Iulia a scris:\n{quoted}\n")
    return reply.as_bytes()


def test_the_receipt_reaches_the_mail_server_signed_threaded_with_its_qr_and_code_and_only_the_reply_to_it_is_kept(  # noqa: E501
    city, django_capture_on_commit_callbacks, smtp_server: SmtpSink
):
    result = deliver((CORPUS / "plain.eml").read_bytes(), django_capture_on_commit_callbacks)
    case = case_of(result.case)
    assert smtp_server.deliveries == []  # owed, not yet sent: the worker sends it

    assert worker_sends(django_capture_on_commit_callbacks) == 1
    [receipt] = smtp_server.deliveries
    assert (receipt.mail_from, receipt.rcpt_tos) == (
        "registratura@apulum.ro",
        ["ion.popescu@example.org"],
    )
    message = receipt.message
    assert message["To"] == "ion.popescu@example.org"
    assert message["From"] == "Primăria Alba Iulia <registratura@apulum.ro>"
    assert re.fullmatch(
        rf"registratura\+c-{case.pk}-[0-9a-f]{{16}}@apulum\.ro", str(message["Reply-To"])
    )
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["Message-ID"] == thread_id(case)
    assert case.number in str(message["Subject"])
    body = text_of(message)
    assert case.tracking_code in body
    assert tracking_url(case) in body
    [qr] = [part for part in message.walk() if part["Content-ID"] == "<tracking-qr>"]
    assert qr.get_content_type() == "image/png"
    html = message.get_body(preferencelist=("html",))
    assert html is not None and 'src="cid:tracking-qr"' in html.get_content()
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.get_content())))
    assert code.text == tracking_url(case)
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT

    away = deliver(out_of_office(receipt), django_capture_on_commit_callbacks)
    assert (away.outcome, away.case) == (Outcome.AUTO_REPLY, None)
    assert worker_sends(django_capture_on_commit_callbacks) == 0

    answer = "Groapa s-a adâncit după ploaie; vă rog să veniți cât mai repede."
    replied = deliver(human_reply(receipt, answer), django_capture_on_commit_callbacks)
    assert (replied.outcome, replied.case) == (Outcome.REPLY, case.number)
    event = case.events.get(kind="resident_replied")
    assert event.text.startswith(answer)
    assert "a scris:" not in event.text and case.tracking_code not in event.text

    # Neither the out-of-office nor the reply is answered; no second case is opened.
    assert worker_sends(django_capture_on_commit_callbacks) == 0
    assert len(smtp_server.deliveries) == 1
    assert Case.objects.count() == 1
    assert sorted(InboundMessage.objects.values_list("outcome", flat=True)) == [
        "auto_reply",
        "case",
        "reply",
    ]
