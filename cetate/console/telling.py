"""How the resident of a case is told, for the officer: the answer's channel, whether the
resident stopped the optional news by email, whether their address is failing, what became of
the last mail to them, the answer whose mail bounced, and the mail still waiting to go out (the
mail server was unreachable, say)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cetate.cases.choices import EventKind
from cetate.cases.models import Case, Event
from cetate.cases.petitioners import petitioner
from cetate.contacts.models import AnswerChannel, Contact
from cetate.outbox.models import OutgoingMail, Purpose


@dataclass(frozen=True)
class LastMail:
    at: datetime
    recipient: str
    failed: bool
    about: int  # the number of the event the mail was about, in the case's history


@dataclass(frozen=True)
class WaitingMail:
    count: int
    next_attempt_at: datetime
    attempts: int
    last_error: str


@dataclass(frozen=True)
class BouncedAnswer:
    """The answer's mail bounced and its exit was withdrawn: it is still to be sent."""

    at: datetime
    recipient: str
    by_post: bool


@dataclass(frozen=True)
class Telling:
    answer_channel: str
    email: str
    phone: str
    phone_as_typed: str
    postal_address: str
    updates_stopped_at: datetime | None
    last_mail: LastMail | None
    waiting_mail: WaitingMail | None
    email_failed_at: datetime | None = None
    email_failure: str = ""
    bounced_answer: BouncedAnswer | None = None

    @property
    def by_email(self) -> bool:
        return self.answer_channel == AnswerChannel.EMAIL

    @property
    def by_post(self) -> bool:
        return self.answer_channel == AnswerChannel.POST

    @property
    def at_desk(self) -> bool:
        return self.answer_channel == AnswerChannel.DESK

    @property
    def by_phone(self) -> bool:
        return self.answer_channel == AnswerChannel.PHONE


def how_told(case: Case) -> Telling | None:
    """How the resident of `case` is told; None for an anonymous case (nobody to tell)."""
    contact: Contact | None = petitioner(case.reporter)
    if contact is None:
        return None
    return Telling(
        answer_channel=case.answer_channel,
        email=contact.email,
        phone=contact.phone,
        phone_as_typed=contact.phone_as_typed,
        postal_address=contact.postal_address,
        updates_stopped_at=case.updates_stopped_at,
        last_mail=_last_mail(case),
        waiting_mail=_waiting_mail(case),
        email_failed_at=contact.email_failed_at if contact.email else None,
        email_failure=contact.email_failure if contact.email else "",
        bounced_answer=_bounced_answer(case),
    )


def _bounced_answer(case: Case) -> BouncedAnswer | None:
    """The answer whose mail bounced, while no other exit of it is recorded."""
    if case.sent_at is not None:
        return None
    bounce: Event | None = (
        case.events.filter(kind=EventKind.MAIL_BOUNCED, data__answer_returned=True)
        .order_by("-seq")
        .first()
    )
    if bounce is None or case.events.filter(kind=EventKind.REOPENED, seq__gt=bounce.seq).exists():
        return None
    return BouncedAnswer(
        at=bounce.at,
        recipient=str(bounce.data.get("recipient", "")),
        by_post=bounce.data.get("answer_by") == AnswerChannel.POST,
    )


def _last_mail(case: Case) -> LastMail | None:
    # Staff reminders are recorded as sent notifications too, with the list of their recipients.
    event: Event | None = (
        case.events.filter(kind__in=[EventKind.NOTIFICATION_SENT, EventKind.NOTIFICATION_FAILED])
        .exclude(data__has_key="recipients")
        .order_by("-seq")
        .first()
    )
    if event is None:
        return None
    return LastMail(
        at=event.at,
        recipient=str(event.data.get("recipient", "")),
        failed=event.kind == EventKind.NOTIFICATION_FAILED,
        about=int(event.data.get("about", 0)),
    )


def _waiting_mail(case: Case) -> WaitingMail | None:
    waiting = OutgoingMail.objects.filter(
        case=case, purpose=Purpose.RESIDENT, status=OutgoingMail.Status.PENDING
    )
    first = waiting.order_by("next_attempt_at").first()
    if first is None:
        return None
    return WaitingMail(
        count=waiting.count(),
        next_attempt_at=first.next_attempt_at,
        attempts=first.attempts,
        last_error=first.last_error,
    )
