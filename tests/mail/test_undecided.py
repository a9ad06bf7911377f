"""A message stored but left undecided (its process stopped after storing it) is decided once,
later, by the worker's sweep or by a new delivery of it: never left as it is, never twice."""

import hashlib
from datetime import timedelta
from pathlib import Path
from unittest import mock

import time_machine
from django.utils import timezone

from cetate.cases.models import Case
from cetate.mail.models import InboundMessage, Outcome, Source
from cetate.mail.pipeline import Received, _decide_stored, _store, decide_undecided, receive
from cetate.ops.worker import Worker
from cetate.outbox.sending import send_due

CORPUS = Path(__file__).parent / "corpus"


def cut_short(name: str = "plain.eml") -> InboundMessage:
    """The message stored as `receive` stores it, its process stopped before deciding it."""
    stored = _store((CORPUS / name).read_bytes(), Source.PIPE)
    assert isinstance(stored, InboundMessage)
    return stored


def later(minutes: int) -> time_machine.travel:
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


def test_the_sweep_decides_a_message_cut_short_into_a_case_with_its_receipt_once(
    city, django_capture_on_commit_callbacks, mailoutbox
):
    row = cut_short()

    # Still being decided, as far as anyone can tell: the sweep leaves it.
    assert decide_undecided() == 0
    with later(6), django_capture_on_commit_callbacks(execute=True):
        assert decide_undecided() == 1
        assert decide_undecided() == 0
    send_due()

    row.refresh_from_db()
    [case] = Case.objects.all()
    assert (row.outcome, row.case, row.deciding_until) == (Outcome.CASE, case, None)
    assert case.reporter.email == "ion.popescu@example.org"
    [receipt] = mailoutbox
    assert receipt.to == ["ion.popescu@example.org"]
    assert case.number in receipt.subject + receipt.body


def test_a_message_someone_is_deciding_is_left_to_them(city):
    row = cut_short()
    with later(6):
        # Another worker claimed it a moment ago.
        InboundMessage.objects.filter(pk=row.pk).update(
            deciding_until=timezone.now() + timedelta(minutes=5)
        )
        assert decide_undecided() == 0

    row.refresh_from_db()
    assert row.outcome == ""
    assert not Case.objects.exists()


def test_a_second_decider_finds_the_outcome_recorded_and_opens_no_second_case(
    city, django_capture_on_commit_callbacks
):
    """A decider so slow that its time ran out and the sweep decided the message meanwhile:
    what it did is undone, and it answers with the outcome recorded first."""
    row = cut_short()
    with later(6):
        decide_undecided()

    result = _decide_stored(row)

    [case] = Case.objects.all()
    assert result == Received(Outcome.CASE, case.number, "<plain-1@example.org>")


def test_a_new_delivery_of_a_message_cut_short_decides_it_there_and_then(
    city, django_capture_on_commit_callbacks
):
    row = cut_short()
    data = (CORPUS / "plain.eml").read_bytes()

    again = receive(data, source=Source.IMAP)
    assert again.outcome == Outcome.DUPLICATE  # still within its first delivery's time
    with later(6), django_capture_on_commit_callbacks(execute=True):
        decided = receive(data, source=Source.IMAP)
        repeated = receive(data, source=Source.IMAP)

    [case] = Case.objects.all()
    assert decided == Received(Outcome.CASE, case.number, "<plain-1@example.org>")
    assert repeated == Received(Outcome.DUPLICATE, case.number, "<plain-1@example.org>")
    row.refresh_from_db()
    assert (row.outcome, row.case) == (Outcome.CASE, case)
    assert InboundMessage.objects.count() == 1


def test_a_message_whose_bytes_are_gone_is_held_with_the_reason(city):
    row = cut_short()
    row.raw.storage.delete(row.raw.name)

    with later(6):
        decide_undecided()

    row.refresh_from_db()
    assert row.outcome == Outcome.QUARANTINED
    assert row.reason == "The message as received cannot be read from storage."


def test_the_worker_decides_messages_left_undecided(city, django_capture_on_commit_callbacks):
    row = cut_short()
    with (
        later(6),
        django_capture_on_commit_callbacks(execute=True),
        mock.patch("cetate.ops.worker.close_old_connections"),
    ):
        Worker(interval=0, worker_id="test", batch=True).run()

    row.refresh_from_db()
    assert row.outcome == Outcome.CASE
    assert row.sha256 == hashlib.sha256((CORPUS / "plain.eml").read_bytes()).hexdigest()
