"""A resident's reply is marked unread on its case until staff read it, and its officer is
mailed about it: at most once an hour per case, with a link to the case and not the reply."""

from datetime import timedelta

import pytest
import time_machine
from django.core.mail import EmailMessage

from cetate.cases import services
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.lib import clock
from cetate.outbox.models import OutgoingMail, Purpose
from cetate.outbox.sending import send_due

REPLY = "Groapa s-a adâncit după ploaie; numărul meu de telefon este 0744 999 888."


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://cetate.apulum.ro"


@pytest.fixture
def staff_with_mail(city):
    for user in (city.officer, city.head, city.lighting_officer):
        user.email = f"{user.username}@apulum.ro"
        user.language = "en"
        user.save(update_fields=["email", "language"])
    return city


def held_by_officer(city) -> Case:
    case = city.report()
    return services.assign(
        case_id=case.pk, actor=city.dispatcher, department=city.technical, assignee=city.officer
    )


def with_nobody_holding(city) -> Case:
    case = city.report()
    return services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)


def resident_replies(case: Case, text: str = REPLY) -> Case:
    return services.record_resident_reply(
        case_id=case.pk,
        sender="ion@example.org",
        subject=f"Re: Cazul {case.number}",
        text=text,
        shown=text,
    )


def sent(capture, mailoutbox) -> list[EmailMessage]:
    """The staff mail sent of what is due (the resident's own news is tested elsewhere)."""
    with capture(execute=True):
        send_due(limit=100)
    mails = [mail for mail in mailoutbox if mail.to[0].endswith("@apulum.ro")]
    mailoutbox.clear()
    return mails


def test_a_reply_marks_the_case_unread_and_mails_its_officer_a_link_not_the_text(
    staff_with_mail, django_capture_on_commit_callbacks, mailoutbox
):
    city = staff_with_mail
    case = held_by_officer(city)

    case = resident_replies(case)

    assert case.unread_reply_at is not None
    [mail] = sent(django_capture_on_commit_callbacks, mailoutbox)
    assert mail.to == ["inspector@apulum.ro"]
    assert mail.subject == f"The resident replied on case {case.number}"
    assert f"https://cetate.apulum.ro/console/cases/{case.pk}/" in mail.body
    # The resident's words and contact details stay on the card.
    assert "Groapa" not in mail.body and "0744" not in mail.body
    # The case's history says the officer was told.
    assert case.events.filter(
        kind="notification_sent", data__recipient="inspector@apulum.ro"
    ).exists()


def test_five_replies_in_an_hour_send_one_mail_and_the_next_hour_another(
    staff_with_mail, django_capture_on_commit_callbacks, mailoutbox
):
    case = held_by_officer(staff_with_mail)
    start = clock.now()

    with time_machine.travel(start, tick=False):
        resident_replies(case)
    for minutes in (5, 20, 40, 59):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            resident_replies(case, f"Încă ceva, după {minutes} minute.")
    first_hour = sent(django_capture_on_commit_callbacks, mailoutbox)
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        resident_replies(case, "Și încă ceva.")
        later = sent(django_capture_on_commit_callbacks, mailoutbox)

    assert [mail.to for mail in first_hour] == [["inspector@apulum.ro"]]
    assert [mail.to for mail in later] == [["inspector@apulum.ro"]]
    assert case.events.filter(kind="resident_replied").count() == 6


def test_with_nobody_holding_the_case_the_heads_of_its_department_are_told(
    staff_with_mail, django_capture_on_commit_callbacks, mailoutbox
):
    case = with_nobody_holding(staff_with_mail)

    resident_replies(case)

    mails = sent(django_capture_on_commit_callbacks, mailoutbox)
    assert [mail.to for mail in mails] == [["sef@apulum.ro"]]


def test_a_reply_read_before_its_mail_goes_needs_no_mail(
    staff_with_mail, django_capture_on_commit_callbacks, mailoutbox
):
    city = staff_with_mail
    case = held_by_officer(city)
    resident_replies(case)

    assert services.mark_reply_read(case_id=case.pk, reader=city.officer)

    assert sent(django_capture_on_commit_callbacks, mailoutbox) == []
    staff_mail = OutgoingMail.objects.get(purpose=Purpose.STAFF)
    assert staff_mail.status == OutgoingMail.Status.DROPPED


@pytest.mark.parametrize("act", ["note", "message", "status"])
def test_staff_acting_on_the_case_have_read_the_reply(staff_with_mail, act):
    city = staff_with_mail
    case = held_by_officer(city)
    resident_replies(case)

    if act == "note":
        services.add_note(case_id=case.pk, actor=city.head, text="Am citit răspunsul.")
    elif act == "message":
        services.message_resident(case_id=case.pk, actor=city.officer, text="Mulțumim.")
    else:
        services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)

    case.refresh_from_db()
    assert case.unread_reply_at is None


def test_only_the_officer_holding_the_case_or_its_head_read_it_by_opening_it(staff_with_mail):
    city = staff_with_mail
    case = held_by_officer(city)
    other = services.assign(
        case_id=city.report().pk,
        actor=city.dispatcher,
        department=city.technical,
        assignee=city.officer,
    )
    resident_replies(case)
    resident_replies(other)

    assert not services.mark_reply_read(case_id=case.pk, reader=city.supervisor)
    assert services.mark_reply_read(case_id=case.pk, reader=city.officer)
    assert services.mark_reply_read(case_id=other.pk, reader=city.head)
    assert not services.mark_reply_read(case_id=other.pk, reader=city.head)
    assert Case.objects.filter(unread_reply_at__isnull=False).count() == 0
