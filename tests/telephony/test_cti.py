import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import caches

from cetate.lib.ratelimit import LIMITS_CACHE
from cetate.telephony.exchange import EVENTS_PER_MINUTE
from cetate.telephony.models import Call
from cetate.telephony.services import missed_calls

TOKEN = "exchange-secret-0123456789"
URL = f"/telephony/cti/{TOKEN}"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _token(settings):
    settings.CTI_TOKEN = TOKEN


def post_json(client, body, url=URL):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_call_reported_as_json(client, city):
    city.dispatcher.phone_extension = "101"
    city.dispatcher.save(update_fields=["phone_extension"])
    with time_machine.travel(NOW, tick=False):
        post_json(
            client,
            {
                "event": "newCall",
                "callId": "1740000000.17",
                "from": "0744123456",
                "to": "0258800000",
                "direction": "inbound",
            },
        )
    with time_machine.travel(NOW + timedelta(seconds=8), tick=False):
        answered = post_json(client, {"event": "answer", "callId": "1740000000.17", "user": "101"})
    with time_machine.travel(NOW + timedelta(seconds=68), tick=False):
        ended = post_json(
            client, {"event": "hangup", "callId": "1740000000.17", "cause": "NORMAL_CLEARING"}
        )

    call = Call.objects.get()
    assert answered.status_code == 200
    assert answered.json() == {"id": call.pk, "callId": "1740000000.17", "state": "in_progress"}
    assert ended.json()["state"] == "completed"
    assert call.staff == city.dispatcher
    assert call.contact == city.resident
    assert (call.waiting_time, call.talk_time) == (timedelta(seconds=8), timedelta(minutes=1))


def test_a_call_reported_as_form_fields(client, city):
    client.post(URL, {"event": "newCall", "callId": "abc", "from": "0744 123 456"})
    response = client.post(URL, {"event": "hangup", "callId": "abc", "cause": "NO_ANSWER"})

    assert response.status_code == 200
    assert response.json()["state"] == "missed"
    call = missed_calls().get()
    assert (call.call_id, call.contact, call.hangup_cause) == ("abc", city.resident, "NO_ANSWER")


def test_the_exchange_may_give_the_time_of_each_event(client, city):
    start = NOW.timestamp()
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        client.post(URL, {"event": "hangup", "callId": "t1", "timestamp": str(start + 20)})
        client.post(URL, {"event": "newCall", "callId": "t1", "timestamp": f"{start:.3f}"})
    assert Call.objects.get().waiting_time == timedelta(seconds=20)


def test_a_timestamp_far_from_now_is_refused(client, city):
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            URL, {"event": "newCall", "callId": "t1", "timestamp": str(NOW.timestamp() - 3 * 86400)}
        )
    assert response.status_code == 400
    assert "clock" in response.json()["error"]


def test_the_endpoint_refuses_a_wrong_token(client, city):
    response = post_json(
        client, {"event": "newCall", "callId": "c1"}, url="/telephony/cti/not-the-right-token"
    )
    assert response.status_code == 403
    assert response.json() == {"error": "Wrong token."}
    assert not Call.objects.exists()


def test_without_a_configured_token_the_endpoint_does_not_exist(client, city, settings):
    settings.CTI_TOKEN = ""
    assert post_json(client, {"event": "newCall", "callId": "c1"}).status_code == 404
    assert (
        post_json(client, {"event": "newCall", "callId": "c1"}, url="/telephony/cti/").status_code
        == 404
    )
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"event": "ringing", "callId": "c1"}, "Unknown event “ringing”"),
        ({"event": "newCall"}, "The event has no callId."),
        ({"callId": "c1"}, "The event has no name: expected newCall, answer or hangup."),
        ({"event": "newCall", "callId": ["c1"]}, "“callId” must be a text or a number"),
        (["newCall", "c1"], "must be a JSON object"),
    ],
)
def test_bad_events_are_answered_400_with_the_reason(client, city, body, error):
    response = post_json(client, body)
    assert response.status_code == 400
    assert error in response.json()["error"]
    assert not Call.objects.exists()


def test_a_body_that_is_not_json_is_refused(client, city):
    response = client.post(URL, "event=newCall&callId", content_type="text/plain")
    assert response.status_code == 400
    assert "neither a JSON object nor form fields" in response.json()["error"]


def test_a_numeric_call_id_in_json_is_taken_as_text(client, city):
    assert post_json(client, {"event": "newCall", "callId": 1740000000.25}).status_code == 200
    assert Call.objects.get().call_id == "1740000000.25"


def test_refusals_never_write_the_token_to_the_log(client, city, caplog):
    post_json(client, {"event": "ring", "callId": "c1"})
    client.get(URL)
    assert "refused with 400: Unknown event “ring”" in caplog.text
    assert "refused with 405" in caplog.text
    assert TOKEN not in caplog.text


def test_get_is_refused(client, city):
    response = client.get(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_the_exchange_needs_no_csrf_token(city):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, {"event": "newCall", "callId": "c1"}).status_code == 200


def test_an_address_posting_too_often_is_slowed_down(client, city):
    with time_machine.travel(NOW, tick=False):
        window = int(NOW.timestamp() // 60)
        caches[LIMITS_CACHE].set(f"rl:cti:127.0.0.1:{window}", EVENTS_PER_MINUTE)
        response = client.post(URL, {"event": "newCall", "callId": "c1"})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json() == {"error": "Too many events: wait a minute."}
    assert not Call.objects.exists()
