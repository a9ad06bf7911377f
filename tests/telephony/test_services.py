from datetime import datetime, timedelta
from itertools import permutations

import pytest
import time_machine

from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import NotAllowed
from cetate.contacts.services import create_contact, merge_contacts
from cetate.telephony.models import Call, CallState, Settlement
from cetate.telephony.services import (
    CallNotFound,
    InvalidCallEvent,
    NotAMissedCall,
    calls_of,
    link_case,
    missed_calls,
    record_cti_event,
    screen_pop_call,
    settle_missed_call,
)

T0 = datetime(2026, 3, 2, 10, 0, 0, tzinfo=CITY_TZ)
RESIDENT = "0744 123 456"
CITY_LINE = "0258 800 000"


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def incoming(call_id, *, start=0, answer=None, end=None, number=RESIDENT, extension="101"):
    """An incoming call as the exchange reports it, each event at its own time."""
    record_cti_event(
        event="newCall",
        call_id=call_id,
        from_number=number,
        to_number=CITY_LINE,
        direction="inbound",
        at=at(start),
    )
    if answer is not None:
        record_cti_event(event="answer", call_id=call_id, extension=extension, at=at(answer))
    if end is not None:
        record_cti_event(event="hangup", call_id=call_id, cause="NORMAL_CLEARING", at=at(end))
    return Call.objects.get(call_id=call_id)


def outgoing(call_id, *, to, start=0, answer=None, end=None, extension="101"):
    record_cti_event(
        event="newCall",
        call_id=call_id,
        from_number=extension,
        to_number=to,
        direction="outbound",
        extension=extension,
        at=at(start),
    )
    if answer is not None:
        record_cti_event(event="answer", call_id=call_id, extension=extension, at=at(answer))
    if end is not None:
        record_cti_event(event="hangup", call_id=call_id, cause="NORMAL_CLEARING", at=at(end))
    return Call.objects.get(call_id=call_id)


@pytest.fixture
def dispatcher(city):
    city.dispatcher.phone_extension = "101"
    city.dispatcher.save(update_fields=["phone_extension"])
    return city.dispatcher


def test_an_answered_call_has_its_waiting_and_talk_time(city, dispatcher):
    call = incoming("c1", start=0, answer=12, end=192)

    assert Call.objects.count() == 1
    assert call.waiting_time == timedelta(seconds=12)
    assert call.talk_time == timedelta(minutes=3)
    assert call.state == CallState.COMPLETED
    assert call.staff == dispatcher
    assert call.hangup_cause == "NORMAL_CLEARING"
    assert call.resident_phone == "+40744123456"
    assert call.contact == city.resident
    assert not missed_calls().exists()


def test_an_unanswered_incoming_call_is_missed_until_settled(city):
    ringing = incoming("c1", start=0)
    assert ringing.state == CallState.RINGING
    assert not missed_calls().exists()

    call = incoming("c1", start=0, end=40)

    assert call.state == CallState.MISSED
    assert call.waiting_time == timedelta(seconds=40)
    assert call.talk_time is None
    assert list(missed_calls()) == [call]


def test_an_unanswered_outgoing_call_is_not_a_missed_call(city):
    call = outgoing("o1", to=RESIDENT, start=0, end=30)
    assert call.state == CallState.UNANSWERED
    assert not missed_calls().exists()


EVENTS = [
    {"event": "newCall", "from_number": RESIDENT, "to_number": CITY_LINE, "at": at(0)},
    {"event": "answer", "extension": "101", "at": at(12)},
    {"event": "hangup", "cause": "NORMAL_CLEARING", "at": at(192)},
]


@pytest.mark.parametrize("order", list(permutations(range(3))), ids=str)
def test_events_in_any_order_and_repeated_leave_one_consistent_row(city, dispatcher, order):
    for index in [*order, *order]:
        record_cti_event(call_id="c1", direction="inbound", **EVENTS[index])

    call = Call.objects.get()
    assert (call.started_at, call.answered_at, call.ended_at) == (at(0), at(12), at(192))
    assert (call.extension, call.staff, call.contact) == ("101", dispatcher, city.resident)
    assert call.hangup_cause == "NORMAL_CLEARING"


def test_a_new_call_reported_twice_keeps_the_earliest_start(city):
    record_cti_event(event="newCall", call_id="c1", from_number=RESIDENT, at=at(5))
    record_cti_event(event="newCall", call_id="c1", from_number=RESIDENT, at=at(0))
    record_cti_event(event="newCall", call_id="c1", from_number=RESIDENT, at=at(9))
    assert Call.objects.get().started_at == at(0)


def test_the_first_answer_counts(city, dispatcher):
    incoming("c1", start=0, answer=10, extension="101")
    call = incoming("c1", start=0, answer=30, extension="102")
    assert (call.answered_at, call.extension, call.staff) == (at(10), "101", dispatcher)


def test_an_answer_arriving_after_the_hangup_gives_no_negative_talk_time(city, dispatcher):
    with time_machine.travel(at(0), tick=False):
        record_cti_event(event="newCall", call_id="c1", from_number=RESIDENT)
    with time_machine.travel(at(60), tick=False):
        record_cti_event(event="hangup", call_id="c1")
    with time_machine.travel(at(61), tick=False):
        record_cti_event(event="answer", call_id="c1", extension="101")

    call = Call.objects.get()
    assert call.talk_time == timedelta(0)
    assert call.waiting_time == timedelta(seconds=60)
    assert call.staff == dispatcher
    assert not missed_calls().exists()


def test_events_without_a_time_are_taken_at_arrival(city):
    with time_machine.travel(at(0), tick=False):
        record_cti_event(event="newCall", call_id="c1", from_number=RESIDENT)
    with time_machine.travel(at(25), tick=False):
        call = record_cti_event(event="hangup", call_id="c1")
    assert call.waiting_time == timedelta(seconds=25)


def test_the_answering_extension_names_the_member_of_staff(city, dispatcher):
    assert incoming("c1", answer=5, extension="101").staff == dispatcher


def test_an_unknown_or_shared_extension_names_nobody(city, dispatcher):
    city.supervisor.phone_extension = "101"
    city.supervisor.save(update_fields=["phone_extension"])
    shared = incoming("c1", answer=5, extension="101")
    unknown = incoming("c2", answer=5, extension="999")
    assert (shared.extension, shared.staff) == ("101", None)
    assert (unknown.extension, unknown.staff) == ("999", None)


def test_a_known_caller_is_recognised_however_the_number_is_written(city):
    assert incoming("c1", number="+40 744-123-456").contact == city.resident
    assert incoming("c2", number="0040744123456").contact == city.resident


def test_an_unknown_or_hidden_number_has_no_contact(city):
    stranger = incoming("c1", number="0722 000 111")
    hidden = incoming("c2", number="anonymous")
    assert (stranger.resident_phone, stranger.contact) == ("+40722000111", None)
    assert (hidden.resident_phone, hidden.from_number, hidden.contact) == ("", "anonymous", None)


def test_the_resident_of_an_outgoing_call_is_the_number_called(city):
    call = outgoing("o1", to=RESIDENT, answer=5)
    assert (call.resident_phone, call.contact) == ("+40744123456", city.resident)


def test_calling_back_settles_the_missed_calls_of_that_number(city, dispatcher):
    first = incoming("m1", start=0, end=20)
    second = incoming("m2", start=100, end=110)
    other = incoming("m3", start=120, end=130, number="0722 000 111")

    outgoing("o1", to="+40744123456", start=600, answer=610, end=700)

    for call in (first, second):
        call.refresh_from_db()
        assert call.settlement == Settlement.CALLED_BACK
        assert (call.settled_by, call.settled_at) == (dispatcher, at(610))
    assert list(missed_calls()) == [other]


def test_an_unanswered_call_back_settles_nothing(city, dispatcher):
    missed = incoming("m1", start=0, end=20)
    outgoing("o1", to=RESIDENT, start=600, end=630)
    assert list(missed_calls()) == [missed]


def test_a_resident_who_gets_through_later_needs_no_call_back(city, dispatcher):
    missed = incoming("m1", start=0, end=20)
    incoming("c2", start=300, answer=305)
    missed.refresh_from_db()
    assert missed.settlement == Settlement.CALLED_AGAIN
    assert not missed_calls().exists()


def test_a_call_back_reported_before_the_missed_calls_end_still_settles_it(city, dispatcher):
    record_cti_event(event="newCall", call_id="m1", from_number=RESIDENT, at=at(0))
    outgoing("o1", to=RESIDENT, start=600, answer=610, end=700)
    missed = record_cti_event(event="hangup", call_id="m1", at=at(20))
    assert missed.state == CallState.UNANSWERED
    assert (missed.settlement, missed.settled_by) == (Settlement.CALLED_BACK, dispatcher)
    assert not missed_calls().exists()


def test_a_call_answered_before_a_missed_one_settles_nothing(city, dispatcher):
    incoming("c1", start=0, answer=5, end=60)
    missed = incoming("m1", start=300, end=320)
    assert list(missed_calls()) == [missed]


def test_a_dispatcher_dismisses_a_missed_call(city):
    missed = incoming("m1", start=0, end=20)
    with time_machine.travel(at(900), tick=False):
        call = settle_missed_call(
            call_id=missed.pk, actor=city.dispatcher, how=Settlement.DISMISSED
        )
    assert (call.settlement, call.settled_by, call.settled_at) == (
        Settlement.DISMISSED,
        city.dispatcher,
        at(900),
    )
    assert not missed_calls().exists()


def test_a_dispatcher_marks_a_missed_call_called_back(city):
    missed = incoming("m1", start=0, end=20)
    settle_missed_call(call_id=missed.pk, actor=city.dispatcher, how=Settlement.CALLED_BACK)
    missed.refresh_from_db()
    assert missed.get_settlement_display() == "called back"


def test_a_missed_call_is_settled_once(city):
    missed = incoming("m1", start=0, end=20)
    settle_missed_call(call_id=missed.pk, actor=city.dispatcher, how=Settlement.DISMISSED)
    with pytest.raises(NotAMissedCall, match="already settled: dismissed"):
        settle_missed_call(call_id=missed.pk, actor=city.supervisor, how=Settlement.CALLED_BACK)
    missed.refresh_from_db()
    assert missed.settled_by == city.dispatcher


def test_only_missed_calls_are_settled(city, dispatcher):
    answered = incoming("c1", answer=5, end=50)
    ringing = incoming("c2")
    for call in (answered, ringing):
        with pytest.raises(NotAMissedCall, match="not a missed call"):
            settle_missed_call(call_id=call.pk, actor=city.dispatcher, how=Settlement.DISMISSED)
    with pytest.raises(CallNotFound):
        settle_missed_call(call_id=999_999, actor=city.dispatcher, how=Settlement.DISMISSED)


@pytest.mark.parametrize("persona", ["officer", "clerk"])
def test_only_the_dispatch_centre_settles_missed_calls(city, persona):
    missed = incoming("m1", start=0, end=20)
    with pytest.raises(NotAllowed):
        settle_missed_call(
            call_id=missed.pk, actor=getattr(city, persona), how=Settlement.DISMISSED
        )
    assert list(missed_calls()) == [missed]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"event": "ring", "call_id": "c1"}, "Unknown event “ring”"),
        ({"event": "newCall", "call_id": "  "}, "no callId"),
        ({"event": "newCall", "call_id": "x" * 121}, "longer than 120"),
        ({"event": "newCall", "call_id": "c1", "direction": "sideways"}, "Unknown direction"),
    ],
)
def test_events_the_log_cannot_take_are_refused_with_a_reason(city, fields, message):
    with pytest.raises(InvalidCallEvent, match=message):
        record_cti_event(**fields)
    assert not Call.objects.exists()


def test_event_names_and_directions_are_read_leniently(city):
    call = record_cti_event(event="NEWCALL", call_id="c1", direction="Outgoing", to_number=RESIDENT)
    assert (call.direction, call.contact) == ("outbound", city.resident)


def test_the_screen_pop_shows_the_call_answered_on_the_users_extension(city, dispatcher):
    with time_machine.travel(at(30), tick=False):
        assert screen_pop_call(dispatcher) is None
        call = incoming("c1", start=0, answer=5)
        assert screen_pop_call(dispatcher) == call
        assert screen_pop_call(city.supervisor) is None


def test_the_screen_pop_stays_two_minutes_after_the_call(city, dispatcher):
    call = incoming("c1", start=0, answer=5, end=60)
    with time_machine.travel(at(60 + 119), tick=False):
        assert screen_pop_call(dispatcher) == call
    with time_machine.travel(at(60 + 121), tick=False):
        assert screen_pop_call(dispatcher) is None


def test_the_screen_pop_shows_the_latest_call(city, dispatcher):
    incoming("c1", start=0, answer=5, end=60)
    latest = incoming("c2", start=70, answer=75)
    with time_machine.travel(at(80), tick=False):
        assert screen_pop_call(dispatcher) == latest


def test_the_screen_pop_ends_with_the_case_registered_from_the_call(city, dispatcher):
    call = incoming("c1", start=0, answer=5)
    link_case(call_id=call.pk, case=city.report())
    with time_machine.travel(at(30), tick=False):
        assert screen_pop_call(dispatcher) is None


def test_a_call_whose_hangup_never_came_stops_popping_up(city, dispatcher):
    incoming("c1", start=0, answer=5)
    with time_machine.travel(at(4 * 3600), tick=False):
        assert screen_pop_call(dispatcher) is None


def test_a_call_keeps_the_first_case_registered_from_it(city, dispatcher):
    call = incoming("c1", number="0722 000 111", answer=5)
    newcomer = create_contact(name="Ana Pop", phone="0722 000 111")
    first = city.report(reporter=newcomer)
    link_case(call_id=call.pk, case=first)
    linked = link_case(call_id=call.pk, case=city.report())
    assert (linked.case, linked.contact) == (first, newcomer)


def test_a_case_registered_from_a_missed_call_settles_it(city):
    missed = incoming("m1", start=0, end=20)
    case = city.report()
    call = link_case(call_id=missed.pk, case=case)
    assert (call.settlement, call.settled_by, call.case) == (
        Settlement.CALLED_BACK,
        city.dispatcher,
        case,
    )
    assert not missed_calls().exists()


def test_linking_an_unknown_call_is_refused(city):
    with pytest.raises(CallNotFound):
        link_case(call_id=999_999, case=city.report())


def test_the_calls_of_a_contact_include_those_by_number_and_of_merged_duplicates(city):
    duplicate = create_contact(name="I. Popescu", phone="0733 000 222")
    by_number = incoming("c1", start=0, number=RESIDENT)
    by_duplicate = incoming("c2", start=100, number="0733 000 222")
    incoming("c3", start=200, number="0722 000 111")
    merge_contacts(keep=city.resident, duplicate=duplicate, actor=city.dispatcher)

    assert list(calls_of(city.resident)) == [by_duplicate, by_number]
