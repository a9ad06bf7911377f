"""An exchange that posts the events of a call at once, and repeats them, still leaves one row."""

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection

from cetate.cases.deadlines import CITY_TZ
from cetate.telephony.models import Call
from cetate.telephony.services import missed_calls, record_cti_event
from cetate.test import make_city

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=CITY_TZ)
CALLS = 10
WORKERS = 6


def events_of(number: int) -> list[dict[str, Any]]:
    call_id = f"race-{number}"
    start = T0 + timedelta(minutes=number)
    events = [
        {"event": "newCall", "call_id": call_id, "from_number": "0744123456", "at": start},
        {"event": "hangup", "call_id": call_id, "at": start + timedelta(seconds=90)},
    ]
    if number % 2 == 0:
        events.append(
            {
                "event": "answer",
                "call_id": call_id,
                "extension": "101",
                "at": start + timedelta(seconds=9),
            }
        )
    return events


@pytest.mark.django_db(transaction=True)
def test_events_racing_each_other_leave_one_consistent_row_per_call():
    make_city()
    barrier = threading.Barrier(WORKERS)
    failures: list[BaseException] = []

    def post(worker: int) -> None:
        try:
            barrier.wait()
            for number in range(CALLS):
                events = events_of(number)
                # Every worker sends every event, each worker in another order.
                for index in range(len(events)):
                    record_cti_event(**events[(index + worker) % len(events)])
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(w,)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert Call.objects.count() == CALLS
    for number in range(CALLS):
        call = Call.objects.get(call_id=f"race-{number}")
        assert call.started_at == T0 + timedelta(minutes=number)
        assert call.ended_at == call.started_at + timedelta(seconds=90)
        answered = number % 2 == 0
        assert call.answered_at == (call.started_at + timedelta(seconds=9) if answered else None)
    # Each answered call from the number settles the missed ones before it; the last is missed.
    assert [call.call_id for call in missed_calls()] == [f"race-{CALLS - 1}"]
