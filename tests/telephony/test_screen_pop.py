from datetime import datetime, timedelta

import pytest
import time_machine

from cetate.cases import services as cases
from cetate.cases.deadlines import CITY_TZ
from cetate.contacts.models import PersonalDataView
from cetate.telephony.models import Call
from cetate.telephony.services import link_case, record_cti_event

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=CITY_TZ)
DURING = T0 + timedelta(seconds=30)


def answered_call(number="0744 123 456", extension="101", call_id="c1"):
    record_cti_event(
        event="newCall", call_id=call_id, from_number=number, direction="inbound", at=T0
    )
    record_cti_event(
        event="answer", call_id=call_id, extension=extension, at=T0 + timedelta(seconds=5)
    )
    return Call.objects.get(call_id=call_id)


@pytest.fixture
def dispatcher(city):
    city.dispatcher.phone_extension = "101"
    city.dispatcher.save(update_fields=["phone_extension"])
    return city.dispatcher


def pop(client, **params):
    with time_machine.travel(DURING, tick=False):
        return client.get("/telephony/pop", params, HTTP_HX_REQUEST="true")


def test_the_dispatcher_who_answered_sees_the_callers_card(client, city, dispatcher):
    earlier = city.report()
    call = answered_call()
    client.force_login(dispatcher)

    response = pop(client)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Call from +40744123456" in html
    assert "Ion Popescu" in html
    assert "ion@example.org" in html
    assert f'<a href="/console/cases/{earlier.pk}/">{earlier.number}</a>' in html
    assert "Pothole" in html
    register = f'href="/console/intake/?call={call.pk}" accesskey="r">Register this call</a>'
    assert register in html
    assert html.index(register) < html.index('href="/console/cases/')  # first in tab order
    assert f'data-call="{call.pk}"' in html
    assert f'<input type="hidden" name="shown" value="{call.pk}">' in html


def test_the_card_lists_the_callers_last_calls(client, city, dispatcher):
    record_cti_event(
        event="newCall", call_id="old", from_number="0744123456", at=T0 - timedelta(days=3)
    )
    record_cti_event(event="hangup", call_id="old", at=T0 - timedelta(days=3, seconds=-20))
    answered_call()
    client.force_login(dispatcher)
    html = pop(client).content.decode()
    assert "<li>02/27/2026 10 a.m. · incoming · not answered</li>" in html
    assert html.count("<li>") == 1  # the call on the line is not an earlier one


def test_nobody_else_sees_the_call(client, city, dispatcher):
    answered_call()
    city.supervisor.phone_extension = "102"
    city.supervisor.save(update_fields=["phone_extension"])
    for user in (city.supervisor, city.clerk):
        client.force_login(user)
        response = pop(client)
        assert response.status_code == 204
        assert response.content == b""


def test_an_unknown_caller_gets_the_number_and_the_link(client, city, dispatcher):
    call = answered_call(number="0722 000 111")
    client.force_login(dispatcher)
    html = pop(client).content.decode()
    assert "Call from +40722000111" in html
    assert "No contact with this number yet. A new contact is created with the case." in html
    assert f'href="/console/intake/?call={call.pk}"' in html


def test_the_card_already_shown_is_not_sent_again(client, city, dispatcher):
    call = answered_call()
    client.force_login(dispatcher)
    response = pop(client, shown=call.pk)
    assert response.status_code == 204
    assert response.content == b""


def test_a_new_call_replaces_the_card_shown(client, city, dispatcher):
    first = answered_call(call_id="c1")
    record_cti_event(event="hangup", call_id="c1", at=T0 + timedelta(seconds=10))
    second = answered_call(number="0722 000 111", call_id="c2")
    client.force_login(dispatcher)
    html = pop(client, shown=first.pk).content.decode()
    assert f'data-call="{second.pk}"' in html


def test_the_card_goes_once_a_case_is_registered_from_the_call(client, city, dispatcher):
    call = answered_call()
    link_case(call_id=call.pk, case=city.report())
    client.force_login(dispatcher)
    response = pop(client, shown=call.pk)
    assert response.status_code == 200
    assert response.content == b""
    assert pop(client).status_code == 204


def test_a_user_without_extension_gets_nothing(client, city):
    answered_call(extension="")
    client.force_login(city.dispatcher)
    assert pop(client).status_code == 204


def test_showing_the_card_is_recorded_once_per_call(client, city, dispatcher):
    call = answered_call()
    client.force_login(dispatcher)
    pop(client)
    pop(client)
    views = PersonalDataView.objects.filter(user=dispatcher, contact=city.resident)
    assert list(views.values_list("what", flat=True)) == [f"screen pop of call {call.pk}"]


def test_an_officer_on_the_phone_sees_only_what_their_role_allows(client, city):
    """An officer's extension can take a call; the resident's card stays within their cases."""
    theirs = city.report(category=city.lamp)
    cases.assign(case_id=theirs.pk, actor=city.dispatcher, department=city.lighting)
    city.officer.phone_extension = "201"
    city.officer.save(update_fields=["phone_extension"])
    answered_call(extension="201")
    client.force_login(city.officer)

    html = pop(client).content.decode()

    assert "Call from +40744123456" in html
    assert "Ion Popescu" not in html
    assert "No contact" not in html
    assert "Register this call" not in html


def test_the_screen_pop_needs_a_signed_in_member_of_staff(client, city, dispatcher):
    answered_call()
    assert pop(client).status_code == 302


def test_a_call_back_pops_up_too(client, city, dispatcher):
    for kind, seconds in (("newCall", 0), ("answer", 5)):
        record_cti_event(
            event=kind,
            call_id="out1",
            direction="outbound",
            from_number="101",
            to_number="0744 123 456",
            extension="101",
            at=T0 + timedelta(seconds=seconds),
        )
    client.force_login(dispatcher)
    html = pop(client).content.decode()
    assert "On the phone with +40744123456" in html
    assert "Ion Popescu" in html
