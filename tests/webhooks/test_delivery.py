"""Case events reach a real HTTP receiver, signed, retried with backoff, logged."""

import hashlib
import hmac
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cetate.cases import services
from cetate.cases.choices import EventKind
from cetate.cases.publication import PLAIN_STATUS, rounded
from cetate.cases.workflow import Status
from cetate.webhooks import signing
from cetate.webhooks.models import Delivery, Subscription
from cetate.webhooks.sending import retry_now
from cetate.webhooks.tasks import deliver
from tests.webhooks.conftest import run_due_jobs, waiting_jobs

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _signature_parts(header: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in header.split(","))


def test_a_case_event_is_delivered_with_a_signature_the_receiver_can_check(
    city, subscription, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = city.report()

    assert len(receiver.received) == 1
    got = receiver.received[0]
    delivery = Delivery.objects.get()
    assert got.path == "/hooks/cetate?city=alba"
    assert got.headers["Content-Type"] == "application/json; charset=utf-8"
    assert got.headers["X-Cetate-Event"] == "created"
    assert got.headers["X-Cetate-Delivery"] == str(delivery.pk)

    # What docs/webhooks.md tells a receiver to do.
    parts = _signature_parts(got.headers["X-Cetate-Signature"])
    signed = parts["t"].encode() + b"." + got.body
    expected = hmac.new(subscription.secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    assert abs(int(parts["t"]) - time.time()) < 60
    assert signing.verify(
        subscription.secret, got.headers["X-Cetate-Signature"], got.body, now=int(time.time())
    )
    assert not signing.verify(
        "another secret", got.headers["X-Cetate-Signature"], got.body, now=int(time.time())
    )

    body = got.json
    assert body["id"] == delivery.pk
    assert body["event"] == {
        "kind": "created",
        "seq": 1,
        "at": body["event"]["at"],
        "public": True,
        "from_status": None,
        "to_status": "new",
        "text": str(PLAIN_STATUS[Status.NEW]),
    }
    assert datetime.fromisoformat(body["event"]["at"]).utcoffset() is not None
    assert body["case"] == {
        "id": case.pk,
        "number": case.number,
        "status": "new",
        "category": "roads.pothole",
        "department": None,
        "registered_at": body["case"]["registered_at"],
        "legal_due": case.legal_due.isoformat(),
        "service_due": body["case"]["service_due"],
        # A pothole is public in the test city: on the public grid, without text.
        "published": {
            "latitude": rounded(case.latitude),
            "longitude": rounded(case.longitude),
            "location": "rounded",
            "street": None,
            "text": None,
            "status_notes": str(PLAIN_STATUS[Status.NEW]),
        },
    }
    assert case.tracking_code not in got.body.decode()
    assert datetime.fromisoformat(body["case"]["registered_at"]) == case.registered_at

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert delivery.attempts == 1
    assert delivery.last_response_code == 200
    assert delivery.delivered_at is not None
    assert delivery.payload == body


def test_a_delivered_event_is_never_sent_again(
    city, subscription, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        city.report()
    delivery = Delivery.objects.get()
    assert deliver.call(delivery.pk) is None
    assert retry_now([delivery]) == 0
    assert len(receiver.received) == 1


def test_a_failing_receiver_is_retried_with_growing_waits(
    city, subscription, receiver, database_queue
):
    receiver.answers = [500, 503, 200]
    with time_machine.travel(NOW, tick=False):
        city.report()
        delivery = Delivery.objects.get()
        assert [job.args_kwargs["args"] for job in waiting_jobs()] == [[delivery.pk]]
        assert run_due_jobs() == ["pending"]

    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert delivery.last_response_code == 500
    assert delivery.last_error.startswith("HTTP 500")
    assert delivery.next_attempt_at == NOW + timedelta(minutes=1)
    assert [job.run_after for job in waiting_jobs()] == [NOW + timedelta(minutes=1)]

    with time_machine.travel(NOW + timedelta(seconds=59), tick=False):
        assert run_due_jobs() == []
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert run_due_jobs() == ["pending"]
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.last_response_code == 503
    assert delivery.next_attempt_at == NOW + timedelta(minutes=1 + 2)

    with time_machine.travel(NOW + timedelta(minutes=3), tick=False):
        assert run_due_jobs() == ["delivered"]
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert delivery.attempts == 3
    assert delivery.next_attempt_at is None
    assert delivery.last_error == ""
    assert waiting_jobs() == []
    # Every attempt sent the same document, each signed at its own time.
    bodies = {r.body for r in receiver.received}
    assert len(receiver.received) == 3 and len(bodies) == 1
    stamps = [
        int(_signature_parts(r.headers["X-Cetate-Signature"])["t"]) for r in receiver.received
    ]
    assert stamps == [int(NOW.timestamp()), int(NOW.timestamp()) + 60, int(NOW.timestamp()) + 180]


def test_after_the_last_attempt_the_delivery_fails(
    city, subscription, receiver, database_queue, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    receiver.answers = [500] * 10
    moment = NOW
    with time_machine.travel(moment, tick=False):
        city.report()
    waits = []
    for _attempt in range(4):
        with time_machine.travel(moment, tick=False):
            assert len(run_due_jobs()) == 1
        delivery = Delivery.objects.get()
        if delivery.next_attempt_at is not None:
            waits.append(delivery.next_attempt_at - moment)
            moment = delivery.next_attempt_at
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 4
    assert delivery.next_attempt_at is None
    assert waiting_jobs() == []
    assert len(receiver.received) == 4

    # The administrator sends it again by hand once the receiver is mended.
    receiver.answers = []
    with time_machine.travel(moment + timedelta(hours=1), tick=False):
        assert retry_now([delivery]) == 1
        assert run_due_jobs() == ["delivered"]
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED


def test_an_unreachable_receiver_is_retried(city, receiver, database_queue):
    Subscription.objects.create(
        name="oprit", url="http://127.0.0.1:9/closed", event_kinds=["created"]
    )
    with time_machine.travel(NOW, tick=False):
        city.report()
        assert run_due_jobs() == ["pending"]
    delivery = Delivery.objects.get()
    assert delivery.last_response_code is None
    assert "ConnectionRefusedError" in delivery.last_error
    assert [job.run_after for job in waiting_jobs()] == [NOW + timedelta(minutes=1)]


def test_a_subscription_gets_only_the_kinds_it_chose(
    city, receiver, django_capture_on_commit_callbacks
):
    Subscription.objects.create(
        name="doar stări", url=receiver.url, event_kinds=[EventKind.STATUS_CHANGED]
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = city.report()
        services.add_note(case_id=case.pk, actor=city.dispatcher, text="notă internă")
        services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    assert [r.headers["X-Cetate-Event"] for r in receiver.received] == ["status_changed"]
    event = receiver.received[0].json["event"]
    assert (event["from_status"], event["to_status"]) == ("new", "assigned")
    # An internal step says what happened, not what staff wrote about it.
    assert event["public"] is False and event["text"] is None
    assert receiver.received[0].json["case"]["department"] == "technical"


def test_an_inactive_subscription_gets_nothing(city, receiver, django_capture_on_commit_callbacks):
    Subscription.objects.create(name="oprit", url=receiver.url, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        city.report()
    assert Delivery.objects.count() == 0
    assert receiver.received == []


def test_a_subscription_deactivated_before_sending_gets_nothing(city, subscription, receiver):
    city.report()
    Subscription.objects.update(active=False)
    delivery = Delivery.objects.get()
    assert deliver.call(delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert receiver.received == []


def test_the_payload_holds_no_personal_data_of_the_resident(
    city, subscription, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = city.report(address="Strada Trandafirilor nr. 7")
        services.message_resident(
            case_id=case.pk, actor=city.dispatcher, text="Am primit sesizarea."
        )
    assert [r.headers["X-Cetate-Event"] for r in receiver.received] == ["created", "message"]
    # A message is the resident's: its text stays in the city.
    assert receiver.received[1].json["event"]["text"] is None
    resident = city.resident
    for received in receiver.received:
        raw = received.body.decode()
        for personal in (
            resident.name,
            resident.email,
            resident.phone,
            "Popescu",
            "0744",
            "nr. 7",
            case.description,
            "Am primit sesizarea",
            case.tracking_code,
        ):
            assert personal not in raw


def test_a_rolled_back_case_change_leaves_no_delivery(city, subscription, database_queue):
    case = city.report()
    Delivery.objects.all().delete()
    jobs_before = len(waiting_jobs())
    with pytest.raises(RuntimeError), transaction.atomic():
        services.message_resident(case_id=case.pk, actor=city.dispatcher, text="Revenim.")
        assert Delivery.objects.count() == 1
        assert len(waiting_jobs()) == jobs_before + 1
        raise RuntimeError("the request failed after the note")
    assert Delivery.objects.count() == 0
    assert len(waiting_jobs()) == jobs_before


def test_no_active_subscription_costs_no_query(city):
    case = city.report()  # looks once whether any subscription is active
    with CaptureQueriesContext(connection) as captured:
        services.add_note(case_id=case.pk, actor=city.dispatcher, text="notă")
        services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    assert not [q["sql"] for q in captured.captured_queries if "webhooks_" in q["sql"]]


def test_a_new_subscription_is_seen_at_once_in_its_process(city, receiver):
    city.report()
    subscription = Subscription.objects.create(name="nou", url=receiver.url)
    city.report()
    assert Delivery.objects.get().subscription == subscription


def test_a_receiver_answering_a_byte_at_a_time_is_cut_off_at_the_deadline(
    city, settings, database_queue
):
    """The timeout is the whole attempt's, not each read's."""
    import socket
    import threading
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def drip():
        connection, _address = listener.accept()
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\n")
        while not stop.is_set():
            try:
                connection.sendall(b"X-Slow: 1\r\n")
            except OSError:
                break
            time.sleep(0.3)
        connection.close()

    threading.Thread(target=drip, daemon=True).start()
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    Subscription.objects.create(name="Lent", url=f"http://127.0.0.1:{listener.getsockname()[1]}/")
    city.report()
    [delivery] = Delivery.objects.all()
    started = time.monotonic()
    try:
        run_due_jobs()
    finally:
        stop.set()
        listener.close()
    assert time.monotonic() - started < 3
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.last_error == "No answer within 1 seconds."
