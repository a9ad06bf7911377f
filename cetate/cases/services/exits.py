"""The exit of an answer, as the register of entries and exits records it: when the answer left
the city hall, by which channel and to whom.

An answer by email is recorded when the outbox marks the resident's mail about it sent; one by
post, handed over at the desk or read out on the phone is recorded by the staff who sent it.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cetate.accounts.models import User
from cetate.cases.choices import EventKind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import DomainError
from cetate.cases.models import Case, Event
from cetate.cases.services._core import append_event, authorise, locked_case
from cetate.cases.workflow import Action, Permission, Status
from cetate.contacts.models import AnswerChannel
from cetate.lib import clock
from cetate.lib.text import plain_text

# The statuses a case's answer to the resident leaves it in: the answer, the notice that it
# was filed, the notice that it was sent to the competent organisation.
ANSWERED_STATUSES = frozenset({Status.RESOLVED, Status.REJECTED, Status.REDIRECTED})
# A past day's exit is recorded at midday: the register keeps the day.
_PAST_DAY_TIME = time(12, 0)


def is_answer(event: Event) -> bool:
    """Whether `event` is the status change that gives the resident the city's answer."""
    if event.kind != EventKind.STATUS_CHANGED:
        return False
    if event.to_status in ANSWERED_STATUSES:
        return True
    return bool(event.data.get("action") == Action.ANSWER_ON_SPOT)


def last_answer(case: Case) -> Event | None:
    """The case's latest answer, unless it was reopened since."""
    latest = (
        case.events.filter(kind__in=[EventKind.STATUS_CHANGED, EventKind.REOPENED])
        .order_by("-seq")
        .only("seq", "kind", "to_status", "data", "at")
    )
    for event in latest:
        if event.kind == EventKind.REOPENED:
            return None
        if is_answer(event):
            return event
    return None


@transaction.atomic
def record_answer_sent(
    *,
    case_id: int,
    actor: User | None,
    channel: str,
    recipient: str,
    sent_on: date | None = None,
    seen: int | None = None,
) -> Event:
    """Record that the case's answer left, by post, at the desk or by phone (or by an email
    sent outside Cetate), on `sent_on` (default today): not in the future, not before the
    answer."""
    case = locked_case(case_id, seen=seen)
    authorise(actor, case, Permission.RECORD_ANSWER_SENT)
    answer = last_answer(case)
    if answer is None:
        raise DomainError(_("The case has no answer to send yet."))
    if channel not in AnswerChannel.values:
        raise DomainError(_("Choose how the answer was sent."))
    recipient = plain_text(recipient).strip()[:300]
    if not recipient:
        raise DomainError(_("Say to whom the answer was sent."))
    now = clock.now()
    today = now.astimezone(CITY_TZ).date()
    answered_on = answer.at.astimezone(CITY_TZ).date()
    sent_on = sent_on or today
    if sent_on > today:
        raise DomainError(_("The answer cannot have been sent on a day still to come."))
    if sent_on < answered_on:
        raise DomainError(
            _("The answer was given on %(date)s: it cannot have been sent before.")
            % {"date": date_format(answered_on, "d.m.Y")}
        )
    sent_at = now if sent_on == today else datetime.combine(sent_on, _PAST_DAY_TIME, CITY_TZ)
    return _record(
        case,
        answer,
        actor=actor,
        sent_at=max(sent_at, answer.at),
        channel=channel,
        recipient=recipient,
    )


@transaction.atomic
def record_answer_mailed(*, about: Event, recipient: str) -> Event | None:
    """Record that the resident's mail about the answer `about` was sent; None when that was
    recorded already, or when `about` is not the case's current answer."""
    case = locked_case(about.case_id)
    if not is_answer(about) or _recorded(case, about):
        return None
    current = last_answer(case)
    if current is None or current.seq != about.seq:
        return None
    return _record(
        case,
        about,
        actor=None,
        sent_at=clock.now(),
        channel=AnswerChannel.EMAIL,
        recipient=recipient,
    )


def _recorded(case: Case, answer: Event) -> bool:
    return case.events.filter(kind=EventKind.ANSWER_SENT, data__about=answer.seq).exists()


def _record(
    case: Case,
    answer: Event,
    *,
    actor: User | None,
    sent_at: datetime,
    channel: str,
    recipient: str,
) -> Event:
    case.sent_at, case.sent_by, case.sent_to = sent_at, channel, recipient
    event = append_event(
        case,
        EventKind.ANSWER_SENT,
        actor=actor,
        data={
            "about": answer.seq,
            "sent_at": sent_at.isoformat(),
            "channel": channel,
            "recipient": recipient,
        },
    )
    case.save()
    return event
