"""Mail held for a person to look at, in the console: listed, read as text, downloaded as
received, registered as a case or discarded."""

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from cetate.cases.choices import Channel, Kind
from cetate.cases.workflow import Status
from cetate.contacts.models import PersonalDataView
from cetate.lib import clock
from cetate.mail.models import InboundMessage, Outcome
from cetate.mail.pipeline import receive
from cetate.outbox.sending import send_due

CORPUS = Path(__file__).parent.parent / "mail" / "corpus"

HTML_WITHOUT_A_NAME = b"""From: ion.popescu@example.org
To: registratura@apulum.ro
Subject: Groapa din strada Morilor
Date: Mon, 07 Dec 2026 17:00:00 +0200
Message-ID: <held-1@example.org>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p>Bun\xc4\x83 ziua, pe strada Morilor este o groap\xc4\x83 &lt;ad\xc3\xa2nc\xc4\x83&gt;.</p>
<script>alert("x")</script><img src="https://tracker.example/x.png">
"""


@pytest.fixture(autouse=True)
def _english_pages(client):
    """The pages in English, as an English browser asks for them."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def held(capture, data: bytes = HTML_WITHOUT_A_NAME) -> InboundMessage:
    with capture(execute=True):
        result = receive(data, source="pipe")
    assert result.outcome == Outcome.QUARANTINED
    return InboundMessage.objects.get(sha256=hashlib.sha256(data).hexdigest())


def test_the_dispatcher_sees_the_held_mail_newest_first_and_counted(
    client, city, django_capture_on_commit_callbacks
):
    nameless = held(django_capture_on_commit_callbacks)
    broken = held(django_capture_on_commit_callbacks, (CORPUS / "broken-mime.eml").read_bytes())
    InboundMessage.objects.filter(pk=nameless.pk).update(
        received_at=clock.now() - timedelta(hours=1)
    )
    client.force_login(city.dispatcher)

    html = client.get(reverse("console:held_mail")).content.decode()

    assert "2 messages held" in html
    assert html.index("Cerere") < html.index("Groapa din strada Morilor")  # newest first
    assert "gmarin@example.org" in html
    assert "MIME structure is broken" in html
    assert f'href="{reverse("console:held_message", args=[broken.pk])}"' in html
    waiting = client.get(reverse("console:waiting")).content.decode()
    assert f'href="{reverse("console:held_mail")}"' in waiting
    assert "Held mail: <strong>2</strong>" in waiting
    assert PersonalDataView.objects.filter(user=city.dispatcher, what="held mail page 1").exists()


def test_the_message_page_shows_its_text_escaped_and_never_its_html(
    client, city, django_capture_on_commit_callbacks
):
    message = held(django_capture_on_commit_callbacks)
    client.force_login(city.dispatcher)

    html = client.get(reverse("console:held_message", args=[message.pk])).content.decode()

    assert "<script>alert" not in html
    assert "tracker.example" not in html
    assert "groapă &lt;adâncă&gt;" in html
    assert "ion.popescu@example.org" in html
    assert "&lt;held-1@example.org&gt;" in html  # its Message-ID among the headers
    assert reverse("console:held_raw", args=[message.pk]) in html


def test_the_raw_message_is_downloaded_by_the_dispatcher_and_refused_to_an_officer(
    client, city, django_capture_on_commit_callbacks
):
    message = held(django_capture_on_commit_callbacks)
    url = reverse("console:held_raw", args=[message.pk])

    client.force_login(city.officer)
    assert client.get(url).status_code == 403
    assert client.get(reverse("console:held_mail")).status_code == 403
    assert client.get(reverse("console:held_message", args=[message.pk])).status_code == 403
    assert (
        f'href="{reverse("console:held_mail")}"'
        not in client.get(reverse("console:waiting")).content.decode()
    )

    client.force_login(city.dispatcher)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"] == f'attachment; filename="message-{message.pk}.eml"'
    assert response.content == HTML_WITHOUT_A_NAME
    assert PersonalDataView.objects.filter(
        user=city.dispatcher, what=f"raw message {message.pk}"
    ).exists()


def test_the_dispatcher_registers_a_held_message_as_a_case_and_its_sender_gets_the_receipt(
    client, city, django_capture_on_commit_callbacks, mailoutbox
):
    message = held(django_capture_on_commit_callbacks)
    client.force_login(city.dispatcher)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("console:held_register", args=[message.pk]),
            {"name": "Ion Popescu", "email": "ion.popescu@example.org", "kind": "request"},
        )

    message.refresh_from_db()
    assert message.outcome == Outcome.CASE
    case = message.case
    assert response.status_code == 302
    assert response["Location"] == reverse("console:case", args=[case.pk])
    assert (case.channel, case.status) == (Channel.EMAIL, Status.NEW)
    assert case.reporter.name == "Ion Popescu"
    assert "groapă" in case.description
    assert "<script>" not in case.description
    assert (message.decided_by, message.decision) == (
        city.dispatcher,
        f"Registered as case {case.number}.",
    )
    send_due()
    assert [mail.to for mail in mailoutbox] == [["ion.popescu@example.org"]]
    assert case.tracking_code in mailoutbox[0].body
    # No longer held; the case card offers the message as received.
    assert client.get(reverse("console:held_mail")).content.decode().count("Groapa") == 0
    card = client.get(reverse("console:case", args=[case.pk])).content.decode()
    raw_url = reverse("console:case_message_raw", args=[case.pk, message.pk])
    assert raw_url in card
    assert client.get(raw_url).content == HTML_WITHOUT_A_NAME
    # Registered once: a second decision is refused.
    again = client.post(
        reverse("console:held_discard", args=[message.pk]), {"reason": "Spam"}, follow=True
    )
    assert "Someone has already decided on this message." in again.content.decode()
    message.refresh_from_db()
    assert message.outcome == Outcome.CASE


def test_an_officer_of_another_department_does_not_download_a_cases_message(
    client, city, django_capture_on_commit_callbacks
):
    message = held(django_capture_on_commit_callbacks)
    client.force_login(city.dispatcher)
    client.post(
        reverse("console:held_register", args=[message.pk]),
        {"name": "Ion Popescu", "email": "ion.popescu@example.org", "kind": "request"},
    )
    message.refresh_from_db()

    client.force_login(city.officer)  # the case is in triage, in no department of theirs
    url = reverse("console:case_message_raw", args=[message.case_id, message.pk])
    assert client.get(url).status_code == 404


def test_a_held_message_is_discarded_with_a_reason_and_its_bytes_go_after_30_days(
    client, city, django_capture_on_commit_callbacks
):
    message = held(django_capture_on_commit_callbacks)
    name = message.raw.name
    storage = message.raw.storage
    client.force_login(city.dispatcher)
    url = reverse("console:held_discard", args=[message.pk])

    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert 'id="id_reason_error"' in refused.content.decode()  # the field says what is missing
    message.refresh_from_db()
    assert message.outcome == Outcome.QUARANTINED

    response = client.post(url, {"reason": "Reclamă, nu o petiție"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.outcome == Outcome.DISCARDED
    assert (message.decided_by, message.decision) == (city.dispatcher, "Reclamă, nu o petiție")
    assert "0 messages held" in client.get(reverse("console:held_mail")).content.decode()
    page = client.get(reverse("console:held_message", args=[message.pk])).content.decode()
    assert "Reclamă, nu o petiție" in page
    assert 'action="' + url not in page  # no second decision offered

    with time_machine.travel(clock.now() + timedelta(days=29)):
        call_command("apply_retention")
    assert storage.exists(name)

    with time_machine.travel(clock.now() + timedelta(days=31)):
        call_command("apply_retention")
    assert not storage.exists(name)
    message.refresh_from_db()
    assert not message.raw
    assert client.get(reverse("console:held_raw", args=[message.pk])).status_code == 404


def test_the_dispatcher_registers_a_held_message_as_a_report_in_its_category(
    client, city, django_capture_on_commit_callbacks
):
    message = held(django_capture_on_commit_callbacks)
    client.force_login(city.dispatcher)
    page = client.get(reverse("console:held_message", args=[message.pk])).content.decode()
    assert '<option value="request" selected>request</option>' in page
    assert "Pothole" in page  # the categories to choose from

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("console:held_register", args=[message.pk]),
            {
                "name": "Ion Popescu",
                "email": "ion.popescu@example.org",
                "kind": "report",
                "category": city.lamp.pk,
                "answer__pole": "A-17",
            },
        )

    assert response.status_code == 302
    message.refresh_from_db()
    case = message.case
    assert (case.channel, case.kind, case.category) == (Channel.EMAIL, Kind.REPORT, city.lamp)
    assert case.answers == {"pole": "A-17"}


def test_a_report_needs_its_category_and_a_petition_its_authors_name(
    client, city, django_capture_on_commit_callbacks
):
    message = held(django_capture_on_commit_callbacks)
    client.force_login(city.dispatcher)
    url = reverse("console:held_register", args=[message.pk])

    report = client.post(url, {"name": "", "email": "ion.popescu@example.org", "kind": "report"})
    assert report.status_code == 400
    html = report.content.decode()
    assert "The case was not registered: correct the fields marked below." in html
    assert 'id="id_category_error"' in html and "A report of a problem needs its category." in html
    assert 'id="id_name_error"' not in html  # a report by email may come without a name

    complaint = client.post(
        url,
        {"name": " ", "email": "ion.popescu@example.org", "kind": "complaint"},
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    assert complaint.status_code == 400
    html = complaint.content.decode()
    assert 'id="id_name_error"' in html
    assert "Indicați numele petentului" in html
    assert '<option value="complaint" selected>' in html  # the choice is kept
    message.refresh_from_db()
    assert (message.outcome, message.case) == (Outcome.QUARANTINED, None)

    with django_capture_on_commit_callbacks(execute=True):
        question = client.post(url, {"email": "ion.popescu@example.org", "kind": "inquiry"})
    assert question.status_code == 302
    message.refresh_from_db()
    assert (message.outcome, message.case.kind) == (Outcome.CASE, Kind.INQUIRY)


def test_the_spam_score_and_its_reasons_are_shown_in_the_list_and_on_the_message(
    client, city, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_AUTHSERV_ID = ["mx.apulum.ro"]
    message = held(
        django_capture_on_commit_callbacks, (CORPUS / "spam-dmarc-fail.eml").read_bytes()
    )
    client.force_login(city.dispatcher)

    listed = client.get(reverse("console:held_mail")).content.decode()
    assert "Looks like spam (6 points; a message is held at 5 or more)" in listed
    assert "DMARC: fail (+4); SPF: fail (+2)." in listed

    page = client.get(reverse("console:held_message", args=[message.pk])).content.decode()
    assert "6 points (a message is held at 5 or more)" in page
    assert "<li>DMARC: fail (+4)</li>" in page


def test_an_unreadable_message_still_offers_its_senders_name_to_register(
    client, city, django_capture_on_commit_callbacks
):
    broken = held(django_capture_on_commit_callbacks, (CORPUS / "broken-mime.eml").read_bytes())
    client.force_login(city.dispatcher)

    html = client.get(reverse("console:held_message", args=[broken.pk])).content.decode()

    assert "MIME structure is broken" in html
    assert 'value="Gheorghe Marin"' in html
    assert 'value="gmarin@example.org"' in html
