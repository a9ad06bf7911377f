"""anonymise_case and erasure_refusal: what an anonymised case keeps of its history, the one
narrow way its events are rewritten, and when the law keeps a case from being erased."""

import pytest
import time_machine

from cetate.cases.choices import EventKind
from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.models import Event
from cetate.cases.services.anonymisation import (
    Reason,
    anonymise_case,
    erasure_refusal,
    redacted,
)
from cetate.directory.models import FileCode
from cetate.open311.keys import create_key
from cetate.open311.models import Submission
from cetate.webhooks.models import Delivery, Subscription
from tests.contacts.lives import at, closed_case


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.fixture
def petitions(city):
    file_code = FileCode.objects.create(code="II-4", name="Petiții", retention_years=5)
    city.pothole.parent.file_code = file_code
    city.pothole.parent.save()
    return file_code


def test_the_history_keeps_who_did_what_and_when_without_words(city, petitions, commit):
    case = closed_case(city, commit, on=at(2019, 3, 4)).case
    history = list(case.events.order_by("seq").values("seq", "kind", "at", "actor", "to_status"))

    with time_machine.travel(at(2025, 2, 1), tick=False):
        anonymise_case(case_id=case.pk, actor=None, reason=Reason.RETENTION)

    events = list(case.events.order_by("seq"))
    assert [
        {"seq": e.seq, "kind": e.kind, "at": e.at, "actor": e.actor_id, "to_status": e.to_status}
        for e in events[:-1]
    ] == history
    assert all(event.text == "" for event in events)
    attached = next(event for event in events if event.kind == EventKind.ATTACHMENT)
    assert attached.data == {"attachment": attached.data["attachment"], "type": "image/jpeg"}
    sent = [event for event in events if event.kind == EventKind.NOTIFICATION_SENT]
    assert sent and all("recipient" not in event.data for event in sent)
    last = events[-1]
    assert (last.kind, last.actor, last.data["reason"], last.data["years"]) == (
        EventKind.ANONYMISED,
        None,
        "retention",
        5,
    )
    assert last.data["file_code"] == "II-4"


def test_events_stay_append_only_for_everything_else(city):
    case = city.report()
    event = case.events.get()
    with pytest.raises(TypeError, match="append-only"):
        Event.objects.filter(pk=event.pk).update(text="x")
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        Event.objects.filter(pk=event.pk).delete()


def test_a_forwarding_keeps_the_organisations_address():
    event = Event(kind=EventKind.FORWARDED, data={"about": 3, "recipient": "apa@example.org"})
    assert redacted(event) == {"about": 3, "recipient": "apa@example.org"}
    told = Event(kind=EventKind.NOTIFICATION_SENT, data={"about": 3, "recipient": "ion@x.ro"})
    assert redacted(told) == {"about": 3}


def test_an_open_case_or_one_within_its_term_is_refused(city, petitions, commit):
    open_case = city.report()
    with pytest.raises(DomainError, match="is not closed"):
        anonymise_case(case_id=open_case.pk, actor=None, reason=Reason.RETENTION)

    closed = closed_case(city, commit, on=at(2023, 3, 6)).case
    with (
        time_machine.travel(at(2025, 2, 1), tick=False),
        pytest.raises(DomainError, match=r"is kept until 01\.01\.2029"),
    ):
        anonymise_case(case_id=closed.pk, actor=None, reason=Reason.RETENTION)
    assert closed.events.last().kind != EventKind.ANONYMISED


def test_only_the_system_and_the_data_protection_officer_anonymise(city, petitions, commit):
    case = closed_case(city, commit, on=at(2019, 3, 4)).case
    with time_machine.travel(at(2025, 2, 1), tick=False):
        for staff in (city.supervisor, city.admin, city.officer):
            with pytest.raises(NotAllowed):
                anonymise_case(case_id=case.pk, actor=staff, reason=Reason.RETENTION)
        anonymise_case(case_id=case.pk, actor=city.dpo, reason=Reason.ERASURE)
    case.refresh_from_db()
    assert case.anonymised_at is not None


def test_running_twice_adds_nothing(city, petitions, commit):
    case = closed_case(city, commit, on=at(2019, 3, 4)).case
    with time_machine.travel(at(2025, 2, 1), tick=False):
        anonymise_case(case_id=case.pk, actor=None, reason=Reason.RETENTION)
        seq = case.events.count()
        anonymise_case(case_id=case.pk, actor=None, reason=Reason.RETENTION)
    assert case.events.count() == seq


def test_erasure_waits_for_a_term_the_law_requires_but_not_for_one_it_does_not(
    city, petitions, commit
):
    case = closed_case(city, commit, on=at(2023, 3, 6)).case
    with time_machine.travel(at(2025, 2, 1), tick=False):
        refusal = erasure_refusal(case)
        assert refusal is not None
        assert "must be kept until 01.01.2029" in refusal
        assert "file II-4 of the archival nomenclature" in refusal

        petitions.kept_by_law = False
        petitions.save()
        case.category.refresh_from_db()
        case.category.parent.refresh_from_db()
        assert erasure_refusal(case) is None


def test_erasure_of_an_open_case_is_refused_with_its_reason(city):
    case = city.report()
    assert "is not closed (new): the city must finish it" in (erasure_refusal(case) or "")


def test_what_integrations_kept_is_forgotten(city, petitions, commit):
    case = closed_case(city, commit, on=at(2019, 3, 4)).case
    key, _raw = create_key("FixMyStreet")
    Submission.objects.create(api_key=key, case=case, account_id="ion-42", device_id="phone-9")
    subscription = Subscription.objects.create(name="GIS", url="https://gis.example.org/hook")
    message = case.events.get(kind=EventKind.MESSAGE)
    Delivery.objects.create(
        subscription=subscription,
        event=message,
        payload={"event": {"kind": "message", "text": "Domnule Popescu, echipa vine mâine."}},
    )

    with time_machine.travel(at(2025, 2, 1), tick=False):
        anonymise_case(case_id=case.pk, actor=None, reason=Reason.RETENTION)

    submission = Submission.objects.get(case=case)
    assert (submission.account_id, submission.device_id) == ("", "")
    assert Delivery.objects.get(event=message).payload == {
        "event": {"kind": "message", "text": None}
    }
