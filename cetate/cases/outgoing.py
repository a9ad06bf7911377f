"""The mail a case owes: to its resident, to the staff a deadline notice or a resident's reply
names, and to the authority a case was redirected to.

Services owe mail by writing it to the outbox in their own transaction (`owe_*`); the worker
composes it from the case as it stands when sending, and records what was sent as an event of
the case in the transaction that marks the mail sent (cetate/outbox/sending.py).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cetate.accounts.models import User
from cetate.cases.choices import EventKind
from cetate.cases.models import Event
from cetate.cases.notifications import is_required, message_id, resident_message, thread_id
from cetate.cases.reply_notice import reply_notice_text
from cetate.contacts.failing import is_failing
from cetate.lib import clock
from cetate.outbox.kinds import Kind, Withheld, register
from cetate.outbox.models import OutgoingMail, Purpose
from cetate.outbox.posting import post


def owe_resident_mail(event: Event) -> None:
    """The resident is to be told about `event` once the transaction commits."""
    post(
        purpose=Purpose.RESIDENT,
        key=f"resident:{event.pk}",
        case_id=event.case_id,
        event_id=event.pk,
    )


def owe_staff_mail(event: Event, *, at: datetime) -> None:
    """Each staff member a deadline notice, a resident's reply or a bounce names is to be
    mailed, not before `at`."""
    for user_id in event.data.get("recipients", []):
        post(
            purpose=Purpose.STAFF,
            key=f"staff:{event.pk}:{user_id}",
            case_id=event.case_id,
            event_id=event.pk,
            params={"user": user_id},
            at=at,
        )


def owe_forwarding(event: Event) -> None:
    """The authority a REDIRECTED event names is to be sent the case."""
    post(
        purpose=Purpose.FORWARDING,
        key=f"forwarding:{event.pk}",
        case_id=event.case_id,
        event_id=event.pk,
    )


def owe_receipt_mail(event: Event) -> None:
    """The registration mail is to go, once more, to the address a RECEIPT_MAILED event names.

    The address stays in the event alone, removed with the case's other personal data."""
    post(
        purpose=Purpose.RECEIPT,
        key=f"receipt:{event.pk}",
        case_id=event.case_id,
        event_id=event.pk,
    )


def _event(mail: OutgoingMail) -> Event:
    assert mail.event_id is not None  # every mail a case owes is about one of its events
    return Event.objects.select_related("case__reporter", "case__category__parent").get(
        pk=mail.event_id
    )


def _compose_resident(mail: OutgoingMail) -> EmailMessage | None:
    event = _event(mail)
    # A resident who stopped the news of their case still gets what they must be told.
    if event.case.updates_stopped_at is not None and not is_required(event):
        return None
    return _unless_failing(resident_message(event))


def _unless_failing(message: EmailMessage | None) -> EmailMessage | None:
    """The message, unless its address is failing: then it is withheld, and recorded as not
    sent, until the resident writes from it again or it is corrected."""
    if message is not None and is_failing(message.to[0]):
        raise Withheld(_("not sent: earlier mail to this address bounced"))
    return message


def _resident_told(mail: OutgoingMail, message: EmailMessage) -> None:
    from cetate.cases.services import record_notification
    from cetate.cases.services.exits import record_answer_mailed

    about = _event(mail)
    record_notification(about=about, channel="email", recipient=message.to[0])
    # The answer's mail is its exit in the register.
    record_answer_mailed(about=about, recipient=message.to[0])


def _resident_not_told(mail: OutgoingMail) -> None:
    from cetate.cases.services import record_notification_failure

    event = _event(mail)
    message = resident_message(event)
    record_notification_failure(
        about=event,
        channel="email",
        recipient=message.to[0] if message else "",
        reason=mail.last_error,
    )


def _compose_staff(mail: OutgoingMail) -> EmailMessage | None:
    from cetate.cases.services.bounces import bounce_mail_text
    from cetate.cases.sweeps import staff_mail_text

    event = _event(mail)
    case = event.case
    user = User.objects.filter(pk=mail.params["user"], is_active=True).exclude(email="").first()
    if user is None:
        return None
    replied = event.kind == EventKind.RESIDENT_REPLIED
    # A reply someone on staff has read meanwhile needs no mail.
    if replied and case.unread_reply_at is None:
        return None
    url = settings.SITE_URL + reverse("console:case", args=[case.pk])
    if event.kind == EventKind.MAIL_BOUNCED:
        # An answer that bounced is still to reach the resident, however the case stands.
        with translation.override(user.language):
            subject, body = bounce_mail_text(case=case, data=event.data, url=url)
        return EmailMessage(subject, body, to=[user.email])
    # Nothing goes out about a deadline of a case closed since.
    if not case.is_open:
        return None
    with translation.override(user.language):
        if replied:
            subject, body = reply_notice_text(case=case, url=url)
        else:
            subject, body = staff_mail_text(
                case=case, kind=event.kind, data=event.data, now=clock.now(), url=url
            )
    return EmailMessage(subject, body, to=[user.email])


def _staff_told(mail: OutgoingMail, message: EmailMessage) -> None:
    from cetate.cases.services.reminders import record_staff_mail

    record_staff_mail(about=_event(mail), recipient=message.to[0])


def _compose_forwarding(mail: OutgoingMail) -> EmailMessage | None:
    from cetate.cases.services.forwarding import forwarding_message, organisation_of

    event = _event(mail)
    organisation = organisation_of(event)
    # An organisation without an email address gets the letter by post.
    if organisation is None or not organisation.email:
        return None
    return forwarding_message(event.case, organisation)


def _forwarded(mail: OutgoingMail, message: EmailMessage) -> None:
    from cetate.cases.services.forwarding import record_forwarding

    record_forwarding(about=_event(mail), recipient=message.to[0])


def _not_forwarded(mail: OutgoingMail) -> None:
    from cetate.cases.services import record_notification_failure
    from cetate.cases.services.forwarding import organisation_of

    event = _event(mail)
    organisation = organisation_of(event)
    record_notification_failure(
        about=event,
        channel="email",
        recipient=organisation.email if organisation else "",
        reason=mail.last_error,
    )


def _compose_receipt(mail: OutgoingMail) -> EmailMessage | None:
    asked = _event(mail)
    case = asked.case
    address = str(asked.data.get("recipient", ""))
    registered = case.events.filter(kind=EventKind.CREATED).first()
    if registered is None or not address:
        return None
    message = _unless_failing(resident_message(registered, to=address))
    if message is None:
        return None
    # A copy, perhaps to another address: a message of its own in the case's thread.
    message.extra_headers.update(
        {
            "Message-ID": message_id(case, asked),
            "In-Reply-To": thread_id(case),
            "References": thread_id(case),
        }
    )
    return message


def _receipt_sent(mail: OutgoingMail, message: EmailMessage) -> None:
    from cetate.cases.services import record_notification

    record_notification(about=_event(mail), channel="email", recipient=message.to[0])


def _receipt_not_sent(mail: OutgoingMail) -> None:
    from cetate.cases.services import record_notification_failure

    asked = _event(mail)
    record_notification_failure(
        about=asked,
        channel="email",
        recipient=str(asked.data.get("recipient", "")),
        reason=mail.last_error,
    )


def register_kinds() -> None:
    register(
        Purpose.RESIDENT,
        Kind(compose=_compose_resident, sent=_resident_told, given_up=_resident_not_told),
    )
    register(Purpose.STAFF, Kind(compose=_compose_staff, sent=_staff_told))
    register(
        Purpose.FORWARDING,
        Kind(compose=_compose_forwarding, sent=_forwarded, given_up=_not_forwarded),
    )
    register(
        Purpose.RECEIPT,
        Kind(compose=_compose_receipt, sent=_receipt_sent, given_up=_receipt_not_sent),
    )


def registration_mail_status(case_id: int) -> str | None:
    """Where the mail of the case's registration stands (an OutgoingMail status), or None when
    none is owed (no address given)."""
    first = Event.objects.filter(case_id=case_id, kind=EventKind.CREATED).values("pk").first()
    if first is None:
        return None
    return (
        OutgoingMail.objects.filter(key=f"resident:{first['pk']}")
        .values_list("status", flat=True)
        .first()
    )
