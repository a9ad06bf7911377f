"""What every case service shares: the lock, the event row and the side effects on commit."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks_db.backend import DatabaseBackend

from cetate.accounts.access import case_roles
from cetate.accounts.models import User
from cetate.cases.choices import EventKind
from cetate.cases.models import Attachment, Case, Event
from cetate.cases.uploads import CleanFile
from cetate.cases.workflow import (
    PERMISSIONS,
    Action,
    Permission,
    Status,
    Transition,
    check_role,
    transition_for,
)
from cetate.lib import clock


def locked_case(case_id: int) -> Case:
    """The case row, locked until the surrounding transaction ends."""
    return Case.objects.select_for_update().get(pk=case_id)


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
        text=text,
        public=public,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )
    event.save(force_insert=True)
    return event


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


def notify_on_commit(event: Event) -> None:
    """Tell the resident about this event once the transaction has committed.

    Replayed history (demo data, imports) sends nothing: residents were told back then.
    """
    from cetate.cases.tasks import notify_resident

    if clock.is_replaying():
        return
    event_id = event.pk
    if isinstance(notify_resident.get_backend(), DatabaseBackend):
        # The job row is written in the case's own transaction: workers see it when the
        # case commits and never if it rolls back, and registration needs no second commit.
        notify_resident.enqueue(event_id)
    else:
        transaction.on_commit(lambda: notify_resident.enqueue(event_id))


def tell_resident(case: Case, event: Event) -> None:
    """Mail the resident about a public event, if there is a resident to mail."""
    reporter = case.reporter
    # A merged contact's mail goes to the contact it was merged into.
    if event.public and reporter is not None and (reporter.email or reporter.merged_into_id):
        notify_on_commit(event)


def store_attachment(
    case: Case, file: CleanFile, *, actor: User | None, public: bool = False
) -> Attachment:
    """Save a checked file with the case and record it; the caller saves the case."""
    attachment = Attachment(
        case=case,
        original_name=file.name,
        content_type=file.content_type,
        size=len(file.content),
        sha256=file.sha256,
        uploaded_by=actor,
        public=public,
    )
    attachment.file.save(file.name, ContentFile(file.content), save=False)
    attachment.save()
    append_event(
        case,
        EventKind.ATTACHMENT,
        actor=actor,
        data={"attachment": attachment.pk, "name": file.name, "type": file.content_type},
    )
    return attachment
