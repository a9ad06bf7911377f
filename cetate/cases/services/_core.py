"""What every case service shares: the lock, the event row and the side effects on commit."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from cetate.accounts.access import case_roles
from cetate.accounts.models import User
from cetate.cases.choices import EventKind
from cetate.cases.errors import DomainError
from cetate.cases.filestore import StoredFile
from cetate.cases.models import Attachment, Case, Event
from cetate.cases.workflow import (
    OPEN_STATUSES,
    PERMISSIONS,
    Action,
    Permission,
    Status,
    Transition,
    check_role,
    transition_for,
)
from cetate.lib import clock
from cetate.lib.text import plain_text
from cetate.webhooks.outbox import record_deliveries


class StaleCase(DomainError):
    """The case changed after the user opened it: their change would overwrite unseen work."""


# Events that record what happened elsewhere, not a change anyone could overwrite.
_NOT_CHANGES = frozenset(
    {
        EventKind.NOTIFICATION_SENT,
        EventKind.DEADLINE_REMINDER,
        EventKind.DEADLINE_ESCALATED,
        EventKind.FORWARDED,
        EventKind.NOTIFICATION_FAILED,
        # The resident's choice of news emails changes nothing staff are working on.
        EventKind.UPDATES_STOPPED,
        EventKind.UPDATES_RESTARTED,
        EventKind.DATA_PROTECTION,
        # The answer's exit, most often recorded by the worker when its mail went out.
        EventKind.ANSWER_SENT,
        # A copy of the registration mail, asked for by the resident.
        EventKind.RECEIPT_MAILED,
    }
)


def locked_case(case_id: int, *, seen: int | None = None) -> Case:
    """The case row, locked until the surrounding transaction ends.

    `seen` is the case's `last_event_seq` when the user opened the page their change comes
    from; if someone else has changed the case since, StaleCase says who did what, and the
    caller's transaction writes nothing.
    """
    case = Case.objects.select_for_update().get(pk=case_id)
    check_seen(case, seen)
    return case


def check_seen(case: Case, seen: int | None) -> None:
    """StaleCase if `case` changed after its event number `seen` (None: no check)."""
    if seen is None or case.last_event_seq <= seen:
        return
    changes = list(
        case.events.filter(seq__gt=seen)
        .exclude(kind__in=_NOT_CHANGES)
        .select_related("actor")
        .order_by("seq")
    )
    if changes:
        raise StaleCase(describe_changes(case, changes))


def describe_changes(case: Case, events: list[Event]) -> str:
    """Who changed the case, when and how, e.g. "Case 12/2026 was changed by Ana Pop at 10:42
    (assigned) after you opened it. Review it and try again."
    """
    runs: list[tuple[Event, list[str]]] = []
    for event in events:
        what = (
            str(Status(event.to_status).label)
            if event.kind == EventKind.STATUS_CHANGED and event.to_status
            else str(EventKind(event.kind).label)
        )
        if runs and runs[-1][0].actor_id == event.actor_id:
            if what not in runs[-1][1]:
                runs[-1][1].append(what)
        else:
            runs.append((event, [what]))
    today = timezone.localtime(clock.now()).date()
    by_whom = []
    for first, kinds in runs:
        local = timezone.localtime(first.at)
        when = date_format(local, "H:i" if local.date() == today else "d.m.Y H:i")
        by_whom.append(
            _("by %(who)s at %(when)s (%(what)s)")
            % {
                "who": str(first.actor) if first.actor else _("the system"),
                "when": when,
                "what": ", ".join(kinds),
            }
        )
    return _(
        "Case %(number)s was changed %(changes)s after you opened it. Review it and try again."
    ) % {"number": case.number, "changes": get_text_list(by_whom, _("and"))}


def append_event(
    case: Case,
    kind: EventKind,
    *,
    actor: User | None,
    text: str = "",
    public: bool = False,
    from_status: str = "",
    to_status: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    """Add the next event of the case's history. The caller saves the case afterwards."""
    case.last_event_seq += 1
    event = Event(
        case=case,
        seq=case.last_event_seq,
        kind=kind,
        at=clock.now(),
        actor=actor,
        # Every text a case's history keeps passes here: notes, messages, answers, reasons.
        text=plain_text(text),
        public=public,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )
    event.save(force_insert=True)
    offer_to_webhooks(event)
    return event


def offer_to_webhooks(event: Event) -> None:
    """Queue the new event for the webhook subscriptions that want it, with the case's
    transaction. Replayed history is not sent: it happened before anyone subscribed."""
    if not clock.is_replaying():
        record_deliveries(event)


def authorise(actor: User | None, case: Case, permission: Permission) -> None:
    check_role(case_roles(actor, case), PERMISSIONS[permission], str(permission.label))


def move(
    case: Case,
    action: Action,
    *,
    actor: User | None,
    text: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
) -> tuple[Transition, Event]:
    """Apply a transition of the table to a locked case and record it."""
    current = Status(case.status)
    transition = transition_for(action, case=case, status=current)
    check_role(case_roles(actor, case), transition.roles, str(action.label))
    now = clock.now()
    case.status = transition.target
    case.status_changed_at = now
    if transition.target not in OPEN_STATUSES:
        # Answered, or out of work some other way: a reopened case stands out no longer.
        case.reopened_at = None
    event = append_event(
        case,
        EventKind.STATUS_CHANGED,
        actor=actor,
        text=text,
        public=public,
        from_status=current,
        to_status=transition.target,
        data={"action": action.value, **(data or {})},
    )
    return transition, event


def reply_read_by(case: Case, actor: User | None) -> None:
    """A member of staff acted on the locked case from a card that showed its replies (a card
    older than a reply is refused as stale first): the resident's reply is read. The caller
    saves the case."""
    if actor is not None:
        case.unread_reply_at = None


def notify_on_commit(event: Event) -> None:
    """Tell the resident about this event once the transaction has committed."""
    from cetate.cases.outgoing import owe_resident_mail

    owe_resident_mail(event)


def tell_resident(case: Case, event: Event) -> None:
    """Mail the resident about a public event, if there is a resident to mail."""
    reporter = case.reporter
    # A merged contact's mail goes to the contact it was merged into.
    if event.public and reporter is not None and (reporter.email or reporter.merged_into_id):
        notify_on_commit(event)


def store_attachment(
    case: Case,
    file: StoredFile,
    *,
    actor: User | None,
    public: bool = False,
    with_registration: bool = False,
) -> Attachment:
    """Record with the case a checked file already in storage (cetate/cases/filestore.py);
    the caller saves the case.

    A document handed in `with_registration` is said so in its event: the receipt lists it."""
    attachment = Attachment(
        case=case,
        file=file.stored_as,
        original_name=file.name,
        content_type=file.content_type,
        size=len(file.content),
        sha256=file.sha256,
        uploaded_by=actor,
        public=public,
    )
    attachment.save()
    append_event(
        case,
        EventKind.ATTACHMENT,
        actor=actor,
        data={
            "attachment": attachment.pk,
            "name": file.name,
            "type": file.content_type,
            **({"with_registration": True} if with_registration else {}),
        },
    )
    return attachment
