from datetime import datetime, timedelta

import pytest
import time_machine

from cetate.cases.deadlines import CITY_TZ
from cetate.contacts.models import PersonalDataView
from cetate.telephony.models import Call, Settlement
from cetate.telephony.services import link_case, missed_calls, record_cti_event

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=CITY_TZ)


def call(call_id, *, start, answer=None, end=None, number="0744 123 456", extension="101"):
    def event(kind, seconds, **fields):
        record_cti_event(event=kind, call_id=call_id, at=T0 + timedelta(seconds=seconds), **fields)

    event("newCall", start, from_number=number, to_number="0258 800 000", direction="inbound")
    if answer is not None:
        event("answer", answer, extension=extension)
    if end is not None:
        event("hangup", end, cause="NORMAL_CLEARING")
    return Call.objects.get(call_id=call_id)


@pytest.fixture
def log(city):
    city.dispatcher.first_name, city.dispatcher.last_name = "Maria", "Ionescu"
    city.dispatcher.phone_extension = "101"
    city.dispatcher.save()
    answered = call("a1", start=0, answer=12, end=192)
    link_case(call_id=answered.pk, case=city.report())
    missed = call("m1", start=600, end=645, number="0722 000 111")
    return {"answered": answered, "missed": missed}


def test_the_call_log_lists_calls_newest_first_with_their_times(client, city, log):
    client.force_login(city.dispatcher)
    html = client.get("/telephony/calls/").content.decode()

    assert html.index("+40722000111") < html.index("+40744123456")
    assert "Ion Popescu" in html
    assert '<time datetime="PT0H0M12S">0:12</time>' in html  # waiting
    assert '<time datetime="PT0H3M0S">3:00</time>' in html  # talk
    assert "Maria Ionescu" in html
    case = Call.objects.get(call_id="a1").case
    assert f'<a href="/console/cases/{case.pk}/">{case.number}</a>' in html
    assert "1 missed call waiting for a call-back" in html


def test_the_missed_filter_shows_only_calls_waiting_for_a_call_back(client, city, log):
    client.force_login(city.dispatcher)
    html = client.get("/telephony/calls/?missed=1").content.decode()

    assert "+40722000111" in html
    assert "+40744123456" not in html
    missed = log["missed"]
    assert f'href="/console/intake/?call={missed.pk}"' in html
    assert f'action="/telephony/calls/{missed.pk}/settle"' in html
    assert "Called back" in html
    assert "Dismiss" in html


def test_the_call_log_is_recorded_as_a_view_of_personal_data(client, city, log):
    client.force_login(city.dispatcher)
    client.get("/telephony/calls/?missed=1")
    assert PersonalDataView.objects.filter(
        user=city.dispatcher, what="missed calls page 1"
    ).exists()


def test_the_call_log_is_paginated(client, city):
    for number in range(51):
        call(f"c{number}", start=number, end=number + 1)
    client.force_login(city.dispatcher)
    first = client.get("/telephony/calls/").content.decode()
    second = client.get("/telephony/calls/?page=2").content.decode()
    assert "Page 1 of 2" in first
    assert first.count("<tr") == 51  # the heading and fifty calls
    assert second.count("<tr") == 2


@pytest.mark.parametrize("persona", ["officer", "clerk", "head"])
def test_the_call_log_is_refused_outside_the_dispatch_centre(client, city, log, persona):
    client.force_login(getattr(city, persona))
    assert client.get("/telephony/calls/").status_code == 403
    assert client.get("/telephony/calls/?missed=1").status_code == 403
    missed = log["missed"]
    response = client.post(f"/telephony/calls/{missed.pk}/settle", {"how": "dismissed"})
    assert response.status_code == 403
    assert missed_calls().count() == 1


def test_the_call_log_needs_signing_in(client, log):
    assert client.get("/telephony/calls/")["Location"].startswith("/login/")


def test_the_supervisor_sees_the_call_log(client, city, log):
    client.force_login(city.supervisor)
    assert client.get("/telephony/calls/").status_code == 200


@pytest.mark.parametrize(
    ("how", "message", "settlement"),
    [
        ("called_back", "is marked as called back", Settlement.CALLED_BACK),
        ("dismissed", "is dismissed", Settlement.DISMISSED),
    ],
)
def test_settling_a_missed_call_goes_back_to_the_list_with_a_message(
    client, city, log, how, message, settlement
):
    client.force_login(city.dispatcher)
    missed = log["missed"]
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        response = client.post(
            f"/telephony/calls/{missed.pk}/settle",
            {"how": how, "next": "/telephony/calls/?missed=1"},
            follow=True,
        )

    assert response.redirect_chain == [("/telephony/calls/?missed=1", 302)]
    html = response.content.decode()
    assert f"The missed call from +40722000111 {message}." in html
    assert "No missed call is waiting for a call-back." in html
    missed.refresh_from_db()
    assert (missed.settlement, missed.settled_by) == (settlement, city.dispatcher)


def test_settling_twice_explains_it_was_already_done(client, city, log):
    client.force_login(city.dispatcher)
    url = f"/telephony/calls/{log['missed'].pk}/settle"
    client.post(url, {"how": "dismissed"})
    html = client.post(url, {"how": "called_back"}, follow=True).content.decode()
    assert "This missed call was already settled: dismissed." in html


def test_a_settlement_other_than_the_two_buttons_is_refused(client, city, log):
    client.force_login(city.dispatcher)
    url = f"/telephony/calls/{log['missed'].pk}/settle"
    html = client.post(url, {"how": "called_again"}, follow=True).content.decode()
    assert "Choose whether the call was called back or dismissed." in html
    assert missed_calls().count() == 1


def test_settling_goes_back_only_to_pages_of_this_site(client, city, log):
    client.force_login(city.dispatcher)
    response = client.post(
        f"/telephony/calls/{log['missed'].pk}/settle",
        {"how": "dismissed", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/telephony/calls/?missed=1"


def test_settle_buttons_need_the_csrf_token(city, log):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(city.dispatcher)
    response = strict.post(f"/telephony/calls/{log['missed'].pk}/settle", {"how": "dismissed"})
    assert response.status_code == 403
    assert missed_calls().count() == 1


def test_a_hidden_number_is_shown_as_the_exchange_sent_it(client, city):
    call("h1", start=0, end=30, number="anonymous")
    client.force_login(city.dispatcher)
    html = client.get("/telephony/calls/?missed=1").content.decode()
    assert "<td>anonymous</td>" in html
    assert 'href="tel:' not in html
