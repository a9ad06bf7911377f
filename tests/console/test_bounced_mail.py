"""The case card of a case whose mail bounced: the failing address beside the resident's email,
the answer to print and post, its exit recorded from the card and shown by the register."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from cetate.cases import services
from cetate.cases.choices import EventKind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact
from cetate.mail.pipeline import receive
from cetate.outbox.sending import send_due
from cetate.test import GRANTED
from tests.console.test_case_card import EN, offered_actions, post, show
from tests.mail.test_bounces import report

MORNING = datetime(2026, 12, 8, 10, 0, tzinfo=CITY_TZ)


@pytest.fixture(autouse=True)
def _city_address(settings):
    settings.DEFAULT_FROM_EMAIL = "Primăria <registratura@apulum.ro>"
    settings.MAIL_REPLY_ADDRESS = ""
    settings.SITE_URL = "https://cetate.apulum.ro"


def bounced_answer(city, capture, mailoutbox, *, postal_address: str):
    resident = create_contact(
        name="Ion Popescu",
        email="ion.popescu@example.org",
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
    with capture(execute=True):
        send_due()
    answer = case.events.get(kind=EventKind.STATUS_CHANGED, to_status="resolved")
    [mail] = [m for m in mailoutbox if f".{answer.seq}@" in m.extra_headers["Message-ID"]]
    with capture(execute=True):
        receive(report("dsn-postfix.eml", mail), source="pipe")
    return case


def test_the_card_shows_the_failing_address_and_asks_for_the_answer_by_post(
    client, city, django_capture_on_commit_callbacks, mailoutbox
):
    with time_machine.travel(MORNING, tick=False):
        case = bounced_answer(
            city, django_capture_on_commit_callbacks, mailoutbox, postal_address="Str. Unirii 3"
        )
        client.force_login(city.officer)
        html = show(client, case).content.decode()

        assert "address failing since 08.12.2026 10:00, 5.1.1 smtp; 550 5.1.1" in html
        assert "print the answer letter, post it, and record that the answer was sent" in html
        assert "Email to the resident bounced" in html  # the history
        assert "the answer&#x27;s exit by email on 08.12.2026 10:00 no longer stands" in html
        assert (
            reverse(
                "console:letter_pdf",
                args=[
                    case.pk,
                    case.events.get(kind=EventKind.STATUS_CHANGED, to_status="resolved").seq,
                ],
            )
            in html
        )
        assert "answer_sent" in offered_actions(html)
        assert "Ion Popescu, Str. Unirii 3" in html  # the letter's recipient, filled in

        recorded = post(
            client,
            case,
            "answer_sent",
            sent_on="2026-12-08",
            channel="post",
            recipient="Ion Popescu, Str. Unirii 3",
        )
        assert recorded.status_code == 302

    case.refresh_from_db()
    assert (case.sent_by, case.sent_to) == ("post", "Ion Popescu, Str. Unirii 3")
    assert case.events.filter(kind=EventKind.ANSWER_SENT).count() == 2
    html = show(client, case).content.decode()
    assert "print the answer letter" not in html
    client.force_login(city.dispatcher)
    register = client.get(reverse("console:register"), {"year": 2026}, **EN).content.decode()
    assert "Ion Popescu, Str. Unirii 3" in register
    assert "letter by post" in register


def test_without_a_postal_address_the_card_says_there_is_none_to_answer_to(
    client, city, django_capture_on_commit_callbacks, mailoutbox
):
    with time_machine.travel(MORNING, tick=False):
        case = bounced_answer(
            city, django_capture_on_commit_callbacks, mailoutbox, postal_address=""
        )
        client.force_login(city.officer)
        html = show(client, case).content.decode()

    assert "no postal address is known: there is no address to answer to" in html
    assert "but the address is failing: call or write to the resident" in html
