"""The resident's news emails: stopping and restarting them is recorded on the case, a stopped
case still gets every mail the resident must get, and a mail that fails is recorded."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cetate.cases import services
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.outbox.models import OutgoingMail
from cetate.outbox.sending import send_due
from cetate.test import GRANTED
from tests.conftest import free_port


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change as a request would, with the mail jobs it leaves for after its commit."""

    def run(change, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(**kwargs)

    return run


def started(city, commit):
    case = commit(city.report)
    commit(services.assign, case_id=case.pk, actor=city.dispatcher, department=city.technical)
    commit(services.change_status, case_id=case.pk, actor=city.officer, action=Action.START)
    return case


def test_stopping_and_restarting_are_events_of_the_case(city):
    case = city.report()
    stopped = services.stop_updates(case_id=case.pk)
    assert stopped.updates_stopped_at is not None
    services.stop_updates(case_id=case.pk)  # asking twice records it once
    restarted = services.restart_updates(case_id=case.pk)
    assert restarted.updates_stopped_at is None
    services.restart_updates(case_id=case.pk)
    kinds = list(case.events.filter(kind__startswith="updates_").values_list("kind", "public"))
    assert kinds == [("updates_stopped", False), ("updates_restarted", False)]


def test_the_residents_choice_does_not_make_an_officers_page_stale(city):
    case = city.report()
    seen = case.last_event_seq
    services.stop_updates(case_id=case.pk)
    services.add_note(case_id=case.pk, actor=city.dispatcher, text="Notă", seen=seen)


def test_a_stopped_case_still_gets_every_mail_it_must(city, mailoutbox, commit):
    case = started(city, commit)
    services.stop_updates(case_id=case.pk)
    mailoutbox.clear()
    pk, officer = case.pk, city.officer

    commit(services.change_status, case_id=pk, actor=officer, action=Action.WAIT, text="Poze?")
    commit(services.change_status, case_id=pk, actor=officer, action=Action.RESUME)  # news
    commit(services.extend_deadline, case_id=pk, actor=city.head, days=15, notice="Aviz.")
    commit(services.message_resident, case_id=pk, actor=officer, text="Venim joi.")
    commit(
        services.change_status,
        case_id=pk,
        actor=officer,
        action=Action.RESOLVE,
        text="Gata.",
        decision=GRANTED,
    )
    commit(services.reopen, case_id=pk, actor=city.head, reason="Nu e gata.")  # news
    commit(services.redirect, case_id=pk, actor=officer, to=city.water_operator, reason="Apă.")

    told = [mail.body for mail in mailoutbox if mail.to == ["ion@example.org"]]
    assert len(told) == 5
    for text in ("Poze?", "Aviz.", "Venim joi.", "Gata.", "Apă."):
        assert sum(text in body for body in told) == 1, text
    assert not any("Nu e gata." in body for body in told)


def test_a_stopped_case_gets_its_rejection(city, mailoutbox, commit):
    case = commit(city.report)
    services.stop_updates(case_id=case.pk)
    mailoutbox.clear()
    commit(
        services.change_status,
        case_id=case.pk,
        actor=city.dispatcher,
        action=Action.REJECT,
        text="Nu ține de primărie.",
    )
    [mail] = mailoutbox
    assert "Nu ține de primărie." in mail.body


def test_restarted_news_are_sent_again(city, mailoutbox, commit):
    case = commit(city.report)
    commit(services.assign, case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.stop_updates(case_id=case.pk)
    services.restart_updates(case_id=case.pk)
    mailoutbox.clear()
    commit(services.change_status, case_id=case.pk, actor=city.officer, action=Action.START)
    assert len(mailoutbox) == 1


def test_a_mail_that_fails_is_tried_again_then_recorded_for_the_officer(
    city, settings, commit, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.MAIL_MAX_ATTEMPTS = 3
    case = commit(city.report)
    [owed] = OutgoingMail.objects.filter(case=case)
    assert (owed.status, owed.attempts, owed.last_error) == (
        "pending",
        1,
        "ConnectionRefusedError",
    )
    assert not case.events.filter(kind="notification_failed").exists()
    # 1 minute, then 2 minutes later.
    for minutes in (1, 3):
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes, seconds=1)):
            assert send_due() == 1
    owed.refresh_from_db()
    assert (owed.status, owed.attempts) == ("parked", 3)
    failed = Case.objects.get(pk=case.pk).events.get(kind="notification_failed")
    assert failed.data["about"] == 1
    assert failed.data["recipient"] == "ion@example.org"
    assert failed.data["reason"] == "ConnectionRefusedError"
    assert not failed.public
    assert "ion@example.org" not in caplog.text
