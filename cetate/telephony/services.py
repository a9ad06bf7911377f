"""The call log's one write path: events from the exchange, call-backs, dismissals.

The exchange reports a call as events (`newCall`, `answer`, `hangup`) that may arrive twice or
out of order. Each event is merged into the call's single row under a row lock, so that the
row always tells the same story whatever the order: the earliest start, the first answer and
who took it, the end and its cause. Times are when the event happened, or when it arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cetate.accounts.access import TRIAGE_ROLES
from cetate.accounts.models import User
from cetate.accounts.roles import roles_of
from cetate.cases.errors import DomainError, NotAllowed
from cetate.contacts.merged import with_merged
from cetate.contacts.models import Contact, PersonalDataView
from cetate.contacts.services import find_contacts, record_personal_data_view
from cetate.lib import clock
from cetate.lib.phones import InvalidPhoneNumber, normalise_phone
from cetate.telephony.models import Call, Direction, Settlement

if TYPE_CHECKING:
    from cetate.cases.models import Case

# A call stays on the screen of whoever answered it this long after it ended, so that a case
# can still be registered from it.
SCREEN_POP_AFTER_END = timedelta(minutes=2)
# An answered call whose hang-up never arrived stops popping up after this long.
LONGEST_CALL = timedelta(hours=3)

MAX_CALL_ID = Call._meta.get_field("call_id").max_length or 120
MAX_NUMBER = Call._meta.get_field("from_number").max_length or 40
MAX_EXTENSION = Call._meta.get_field("extension").max_length or 20
MAX_CAUSE = Call._meta.get_field("hangup_cause").max_length or 60


class CtiEvent(StrEnum):
    NEW_CALL = "newCall"
    ANSWER = "answer"
    HANGUP = "hangup"


DIRECTION_NAMES = {
    "inbound": Direction.INBOUND,
    "in": Direction.INBOUND,
    "incoming": Direction.INBOUND,
    "outbound": Direction.OUTBOUND,
    "out": Direction.OUTBOUND,
    "outgoing": Direction.OUTBOUND,
}


class InvalidCallEvent(DomainError):
    """The exchange sent an event the call log cannot take."""


class CallNotFound(DomainError):
    pass


class NotAMissedCall(DomainError):
    """The call was answered, is still ringing, or was settled already."""


@dataclass(frozen=True)
class _Event:
    kind: CtiEvent
    at: datetime
    from_number: str
    to_number: str
    direction: Direction | None
    extension: str
    cause: str


def _parse_event(
    *,
    event: str,
    call_id: str,
    from_number: str,
    to_number: str,
    direction: str,
    extension: str,
    cause: str,
    at: datetime | None,
) -> tuple[str, _Event]:
    if not event.strip():
        raise InvalidCallEvent(_("The event has no name: expected newCall, answer or hangup."))
    kinds = {kind.value.lower(): kind for kind in CtiEvent}
    kind = kinds.get(event.strip().lower())
    if kind is None:
        raise InvalidCallEvent(
            _("Unknown event “%(event)s”: expected newCall, answer or hangup.")
            % {"event": event.strip()[:40]}
        )
    call_id = call_id.strip()
    if not call_id:
        raise InvalidCallEvent(_("The event has no callId."))
    if len(call_id) > MAX_CALL_ID:
        raise InvalidCallEvent(
            _("The callId is longer than %(max)d characters.") % {"max": MAX_CALL_ID}
        )
    parsed_direction = None
    if direction.strip():
        parsed_direction = DIRECTION_NAMES.get(direction.strip().lower())
        if parsed_direction is None:
            raise InvalidCallEvent(
                _("Unknown direction “%(direction)s”: expected inbound or outbound.")
                % {"direction": direction.strip()[:40]}
            )
    return call_id, _Event(
        kind=kind,
        at=at or clock.now(),
        from_number=from_number.strip()[:MAX_NUMBER],
        to_number=to_number.strip()[:MAX_NUMBER],
        direction=parsed_direction,
        extension=extension.strip()[:MAX_EXTENSION],
        cause=cause.strip()[:MAX_CAUSE],
    )


@transaction.atomic
def record_cti_event(
    *,
    event: str,
    call_id: str,
    from_number: str = "",
    to_number: str = "",
    direction: str = "",
    extension: str = "",
    cause: str = "",
    at: datetime | None = None,
) -> Call:
    """Merge one event of the exchange into the call's row; repeating an event changes nothing.

    - the call starts at its earliest event, whichever that is;
    - the earliest `answer` gives the answer time and the extension that took the call (and
      through it the member of staff); an answer reported after the hang-up counts as at the
      hang-up, so that no time comes out negative;
    - the earliest `hangup` gives the end, the first cause reported is kept;
    - numbers and the direction are taken when first given; the resident's number (the caller
      of an incoming call, the callee of an outgoing one) is kept in E.164, with their contact;
    - once a resident is reached — an outgoing call to them answered, or an incoming call from
      them answered — their earlier missed calls stop waiting for a call-back, whichever of
      the calls' events arrive first.
    """
    call_id, parsed = _parse_event(
        event=event,
        call_id=call_id,
        from_number=from_number,
        to_number=to_number,
        direction=direction,
        extension=extension,
        cause=cause,
        at=at,
    )
    call, _created = Call.objects.select_for_update().get_or_create(
        call_id=call_id, defaults={"started_at": parsed.at}
    )
    _merge(call, parsed)
    call.save()
    _settle_missed_calls(call)
    return call


def _merge(call: Call, event: _Event) -> None:
    call.started_at = min(call.started_at, event.at)
    if event.direction is not None:
        call.direction = event.direction
    call.from_number = call.from_number or event.from_number
    call.to_number = call.to_number or event.to_number
    if event.kind == CtiEvent.ANSWER and (call.answered_at is None or event.at < call.answered_at):
        call.answered_at = event.at
        call.extension = event.extension or call.extension
        call.staff = _staff_with_extension(call.extension)
    elif event.kind == CtiEvent.HANGUP:
        if call.ended_at is None or event.at < call.ended_at:
            call.ended_at = event.at
        call.hangup_cause = call.hangup_cause or event.cause
    if not call.extension and event.extension:
        call.extension = event.extension
        if call.answered_at is not None:
            call.staff = _staff_with_extension(call.extension)
    if call.answered_at is not None and call.ended_at is not None:
        call.answered_at = min(call.answered_at, call.ended_at)
    resident_side = call.from_number if call.direction == Direction.INBOUND else call.to_number
    resident_phone = _e164(resident_side)
    if resident_phone != call.resident_phone:
        if call.resident_phone:
            call.contact = None
        call.resident_phone = resident_phone
    if call.contact_id is None and call.resident_phone:
        known = find_contacts(phone=call.resident_phone)
        call.contact = known[0] if known else None


def _e164(raw: str) -> str:
    try:
        return normalise_phone(raw) if raw else ""
    except InvalidPhoneNumber:
        return ""


def _staff_with_extension(extension: str) -> User | None:
    """The one active member of staff with this extension; nobody when it is shared or unknown."""
    if not extension:
        return None
    users = list(User.objects.filter(phone_extension=extension, is_active=True)[:2])
    return users[0] if len(users) == 1 else None


def _settle_missed_calls(call: Call) -> None:
    """Missed calls stop waiting once their resident was reached by a later answered call,
    whichever of the two calls' events came first."""
    if not call.resident_phone:
        return
    if call.answered_at is not None:
        _settle_by(call, missed_calls().filter(resident_phone=call.resident_phone))
    elif call.is_missed:
        reaching = (
            Call.objects.filter(resident_phone=call.resident_phone, answered_at__gt=call.started_at)
            .order_by("answered_at", "id")
            .first()
        )
        if reaching is not None:
            _settle_by(reaching, Call.objects.filter(pk=call.pk))
            call.refresh_from_db()


def _settle_by(reaching: Call, missed: QuerySet[Call]) -> None:
    assert reaching.answered_at is not None
    how = (
        Settlement.CALLED_BACK
        if reaching.direction == Direction.OUTBOUND
        else Settlement.CALLED_AGAIN
    )
    missed.filter(started_at__lt=reaching.answered_at).update(
        settlement=how, settled_at=reaching.answered_at, settled_by_id=reaching.staff_id
    )


def missed_calls() -> QuerySet[Call]:
    """Inbound calls that ended unanswered and still wait for a call-back or a dismissal."""
    return Call.objects.filter(
        direction=Direction.INBOUND,
        answered_at__isnull=True,
        settlement="",
        ended_at__isnull=False,
    )


MANUAL_SETTLEMENTS = frozenset({Settlement.CALLED_BACK, Settlement.DISMISSED})


@transaction.atomic
def settle_missed_call(*, call_id: int, actor: User, how: Settlement) -> Call:
    """A dispatcher called the resident back, or dismissed the missed call (a wrong number)."""
    if not roles_of(actor) & TRIAGE_ROLES:
        raise NotAllowed(_("Only the dispatch centre settles missed calls."))
    if how not in MANUAL_SETTLEMENTS:
        raise InvalidCallEvent(_("A missed call is settled by calling back or dismissing it."))
    call = Call.objects.select_for_update().filter(pk=call_id).first()
    if call is None:
        raise CallNotFound(_("There is no such call."))
    if not call.is_missed:
        if call.settlement:
            raise NotAMissedCall(
                _("This missed call was already settled: %(how)s.")
                % {"how": call.get_settlement_display()}
            )
        raise NotAMissedCall(_("This call is not a missed call."))
    call.settlement = how
    call.settled_at = clock.now()
    call.settled_by = actor
    call.save(update_fields=["settlement", "settled_at", "settled_by"])
    return call


def calls_of(contact: Contact) -> QuerySet[Call]:
    """The calls with a resident, newest first: by their contact, the duplicates merged into
    it, or their phone number (calls from before the contact was created included)."""
    scope = Q(contact__in=with_merged([contact.pk]))
    if contact.phone:
        scope |= Q(resident_phone=contact.phone)
    return Call.objects.filter(scope).select_related("case", "staff").order_by("-started_at", "-id")


def record_screen_pop_view(*, user: User, call: Call, contact: Contact) -> None:
    """Log that `user` saw the contact card of this call's resident; once per call is enough."""
    what = f"screen pop of call {call.pk}"
    if not PersonalDataView.objects.filter(user=user, contact=contact, what=what).exists():
        record_personal_data_view(user=user, contact=contact, what=what)


def screen_pop_call(user: User) -> Call | None:
    """The call `user` is on: answered on their extension, and either still going or ended in
    the last two minutes without a case registered from it yet; None without an extension."""
    if not user.phone_extension:
        return None
    now = clock.now()
    return (
        Call.objects.filter(
            extension=user.phone_extension,
            answered_at__isnull=False,
            answered_at__gte=now - LONGEST_CALL,
            case__isnull=True,
        )
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=now - SCREEN_POP_AFTER_END))
        .select_related("contact")
        .order_by("-answered_at", "-id")
        .first()
    )


@transaction.atomic
def link_case(*, call_id: int, case: Case) -> Call:
    """Record the case registered from a call, in the registration's own transaction.

    A call keeps the first case registered from it. The case's resident becomes the call's
    contact when the call had none, and a missed call a case was registered from is settled
    as called back.
    """
    call = Call.objects.select_for_update().filter(pk=call_id).first()
    if call is None:
        raise CallNotFound(_("The call this case was to be registered from does not exist."))
    if call.case_id is None:
        call.case = case
    if call.contact_id is None and case.reporter_id is not None:
        call.contact_id = case.reporter_id
    if call.is_missed:
        call.settlement = Settlement.CALLED_BACK
        call.settled_at = clock.now()
        call.settled_by_id = case.entered_by_id
    call.save()
    return call
