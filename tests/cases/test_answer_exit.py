"""The exit of an answer, as the register records it: by email when its mail leaves, by post,
at the desk or by phone when the staff who sent it say so."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from cetate.cases import services
from cetate.cases.choices import EventKind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact
from cetate.outbox.sending import send_due
from cetate.test import GRANTED

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=CITY_TZ)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def answered(city, capture_on_commit, *, by_post: bool = False) -> Case:
    """Registered on 2 March 2026, answered on the 5th; `by_post`: by a resident without email."""
    with at(T0), capture_on_commit(execute=True):
        reporter = (
            create_contact(
                name="Ion Pop", postal_address="Str. Zorilor 3", preferred_channel="post"
            )
            if by_post
            else city.resident
        )
        case = city.report(auto_route=True, reporter=reporter)
        services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    with at(T0 + timedelta(days=3)), capture_on_commit(execute=True):
        services.change_status(
            case_id=case.pk,
            actor=city.officer,
            action=Action.RESOLVE,
            text="Groapa a fost astupată.",
            decision=GRANTED,
        )
    return case


def test_an_answer_by_email_records_its_exit_when_the_mail_leaves(
    city, settings, smtp_sink, django_capture_on_commit_callbacks
):
    controller, inbox = smtp_sink
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    case = answered(city, django_capture_on_commit_callbacks)
    with at(T0 + timedelta(days=3, minutes=5)):
        send_due()
        send_due()  # nothing twice
    case.refresh_from_db()

    assert [m for m in inbox.messages if case.number in m["Subject"]]
    assert case.sent_by == "email"
    assert case.sent_to == "ion@example.org"
    assert case.sent_at is not None
    assert case.sent_at.astimezone(CITY_TZ).date() == date(2026, 3, 5)
    exits = case.events.filter(kind=EventKind.ANSWER_SENT)
    assert exits.count() == 1
    resolution = case.events.get(kind=EventKind.STATUS_CHANGED, to_status="resolved")
    assert exits.get().data["about"] == resolution.seq


def test_staff_record_an_answer_sent_by_post(city, django_capture_on_commit_callbacks):
    case = answered(city, django_capture_on_commit_callbacks, by_post=True)
    with at(T0 + timedelta(days=4)):
        event = services.record_answer_sent(
            case_id=case.pk,
            actor=city.officer,
            channel="post",
            recipient="Ion Popescu, Str. Zorilor 3",
            sent_on=date(2026, 3, 5),
        )
    case.refresh_from_db()
    assert (case.sent_by, case.sent_to) == ("post", "Ion Popescu, Str. Zorilor 3")
    assert case.sent_at.astimezone(CITY_TZ).date() == date(2026, 3, 5)
    assert event.kind == EventKind.ANSWER_SENT
    assert event.actor == city.officer


def test_an_exit_is_not_in_the_future_nor_before_the_answer(
    city, django_capture_on_commit_callbacks
):
    case = answered(city, django_capture_on_commit_callbacks, by_post=True)
    with at(T0 + timedelta(days=4)):
        for day, message in [(date(2026, 3, 7), "to come"), (date(2026, 3, 4), "05.03.2026")]:
            with pytest.raises(DomainError, match=message):
                services.record_answer_sent(
                    case_id=case.pk,
                    actor=city.officer,
                    channel="post",
                    recipient="Ion",
                    sent_on=day,
                )
    case.refresh_from_db()
    assert case.sent_at is None


def test_only_an_answered_case_has_an_exit_and_only_its_workers_record_it(
    city, django_capture_on_commit_callbacks
):
    open_case = city.report(auto_route=True)
    with pytest.raises(DomainError, match="no answer"):
        services.record_answer_sent(
            case_id=open_case.pk, actor=city.officer, channel="desk", recipient="Ion"
        )
    case = answered(city, django_capture_on_commit_callbacks, by_post=True)
    for outsider in (city.dispatcher, city.lighting_officer):
        with pytest.raises(NotAllowed):
            services.record_answer_sent(
                case_id=case.pk, actor=outsider, channel="desk", recipient="Ion"
            )
