"""Every change to a registered case. Each service locks the case, checks the transition table
and the actor's role on this case, writes its events in the same transaction and leaves side
effects (mail to the resident) to run after commit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cetate.accounts.access import case_roles
from cetate.accounts.models import User
from cetate.cases.choices import EventKind, Priority
from cetate.cases.deadlines import (
    CITY_TZ,
    extend_legal_deadline,
    forwarding_due,
    service_due,
)
from cetate.cases.errors import DomainError
from cetate.cases.filestore import StoredFile, written_first
from cetate.cases.models import Attachment, Case, Event
from cetate.cases.petitioners import same_petitioner
from cetate.cases.services import decisions
from cetate.cases.services._core import (
    append_event,
    authorise,
    check_seen,
    locked_case,
    move,
    notify_on_commit,
    reply_read_by,
    store_attachment,
    tell_resident,
)
from cetate.cases.services.forwarding import forward_on_commit
from cetate.cases.services.terms import restore_internal_due
from cetate.cases.uploads import Upload
from cetate.cases.workflow import (
    FINAL_STATUSES,
    IMPLIED,
    MEMBERS,
    PERMISSIONS,
    Action,
    Permission,
    Status,
    check_role,
    path_for,
    transition_for,
)
from cetate.directory.lookup import work_calendar
from cetate.directory.models import Category, Department, FileCode
from cetate.directory.retention import file_code_of
from cetate.lib import clock
from cetate.lib.text import plain_text


def _required(text: str, message: str) -> str:
    text = plain_text(text).strip()
    if not text:
        raise DomainError(message)
    return text


@transaction.atomic
def assign(
    *,
    case_id: int,
    actor: User | None,
    department: Department,
    assignee: User | None = None,
    note: str = "",
    seen: int | None = None,
) -> Case:
    """Route the case to an internal department, optionally to one of its officers."""
    case = locked_case(case_id, seen=seen)
    if department.is_external:
        raise DomainError(_("Use redirect to send a case to an external organisation."))
    if assignee is not None and not assignee.memberships.filter(department=department).exists():
        raise DomainError(
            _("%(officer)s is not a member of %(department)s.")
            % {"officer": assignee, "department": department}
        )
    data = {
        "department": department.pk,
        "department_name": department.name,
        "assignee": assignee.pk if assignee else None,
        "assignee_name": str(assignee) if assignee else "",
    }
    move(case, Action.ASSIGN, actor=actor, public=False, text=note, data=data)
    case.department, case.assignee = department, assignee
    # The register records when the department (or its officer) received the case.
    case.handed_at = clock.now()
    append_event(case, EventKind.ASSIGNED, actor=actor, text=note, data=data)
    case.save()
    return case


@transaction.atomic
def accept(*, case_id: int, actor: User, seen: int | None = None) -> Case:
    """An officer of the case's department takes a case nobody holds yet."""
    case = locked_case(case_id, seen=seen)
    if case.assignee_id is not None:
        # The move's own refusal (wrong status, role) comes first.
        transition = transition_for(Action.ACCEPT, case=case, status=case.status_enum)
        check_role(case_roles(actor, case), transition.roles, str(Action.ACCEPT.label))
        raise DomainError(
            _("Case %(number)s is already with %(officer)s.")
            % {"number": case.number, "officer": case.assignee}
        )
    _accept(case, actor, data={})
    case.save()
    return case


def _accept(case: Case, actor: User, *, data: dict[str, Any]) -> None:
    """The officer takes the locked case nobody holds; the transition table admits only
    members of the case's department. The caller saves the case."""
    move(case, Action.ACCEPT, actor=actor, public=False, data=data)
    case.assignee = actor
    case.handed_at = clock.now()
    append_event(
        case,
        EventKind.ACCEPTED,
        actor=actor,
        data={"assignee": actor.pk, "assignee_name": str(actor), **data},
    )


def take_up(case: Case, action: Action, *, actor: User | None) -> None:
    """Make the moves `action` implies from the locked case's status (workflow.IMPLIED): a
    case answered straight from the department's queue is accepted by the officer answering
    it when nobody holds it, then taken into work, each move recorded with its event in the
    caller's transaction. The whole way is checked before any of it is recorded. Taking a
    case into work accepts it too: a case in work always has someone who holds it."""
    implied = IMPLIED.get((action, case.status_enum), ())
    if not implied and action != Action.START:
        return
    roles = case_roles(actor, case)
    for transition in path_for(action, case=case, status=case.status_enum):
        check_role(roles, transition.roles, str(transition.action.label))
    data = {"implied_by": action.value}
    if case.assignee_id is None and actor is not None and roles & MEMBERS:
        _accept(case, actor, data=data)
    for step in implied:
        # Recorded, not mailed: the resident is told of the answer that follows.
        move(case, step, actor=actor, data=data)


@transaction.atomic
def change_status(
    *,
    case_id: int,
    actor: User | None,
    action: Action,
    text: str = "",
    decision: decisions.Decision | None = None,
    seen: int | None = None,
) -> Case:
    """start, wait, resume, resolve, close, reject or answer_on_spot.

    Waiting pauses the service clock; resolving needs the answer and the decision (outcome,
    legal basis, for public information the subject area, for a late refusal of it the
    reason); rejecting needs the reason, and files the case (OG 27/2002 art. 7 unless the
    decision names another basis).
    """
    if action not in _SIMPLE_ACTIONS:
        raise DomainError(
            _("Use the dedicated service for “%(action)s”.") % {"action": action.label}
        )
    case = locked_case(case_id, seen=seen)
    reply_read_by(case, actor)
    apply_status(case, action, actor=actor, text=text, decision=decision)
    return case


def apply_status(
    case: Case,
    action: Action,
    *,
    actor: User | None,
    text: str,
    decision: decisions.Decision | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """change_status on a case the caller has locked: the move, its event, the resident told."""
    now = clock.now()
    if action in {Action.RESOLVE, Action.ANSWER_ON_SPOT}:
        case.answer = _required(text, _("Write the answer given to the resident."))
        case.resolved_at = now
    take_up(case, action, actor=actor)
    if action == Action.REJECT:
        _required(text, _("Give the reason for rejecting the case."))
    if action == Action.WAIT:
        _required(text, _("Say what or whom the case is waiting for."))
    decided = decisions.decide(case, action, decision, actor=actor, now=now)
    _transition, event = move(
        case, action, actor=actor, text=text.strip(), data={**(data or {}), **decided}
    )
    if action == Action.WAIT:
        case.waiting_since = now
    if action == Action.RESUME and case.waiting_since is not None:
        unpause(case, now)
    case.save()
    tell_resident(case, event)
    return event


_SIMPLE_ACTIONS = frozenset(
    {
        Action.START,
        Action.WAIT,
        Action.RESUME,
        Action.RESOLVE,
        Action.CLOSE,
        Action.REJECT,
        Action.ANSWER_ON_SPOT,
    }
)


def unpause(case: Case, now: datetime) -> None:
    """The waiting is over: its time is added to the pauses of the service clock."""
    assert case.waiting_since is not None
    case.paused_seconds += int((now - case.waiting_since).total_seconds())
    case.waiting_since = None
    if case.category_id is not None:
        case.service_due = _service_due(case)


def _service_due(case: Case) -> datetime | None:
    """The case's category's service target, counted from registration, pauses added."""
    category = case.category
    return service_due(
        registered_at=case.registered_at,
        target=category.service_target if category else None,
        unit=category.service_target_unit if category else "d",
        paused=timedelta(seconds=case.paused_seconds),
        calendar=work_calendar(),
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _code(file_code: FileCode | None) -> str | None:
    return file_code.code if file_code else None


@transaction.atomic
def redirect(
    *, case_id: int, actor: User | None, to: Department, reason: str, seen: int | None = None
) -> Case:
    """Send the case where it belongs.

    To another internal department the case is re-routed and keeps its deadlines; to an
    external organisation it leaves the city's hands (`redirected`), the resident is told and,
    after commit, the organisation is emailed the case. The redirection records the day the
    law wanted it forwarded by (OG 27/2002 art. 6 (2)) and whether that day had passed.
    """
    case = locked_case(case_id, seen=seen)
    reason = _required(reason, _("Say why the case is sent elsewhere."))
    data: dict[str, Any] = {"department": to.pk, "department_name": to.name}
    if to.is_external:
        decided = decisions.redirected(case)
        _t, event = move(case, Action.REDIRECT, actor=actor, text=reason, data={**data, **decided})
        case.redirected_to = to
        forward_by = forwarding_due(case.registered_at.astimezone(CITY_TZ).date())
        late = clock.now().astimezone(CITY_TZ).date() > forward_by
        redirected = append_event(
            case,
            EventKind.REDIRECTED,
            actor=actor,
            text=reason,
            public=True,
            data={**data, "forward_by": forward_by.isoformat(), "late": late},
        )
        tell_resident(case, event)
        if to.email:
            forward_on_commit(redirected)
    else:
        if to.pk == case.department_id:
            raise DomainError(_("The case is already with %(department)s.") % {"department": to})
        move(case, Action.REROUTE, actor=actor, text=reason, public=False, data=data)
        case.department, case.assignee = to, None
        case.handed_at = clock.now()
        append_event(case, EventKind.REROUTED, actor=actor, text=reason, data=data)
    case.save()
    return case


@transaction.atomic
def merge(
    *,
    case_id: int,
    into_case_id: int,
    actor: User | None,
    reason: str = "",
    seen: int | None = None,
) -> Case:
    """Join a case to an earlier one of the same petitioner on the same matter: one answer
    covers both (OG 27/2002 art. 10). Reports by different residents are linked instead.

    `seen` guards the case being merged, the one whose page the user acted on.
    """
    if case_id == into_case_id:
        raise DomainError(_("A case cannot be merged into itself."))
    # Lock both rows in id order so that two merges of the same pair cannot deadlock.
    first, second = sorted([case_id, into_case_id])
    locked = {first: locked_case(first), second: locked_case(second)}
    case, target = locked[case_id], locked[into_case_id]
    check_seen(case, seen)
    if not same_petitioner(case, target):
        raise DomainError(
            _(
                "Case %(number)s and case %(into)s were not sent by the same petitioner: only "
                "one person's petitions are joined (OG 27/2002 art. 10). Link the two cases "
                "instead: each resident then gets the answer on their own case."
            )
            % {"number": case.number, "into": target.number}
        )
    if target.status in FINAL_STATUSES:
        raise DomainError(
            _("Case %(number)s is no longer open; merge into an open case.")
            % {"number": target.number}
        )
    _t, event = move(
        case,
        Action.MERGE,
        actor=actor,
        text=reason,
        data={"into": target.pk, "into_number": target.number},
    )
    case.merged_into = target
    case.save()
    append_event(
        target,
        EventKind.MERGED_IN,
        actor=actor,
        text=reason,
        data={"case": case.pk, "number": case.number},
    )
    target.save()
    tell_resident(case, event)
    return case


@transaction.atomic
def reopen(*, case_id: int, actor: User | None, reason: str, seen: int | None = None) -> Case:
    case = locked_case(case_id, seen=seen)
    reason = _required(reason, _("Say why the case is reopened."))
    _t, event = move(case, Action.REOPEN, actor=actor, text=reason)
    restore_internal_due(case)
    case.resolved_at = None
    case.reopened_at = clock.now()
    decisions.clear(case)
    # The next resolution asks the resident again whether the problem is solved.
    case.feedback, case.feedback_at = "", None
    append_event(case, EventKind.REOPENED, actor=actor, text=reason)
    case.save()
    tell_resident(case, event)
    return case


@transaction.atomic
def cancel_registration(
    *, case_id: int, actor: User | None, reason: str, seen: int | None = None
) -> Case:
    """Mark a registration made in error; its number stays in the register, marked cancelled."""
    case = locked_case(case_id, seen=seen)
    reason = _required(reason, _("Say why the registration is cancelled."))
    move(case, Action.CANCEL, actor=actor, text=reason, public=False)
    append_event(case, EventKind.REGISTRATION_CANCELLED, actor=actor, text=reason)
    case.save()
    return case


@transaction.atomic
def extend_deadline(
    *, case_id: int, actor: User | None, days: int, notice: str, seen: int | None = None
) -> Case:
    """Extend the legal deadline once, with the notice the law requires sent to the resident."""
    case = locked_case(case_id, seen=seen)
    authorise(actor, case, Permission.EXTEND)
    if case.status not in {Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING}:
        raise DomainError(_("Only a case being worked on can have its deadline extended."))
    notice = _required(notice, _("Write the notice telling the resident about the extension."))
    if case.legal_due is None:
        raise DomainError(_("This kind of case has no legal deadline to extend."))
    extension = extend_legal_deadline(
        kind=case.kind,
        registered_on=case.registered_at.astimezone(CITY_TZ).date(),
        current_due=case.legal_due,
        already_extended=case.legal_extended_days > 0,
        days=days,
        today=clock.now().astimezone(CITY_TZ).date(),
        calendar=work_calendar(),
        internal_rule=settings.INTERNAL_DUE_RULE,
        administrative_complaint=case.contests_id is not None,
    )
    previous, previous_internal = case.legal_due, case.internal_due
    case.legal_due = extension.new_due
    case.internal_due = extension.new_internal_due
    case.legal_extended_days = extension.days
    # The notice the law requires is this event: public, and mailed to the resident.
    event = append_event(
        case,
        EventKind.DEADLINE_EXTENDED,
        actor=actor,
        text=notice,
        public=True,
        data={
            "from": previous.isoformat(),
            "to": extension.new_due.isoformat(),
            "internal_from": previous_internal.isoformat() if previous_internal else None,
            "internal_to": extension.new_internal_due.isoformat(),
        },
    )
    case.save()
    tell_resident(case, event)
    return case


@transaction.atomic
def add_note(*, case_id: int, actor: User | None, text: str, seen: int | None = None) -> Event:
    """An internal note: staff see it, the resident never does."""
    case = locked_case(case_id, seen=seen)
    authorise(actor, case, Permission.NOTE)
    event = append_event(
        case, EventKind.NOTE, actor=actor, text=_required(text, _("The note is empty."))
    )
    reply_read_by(case, actor)
    case.save()
    return event


@transaction.atomic
def message_resident(
    *, case_id: int, actor: User | None, text: str, seen: int | None = None
) -> Event:
    """A message to the resident, sent by their preferred channel and kept on the timeline."""
    case = locked_case(case_id, seen=seen)
    authorise(actor, case, Permission.MESSAGE)
    if case.reporter_id is None:
        raise DomainError(_("This case has no resident to write to."))
    event = append_event(
        case,
        EventKind.MESSAGE,
        actor=actor,
        public=True,
        text=_required(text, _("The message is empty.")),
    )
    reply_read_by(case, actor)
    case.save()
    notify_on_commit(event)
    return event


@transaction.atomic
def correct_details(
    *,
    case_id: int,
    actor: User | None,
    category: Category | None = None,
    priority: Priority | int | None = None,
    title: str | None = None,
    seen: int | None = None,
) -> Case:
    """Correct what triage found wrong; each change is recorded with its old value."""
    case = locked_case(case_id, seen=seen)
    authorise(actor, case, Permission.EDIT)
    changes: dict[str, Any] = {}
    if category is not None and category.pk != case.category_id:
        if category.is_group:
            raise DomainError(_("Choose a category from the list, not a group."))
        changes["category"] = [case.category_id, category.pk]
        case.category = category
        # The register files the case where its new category's cases are kept.
        file_code = file_code_of(category)
        if file_code != case.file_code:
            changes["file_code"] = [_code(case.file_code), _code(file_code)]
            case.file_code = file_code
        # The service target is the new category's promise, counted from registration.
        due = _service_due(case)
        if due != case.service_due:
            changes["service_due"] = [_iso(case.service_due), _iso(due)]
            case.service_due = due
    if priority is not None and int(priority) != case.priority:
        changes["priority"] = [case.priority, int(Priority(priority))]
        case.priority = int(priority)
    title = None if title is None else plain_text(title).strip()[:200]
    if title is not None and title != case.title:
        changes["title"] = [case.title, title]
        case.title = title
    if changes:
        append_event(case, EventKind.EDITED, actor=actor, data=changes)
        case.save()
    return case


def add_attachment(
    *,
    case_id: int,
    actor: User | None,
    upload: Upload,
    public: bool = False,
    seen: int | None = None,
) -> Attachment:
    """Add a document to the case: checked and written to storage first, then recorded."""
    with written_first([upload]) as [file]:
        assert isinstance(file, StoredFile)
        return _record_attachment(case_id=case_id, actor=actor, file=file, public=public, seen=seen)


@transaction.atomic
def _record_attachment(
    *, case_id: int, actor: User | None, file: StoredFile, public: bool, seen: int | None
) -> Attachment:
    case = locked_case(case_id, seen=seen)
    authorise(actor, case, Permission.ATTACH)
    attachment = store_attachment(case, file, actor=actor, public=public)
    case.save()
    return attachment


@transaction.atomic
def record_notification(*, about: Event, channel: str, recipient: str) -> Event | None:
    """Record that the resident was told about `about`; None if that was recorded already."""
    case = locked_case(about.case_id)
    if Event.objects.filter(
        case=case, kind=EventKind.NOTIFICATION_SENT, data__about=about.seq
    ).exists():
        return None
    event = append_event(
        case,
        EventKind.NOTIFICATION_SENT,
        actor=None,
        data={"about": about.seq, "channel": channel, "recipient": recipient},
    )
    case.save()
    return event


def may(actor: User | None, case: Case, what: Action | Permission) -> bool:
    """Whether `actor` may now take `what` on `case`, for showing its button or form.

    An action asks the transition table (from the case's status, with its guard); a
    permission asks who may make that change on this case.
    """
    roles = case_roles(actor, case)
    if isinstance(what, Permission):
        return bool(roles & PERMISSIONS[what])
    try:
        steps = path_for(what, case=case, status=Status(case.status))
    except DomainError:
        return False
    return all(roles & transition.roles for transition in steps)
