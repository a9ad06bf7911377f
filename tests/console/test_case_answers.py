"""Answering from the case card: the outcome and legal basis the officer chooses, what the card
then shows, and the exit of an answer sent by post recorded from it."""

from datetime import date, datetime, timedelta
from typing import Any

import time_machine
from django.utils.html import escape

from cetate.cases import services
from cetate.cases.choices import Kind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact
from tests.console.test_case_card import offered_actions, post, show

T0 = datetime(2026, 5, 26, 10, 0, tzinfo=CITY_TZ)


def started(city, **fields) -> Case:
    case = city.report(**fields)
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    return case


def test_the_officer_answers_with_an_outcome_and_a_basis_of_the_list(client, city):
    case = started(city)
    client.force_login(city.officer)
    html = show(client, case).content.decode()
    assert 'name="resolve-outcome"' in html
    assert "og27-report-solved" in html
    assert "l544-granted" not in html  # not a basis for a report

    missing = post(client, case, "resolve", text="Astupată.")
    assert missing.status_code == 200
    assert "Choose the outcome of the answer." in missing.content.decode()

    wrong = post(
        client, case, "resolve", text="Astupată.", outcome="refused", legal_basis="og27-granted"
    )
    assert wrong.status_code == 200
    assert "is not one of those for this kind of case and this outcome" in (
        escape_free(wrong.content.decode())
    )
    case.refresh_from_db()
    assert case.status == "in_progress"

    done = post(
        client,
        case,
        "resolve",
        text="Astupată.",
        outcome="granted",
        legal_basis="og27-report-solved",
    )
    assert done.status_code == 302

    html = show(client, case).content.decode()
    assert "Outcome" in html and "Granted" in html
    assert "OG 27/2002, art. 8 și art. 13" in html
    assert "The problem reported was examined and solved." in html
    assert "on time" in html


def escape_free(html: str) -> str:
    return html.replace("&#x27;", "'").replace("&quot;", '"')


def test_a_late_refusal_of_public_information_shows_late_with_its_reason(client, city):
    with time_machine.travel(T0, tick=False):
        case = started(city, kind=Kind.INFORMATION, category=None)
    client.force_login(city.officer)
    with time_machine.travel(T0 + timedelta(days=8), tick=False):
        html = show(client, case).content.decode()
        assert 'name="resolve-information_topic"' in html
        assert 'name="resolve-late_reason"' in html
        fields: dict[str, Any] = {
            "text": "Nu deținem aceste date.",
            "outcome": "refused",
            "legal_basis": "l544-not-held",
            "information_topic": "duties",
        }
        refused = post(client, case, "resolve", **fields)
        assert "Write the reason for the delay" in refused.content.decode()
        done = post(client, case, "resolve", late_reason="Arhiva era închisă.", **fields)
        assert done.status_code == 302

    html = show(client, case).content.decode()
    assert "late" in html
    assert escape("Arhiva era închisă.") in html
    assert "Legea 544/2001, art. 2 lit. b) și art. 7 alin. (2)" in html


def test_the_exit_of_an_answer_sent_by_post_is_recorded_from_the_card(client, city):
    resident = create_contact(
        name="Ștefan Mureșan", postal_address="Str. Trandafirilor nr. 3", preferred_channel="post"
    )
    with time_machine.travel(T0, tick=False):
        case = started(city, reporter=resident)
        services.change_status(
            case_id=case.pk,
            actor=city.officer,
            action=Action.RESOLVE,
            text="Astupată.",
            decision=services.Decision("granted", "og27-granted"),
        )
    client.force_login(city.officer)
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        html = show(client, case).content.decode()
        assert "answer_sent" in offered_actions(html)
        assert "Ștefan Mureșan, Str. Trandafirilor nr. 3" in html  # the recipient, filled in

        future = post(
            client, case, "answer_sent", sent_on="2026-06-01", channel="post", recipient="Ș. M."
        )
        assert "a day still to come" in future.content.decode()

        sent = post(
            client,
            case,
            "answer_sent",
            sent_on="2026-05-27",
            channel="post",
            recipient="Ștefan Mureșan, Str. Trandafirilor nr. 3",
        )
        assert sent.status_code == 302

    case.refresh_from_db()
    assert case.sent_by == "post"
    assert case.sent_at.astimezone(CITY_TZ).date() == date(2026, 5, 27)
    html = show(client, case).content.decode()
    assert "Answer sent (exit recorded in the register)" in html  # the history
    assert "answer_sent" not in offered_actions(html)


def test_the_exit_form_is_for_those_who_work_the_case(client, city):
    case = started(city)
    services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Astupată.",
        decision=services.Decision("granted", "og27-granted"),
    )
    case.refresh_from_db()
    case.sent_at = None  # as if its mail had not gone out yet
    case.save(update_fields=["sent_at"])
    client.force_login(city.dispatcher)
    assert "answer_sent" not in offered_actions(show(client, case).content.decode())
