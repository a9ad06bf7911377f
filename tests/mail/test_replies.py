"""A resident's reply to Cetate's mail about their case joins that case, and only a reply
Cetate can tell is one: to the case's signed address, or in its thread from its resident."""

import email
import email.message
import re
from email import policy
from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse

from cetate.cases import services
from cetate.cases.models import Case, CaseLink
from cetate.cases.workflow import Action
from cetate.mail.models import Outcome
from cetate.mail.pipeline import receive
from cetate.outbox.sending import send_due
from cetate.test import GRANTED
from tests.cases.files import png

CORPUS = Path(__file__).parent / "corpus"
REPLIES = {
    "reply-gmail.eml": "Groapa s-a adâncit după ploaie; o mașină și-a rupt roata aseară.",
    "reply-outlook-ro.eml": (
        "Vă trimit și adresa exactă: strada Unirii nr. 3, în dreptul blocului A2."
    ),
    "reply-original-message.eml": "Problema nu este rezolvată: groapa este tot acolo.",
    # format=flowed: the paragraph's lines joined back.
    "reply-thunderbird.eml": (
        "groapa de pe strada Unirii s-a lărgit după ploile din weekend și acum ocupă aproape "
        "toată banda dinspre Piața Iuliu Maniu."
    ),
}
QUOTED = (
    "Cererea dumneavoastră a fost",
    "wrote:",
    "a scris:",
    "De la:",
    "-----Original Message-----",
    "Tel. 0722",
)


@pytest.fixture(autouse=True)
def _city_address(settings):
    settings.DEFAULT_FROM_EMAIL = "Primăria <registratura@apulum.ro>"
    settings.MAIL_REPLY_ADDRESS = ""
    settings.SITE_URL = "https://cetate.apulum.ro"


def deliver(data: bytes, capture):
    with capture(execute=True):
        return receive(data, source="pipe")


def case_of(number: str | None) -> Case:
    assert number is not None
    registration, year = number.split("/")
    return Case.objects.get(registration_number=registration, registration_year=year)


def registered(capture, mailoutbox):
    """A case opened by email, its registration mail sent: (case, that mail)."""
    result = deliver((CORPUS / "plain.eml").read_bytes(), capture)
    with capture(execute=True):
        send_due()
    [receipt] = mailoutbox
    mailoutbox.clear()
    return case_of(result.case), receipt


def reply(name: str, receipt, *, reply_to: str = "", thread: str = "") -> bytes:
    text = (CORPUS / name).read_text(encoding="utf-8")
    text = text.replace("REPLY_TO", reply_to or receipt.extra_headers["Reply-To"])
    text = text.replace("THREAD_ID", thread or receipt.extra_headers["Message-ID"])
    return text.replace("REPLY_SUBJECT", receipt.subject).encode()


def sent(capture, mailoutbox) -> list[EmailMessage]:
    """The mail sent of what is due, taken out of the outbox."""
    with capture(execute=True):
        send_due()
    mails = list(mailoutbox)
    mailoutbox.clear()
    return mails


def in_progress(city, case: Case) -> Case:
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    return services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)


def test_cetates_mail_asks_for_replies_at_the_cases_signed_address_and_says_it_is_automatic(
    city, django_capture_on_commit_callbacks, mailoutbox
):
    case, receipt = registered(django_capture_on_commit_callbacks, mailoutbox)

    headers = receipt.message()
    assert re.fullmatch(
        rf"registratura\+c-{case.pk}-[0-9a-f]{{16}}@apulum\.ro", headers["Reply-To"]
    )
    # The registration mail answers the resident's own message, in its thread, and starts
    # the case's thread under a signed Message-ID.
    assert headers["Auto-Submitted"] == "auto-replied"
    assert headers["In-Reply-To"] == headers["References"] == "<plain-1@example.org>"
    assert receipt.subject.startswith("Re: Groapa pe strada Unirii [Înregistrare ")
    assert f"{case.number}" in receipt.subject
    assert re.fullmatch(
        rf"<case-{case.registration_year}-{case.registration_number}\.[0-9a-f]{{16}}"
        r"@cetate\.apulum\.ro>",
        headers["Message-ID"],
    )

    with django_capture_on_commit_callbacks(execute=True):
        in_progress(city, case)
        services.message_resident(case_id=case.pk, actor=city.officer, text="Venim mâine.")
    with django_capture_on_commit_callbacks(execute=True):
        send_due()
    assert mailoutbox
    signature = headers["Message-ID"].split(".")[1].split("@")[0]
    for mail in mailoutbox:
        assert mail.message()["Reply-To"] == headers["Reply-To"]
        assert mail.message()["In-Reply-To"] == headers["Message-ID"]
        assert re.fullmatch(
            rf"<case-{case.registration_year}-{case.registration_number}\.[0-9]+\.{signature}"
            r"@cetate\.apulum\.ro>",
            mail.message()["Message-ID"],
        )
    notices = [m for m in mailoutbox if "Venim mâine." not in m.body]
    [written] = [m for m in mailoutbox if "Venim mâine." in m.body]
    assert notices and all(m.message()["Auto-Submitted"] == "auto-generated" for m in notices)
    # What an officer wrote is no automatic mail.
    assert written.message()["Auto-Submitted"] is None


@pytest.mark.parametrize("name", sorted(REPLIES))
def test_a_reply_joins_its_case_unanswered_and_the_officer_reads_it(
    name, city, client, django_capture_on_commit_callbacks, mailoutbox
):
    case, receipt = registered(django_capture_on_commit_callbacks, mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        in_progress(city, case)
    sent(django_capture_on_commit_callbacks, mailoutbox)

    result = deliver(reply(name, receipt), django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.REPLY
    assert result.case == case.number
    assert Case.objects.count() == 1
    event = case.events.get(kind="resident_replied")
    assert REPLIES[name] in event.text
    assert not event.public
    assert all(quoted not in event.text for quoted in QUOTED)
    # The whole message is kept, quotes included.
    assert REPLIES[name] in event.data["text"] and "Cererea" in event.data["text"]
    assert sent(django_capture_on_commit_callbacks, mailoutbox) == []

    client.force_login(city.officer)
    page = client.get(
        reverse("console:case", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Resident&#x27;s reply by email" in page
    assert REPLIES[name] in page


def test_a_reply_to_a_waiting_case_brings_it_back_to_work(
    city, django_capture_on_commit_callbacks, mailoutbox
):
    case, receipt = registered(django_capture_on_commit_callbacks, mailoutbox)
    in_progress(city, case)
    services.change_status(
        case_id=case.pk, actor=city.officer, action=Action.WAIT, text="Care este adresa exactă?"
    )

    result = deliver(reply("reply-outlook-ro.eml", receipt), django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.REPLY
    case.refresh_from_db()
    assert (case.status, case.waiting_since) == ("in_progress", None)


def resolved(city, case: Case) -> Case:
    in_progress(city, case)
    return services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Groapa a fost astupată.",
        decision=GRANTED,
    )


def test_a_reply_to_a_resolved_case_reopens_it(
    city, django_capture_on_commit_callbacks, mailoutbox
):
    case, receipt = registered(django_capture_on_commit_callbacks, mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        resolved(city, case)
    sent(django_capture_on_commit_callbacks, mailoutbox)

    result = deliver(
        reply("reply-original-message.eml", receipt), django_capture_on_commit_callbacks
    )

    assert result.outcome == Outcome.REPLY
    case.refresh_from_db()
    assert (case.status, case.resolved_at) == ("in_progress", None)
    assert case.events.filter(kind="reopened").exists()
    assert sent(django_capture_on_commit_callbacks, mailoutbox) == []


def test_where_the_city_says_so_a_reply_to_a_closed_case_opens_a_new_case_linked_to_it(
    city, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.MAIL_REPLY_TO_CLOSED = "new"
    case, receipt = registered(django_capture_on_commit_callbacks, mailoutbox)
    resolved(city, case)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.CLOSE)

    result = deliver(reply("reply-gmail.eml", receipt), django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.CASE
    new = case_of(result.case)
    assert new != case
    assert REPLIES["reply-gmail.eml"] in new.description
    case.refresh_from_db()
    assert case.status == "closed"
    assert CaseLink.objects.filter(first_id=case.pk, second_id=new.pk).exists()


def test_a_forged_reply_address_or_a_strangers_message_in_the_thread_opens_a_case_of_its_own(
    city, django_capture_on_commit_callbacks, mailoutbox
):
    case, receipt = registered(django_capture_on_commit_callbacks, mailoutbox)
    signed = receipt.extra_headers["Reply-To"]
    other_case = signed.replace(f"+c-{case.pk}-", f"+c-{case.pk + 1}-")
    forged = reply("reply-outlook-ro.eml", receipt, reply_to=other_case)

    assert deliver(forged, django_capture_on_commit_callbacks).outcome == Outcome.CASE

    # A Message-ID signed wrongly, or one of the mail sent before Message-IDs were signed,
    # can be made up: from someone other than the case's resident it names no case.
    signed = receipt.extra_headers["Message-ID"]
    unsigned = f"<case-{case.registration_year}-{case.registration_number}@cetate.apulum.ro>"
    forged_id = re.sub(r"\.[0-9a-f]{16}@", ".0123456789abcdef@", signed)
    for n, thread in enumerate((forged_id, unsigned, unsigned.replace("@", ".2@"))):
        stranger = (
            reply("reply-original-message.eml", receipt, thread=thread)
            .replace(b"ion.popescu@example.org", b"maria@example.org")
            .replace(b"<reply-3@", f"<reply-3-{n}@".encode())
        )
        assert deliver(stranger, django_capture_on_commit_callbacks).outcome == Outcome.CASE
    assert not case.events.filter(
        kind__in=["resident_replied", "others_replied", "organisation_replied"]
    ).exists()
    assert Case.objects.count() == 5


def test_the_resident_may_still_answer_mail_sent_before_message_ids_were_signed(
    city, django_capture_on_commit_callbacks, mailoutbox
):
    case, receipt = registered(django_capture_on_commit_callbacks, mailoutbox)
    unsigned = f"<case-{case.registration_year}-{case.registration_number}.3@cetate.apulum.ro>"

    result = deliver(
        reply("reply-original-message.eml", receipt, thread=unsigned),
        django_capture_on_commit_callbacks,
    )

    assert (result.outcome, result.case) == (Outcome.REPLY, case.number)
    assert case.events.filter(kind="resident_replied").exists()


def test_a_replys_photo_is_kept_with_its_case_and_a_file_not_accepted_is_named(
    city, django_capture_on_commit_callbacks, mailoutbox
):
    case, receipt = registered(django_capture_on_commit_callbacks, mailoutbox)
    message = email.message_from_bytes(reply("reply-gmail.eml", receipt), policy=policy.default)
    assert isinstance(message, email.message.EmailMessage)
    message.add_attachment(png(), maintype="image", subtype="png", filename="groapa.png")
    message.add_attachment(
        b"MZ\x90\x00", maintype="application", subtype="x-msdownload", filename="program.exe"
    )

    result = deliver(message.as_bytes(), django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.REPLY
    assert [a.original_name for a in case.attachments.all()] == ["groapa.png"]
    event = case.events.get(kind="resident_replied")
    assert "program.exe" in event.text.split("not kept with the case:")[1]
