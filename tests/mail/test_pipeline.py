"""Every message of the corpus in tests/mail/corpus, through the one pipeline, to its outcome."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from cetate.cases.choices import Channel, Kind
from cetate.cases.models import Case
from cetate.cases.workflow import Status
from cetate.contacts.models import Contact
from cetate.contacts.services import create_contact
from cetate.mail.models import InboundMessage, Outcome
from cetate.mail.pipeline import NotStored, Received, receive
from cetate.outbox.sending import send_due

CORPUS = Path(__file__).parent / "corpus"


def raw(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def received(name_or_bytes, capture) -> tuple[Received, InboundMessage]:
    data = raw(name_or_bytes) if isinstance(name_or_bytes, str) else name_or_bytes
    with capture(execute=True):
        result = receive(data, source="pipe")
    return result, InboundMessage.objects.get(sha256=hashlib.sha256(data).hexdigest())


def case_of(result: Received) -> Case:
    assert result.case is not None
    number, year = result.case.split("/")
    return Case.objects.get(registration_number=number, registration_year=year)


def test_a_plain_letter_becomes_a_case_in_triage_and_its_sender_gets_the_receipt(
    city, django_capture_on_commit_callbacks, mailoutbox
):
    result, row = received("plain.eml", django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.CASE
    assert result.message_id == "<plain-1@example.org>"
    case = case_of(result)
    assert (case.channel, case.kind, case.status) == (Channel.EMAIL, Kind.REQUEST, Status.NEW)
    assert case.description.startswith(
        "Groapa pe strada Unirii\n\nBună ziua,\n\nPe strada Unirii nr. 3 este o groapă adâncă"
    )
    # Shown first without the signature and the quoted message, both kept below it.
    shown = case.description.split("The whole message:")[0]
    assert "Telefon 0722" not in shown and "mai vechi" not in shown
    assert "Telefon 0722" in case.description and "mai vechi" in case.description
    assert (case.reporter.name, case.reporter.email) == ("Ion Popescu", "ion.popescu@example.org")
    assert (row.outcome, row.case, row.sender) == ("case", case, "ion.popescu@example.org")
    assert default_storage.open(row.raw.name).read() == raw("plain.eml")

    send_due()
    [receipt] = mailoutbox
    assert receipt.to == ["ion.popescu@example.org"]
    assert case.number in receipt.subject
    assert case.tracking_code in receipt.body
    assert case.legal_due.strftime("%d.%m.%Y") in receipt.body


def test_the_sender_gets_a_contact_of_their_own_not_a_known_residents_record(
    city, django_capture_on_commit_callbacks
):
    known = create_contact(name="Ion Popescu", email="ion.popescu@example.org", language="ro")
    result, _row = received("plain.eml", django_capture_on_commit_callbacks)

    reporter = case_of(result).reporter
    assert reporter != known
    assert Contact.objects.filter(email="ion.popescu@example.org").count() == 2


def test_html_only_mail_is_read_as_its_text_without_scripts_or_styles(
    city, django_capture_on_commit_callbacks
):
    result, _row = received("html-only.eml", django_capture_on_commit_callbacks)

    description = case_of(result).description
    assert "Becul de pe Strada Motilor 10 nu mai funcționează." in description
    assert "Bună ziua," in description and "Mulțumesc,\nMaria" in description
    for hidden in ("alert", "document.cookie", "color: red", "ignored title", "<p>", "&#"):
        assert hidden not in description


def test_a_photo_becomes_the_cases_attachment_and_a_refused_file_is_named(
    city, django_capture_on_commit_callbacks
):
    result, _row = received("attachment-png.eml", django_capture_on_commit_callbacks)

    case = case_of(result)
    [photo] = case.attachments.all()
    assert (photo.original_name, photo.content_type) == ("copac.png", "image/png")
    assert "Files of the message not kept with the case:" in case.description
    assert "“setup.exe” is not a photo (JPEG, PNG, WebP) or a PDF document." in case.description


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "iso-8859-2.eml",
            "Trotuar rupt\n\nBună ziua,\nÎn faţa şcolii de pe strada Mihai Viteazul trotuarul "
            "este rupt.\nMulţumesc, Ştefan Ţurcanu",
        ),
        (
            "windows-1250.eml",
            "Gunoi neridicat\n\nGunoiul nu a fost ridicat de două săptămâni în cartierul Cetate."
            "\nVă rugăm să interveniţi. Ştiu că nu e vina dumneavoastră.",
        ),
        (
            "encoded-subject.eml",
            "Cerere: autorizație de construire în Bărăbanț\n\n"
            "Vă rog să-mi spuneți ce acte trebuie depuse.",
        ),
    ],
)
def test_romanian_character_sets_and_encoded_words_come_out_right(
    city, django_capture_on_commit_callbacks, name, expected
):
    result, _row = received(name, django_capture_on_commit_callbacks)

    assert case_of(result).description == expected


def test_an_encoded_sender_name_is_the_contacts_name(city, django_capture_on_commit_callbacks):
    result, _row = received("encoded-subject.eml", django_capture_on_commit_callbacks)

    assert case_of(result).reporter.name == "Ştefan Mureşan"


@pytest.mark.parametrize(
    ("name", "outcome", "reason"),
    [
        ("out-of-office.eml", Outcome.AUTO_REPLY, "Auto-Submitted: auto-replied"),
        ("dsn.eml", Outcome.BOUNCE, "RFC 3464"),
        ("arf.eml", Outcome.FEEDBACK_REPORT, "RFC 5965"),
        ("broken-mime.eml", Outcome.QUARANTINED, "MIME structure is broken"),
    ],
)
def test_automatic_and_unreadable_mail_opens_no_case_and_is_not_answered(
    city, django_capture_on_commit_callbacks, mailoutbox, name, outcome, reason
):
    result, row = received(name, django_capture_on_commit_callbacks)
    send_due()

    assert (result.outcome, result.case) == (outcome, None)
    assert (row.outcome, row.case) == (outcome, None)
    assert reason in row.reason
    assert default_storage.open(row.raw.name).read() == raw(name)
    assert not Case.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    "header",
    ["X-Autoreply: yes", "X-Autorespond: yes", "Precedence: bulk", "List-Id: <news.example.org>"],
)
def test_other_marks_of_automatic_mail_open_no_case(
    city, django_capture_on_commit_callbacks, header
):
    marked = raw("plain.eml").replace(b"MIME-Version", header.encode() + b"\r\nMIME-Version", 1)

    result, _row = received(marked, django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.AUTO_REPLY
    assert not Case.objects.exists()


def test_a_bounce_without_the_standard_report_is_recognised(
    city, django_capture_on_commit_callbacks
):
    qmail = (
        b"From: MAILER-DAEMON@mx.example.org\r\nTo: registratura@apulum.ro\r\n"
        b"Subject: failure notice\r\nMessage-ID: <qmail-1@mx.example.org>\r\n\r\n"
        b"Hi. This is the qmail-send program at mx.example.org.\r\n"
        b"I'm afraid I wasn't able to deliver your message to the following addresses.\r\n"
        b"This is a permanent error; I've given up. Sorry it didn't work out.\r\n\r\n"
        b"<nobody@example.org>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n"
    )

    result, _row = received(qmail, django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.BOUNCE


def test_an_oversized_message_is_kept_whole_and_held(
    city, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_MAX_BYTES = 32 * 1024

    result, row = received("oversized.eml", django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.QUARANTINED
    assert "messages may be at most 32.0\xa0KB" in row.reason
    assert default_storage.open(row.raw.name).read() == raw("oversized.eml")
    assert not Case.objects.exists()


def test_a_sender_in_a_mail_loop_opens_no_more_cases_and_is_not_answered(
    city, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.MAIL_LOOP_LIMIT = 3
    outcomes = []
    for n in range(5):
        message = raw("plain.eml").replace(b"<plain-1@", f"<plain-loop-{n}@".encode())
        outcomes.append(received(message, django_capture_on_commit_callbacks)[0].outcome)
    send_due()

    assert outcomes == ["case", "case", "case", "loop", "loop"]
    assert Case.objects.count() == 3
    assert len(mailoutbox) == 3


def test_the_same_message_twice_is_stored_once(city, django_capture_on_commit_callbacks):
    first, _row = received("plain.eml", django_capture_on_commit_callbacks)
    again = receive(raw("plain.eml"), source="imap")
    # The same Message-ID from the same sender, its bytes changed on the way (a relay's header).
    relayed = receive(b"Received: from relay.example.org\r\n" + raw("plain.eml"), source="pipe")

    assert again == Received(Outcome.DUPLICATE, first.case, "<plain-1@example.org>")
    assert relayed.outcome == Outcome.DUPLICATE
    assert InboundMessage.objects.count() == 1
    assert Case.objects.count() == 1


def test_a_letter_without_its_authors_name_is_held_with_the_rules_reason(
    city, django_capture_on_commit_callbacks
):
    nameless = raw("plain.eml").replace(
        b"From: Ion Popescu <ion.popescu@example.org>", b"From: ion.popescu@example.org"
    )

    result, row = received(nameless, django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.QUARANTINED
    assert "Give the petitioner's name" in row.reason
    assert not Case.objects.exists()
    assert not Contact.objects.filter(email="ion.popescu@example.org").exists()


def test_a_failure_after_storing_holds_the_message_with_the_errors_name(
    city, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr("cetate.mail.pipeline.register_from_email", broken)

    result, row = received("plain.eml", django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.QUARANTINED
    assert (row.outcome, row.reason) == ("quarantined", "KeyError")
    assert default_storage.open(row.raw.name).read() == raw("plain.eml")


def test_a_message_that_cannot_be_stored_is_not_stored_not_stored_raised(city, monkeypatch):
    def full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(default_storage, "save", full)

    with pytest.raises(NotStored):
        receive(raw("plain.eml"), source="pipe")
    assert not InboundMessage.objects.exists()
    assert not Case.objects.exists()


def test_control_characters_in_the_headers_do_not_keep_a_message_from_being_stored(
    city, django_capture_on_commit_callbacks
):
    # A NUL that PostgreSQL would refuse, as an encoded word in the subject.
    odd = raw("plain.eml").replace(
        b"Subject: Groapa pe strada Unirii", b"Subject: =?utf-8?Q?Groapa=00_pe_strada?= Unirii"
    )

    result, row = received(odd, django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.CASE
    assert row.subject == "Groapa pe strada Unirii"
    assert case_of(result).description.startswith("Groapa pe strada Unirii\n")


def test_the_citys_own_mail_come_back_opens_no_case(
    city, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.DEFAULT_FROM_EMAIL = "Primăria <Registratura@apulum.ro>"
    echoed = raw("plain.eml").replace(
        b"From: Ion Popescu <ion.popescu@example.org>", b"From: Primaria <registratura@apulum.ro>"
    )

    result, row = received(echoed, django_capture_on_commit_callbacks)
    send_due()

    assert result.outcome == Outcome.LOOP
    assert row.reason == "The message comes from the city's own address."
    assert not Case.objects.exists()
    assert mailoutbox == []
