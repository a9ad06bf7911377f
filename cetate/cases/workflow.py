"""The one transition table of a case: which action moves a case from which status to which,
and who may take it. Every status change in Cetate goes through `transition_for`.

Refinements of the design's state list:
- `reopened` is an event, not a status: a reopened case is simply `in_progress` again, so no
  status exists that work cannot leave.
- `cancelled` is the terminal status of a registration made in error; the number stays in the
  register, marked.
- Re-routing to another internal department keeps the case open (`assigned`) and its deadlines;
  only an external organisation makes a case `redirected`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cetate.accounts.roles import Role
from cetate.cases.errors import IllegalTransition, NotAllowed


class Status(models.TextChoices):
    NEW = "new", _("new")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")
    REJECTED = "rejected", _("rejected")
    REDIRECTED = "redirected", _("redirected")
    MERGED = "merged", _("merged")
    CANCELLED = "cancelled", _("registration cancelled")


OPEN_STATUSES = frozenset({Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING})
FINAL_STATUSES = frozenset(
    {Status.CLOSED, Status.REJECTED, Status.REDIRECTED, Status.MERGED, Status.CANCELLED}
)


class Action(models.TextChoices):
    ASSIGN = "assign", _("assign")
    REROUTE = "reroute", _("send to another department")
    ACCEPT = "accept", _("accept the case")
    START = "start", _("start work")
    WAIT = "wait", _("wait for the resident or a third party")
    RESUME = "resume", _("resume work")
    RESOLVE = "resolve", _("resolve")
    CLOSE = "close", _("close")
    ANSWER_ON_SPOT = "answer_on_spot", _("answer at first contact")
    REJECT = "reject", _("reject")
    FILE = "file", _("register and file, not considered (OG 27/2002 art. 7)")
    REDIRECT = "redirect", _("redirect to an external organisation")
    MERGE = "merge", _("merge into another case")
    REOPEN = "reopen", _("reopen")
    CANCEL = "cancel", _("cancel the registration")


class CaseFacts(Protocol):
    """What a guard may look at: the case as it is before the transition."""

    @property
    def kind(self) -> str: ...


Guard = Callable[[CaseFacts], str | None]


def only_inquiries(case: CaseFacts) -> str | None:
    if case.kind != "inquiry":
        return str(_("Only a question (inquiry) can be answered and closed at first contact."))
    return None


def not_inquiries(case: CaseFacts) -> str | None:
    if case.kind == "inquiry":
        return str(_("A question is answered at first contact, not worked by a department."))
    return None


@dataclass(frozen=True)
class Transition:
    action: Action
    source: Status
    target: Status
    roles: frozenset[Role]
    guard: Guard | None = None


R = Role
TRIAGE = frozenset({R.DISPATCHER, R.SUPERVISOR, R.ADMINISTRATOR})
HEADS = frozenset({R.DEPARTMENT_HEAD, R.SUPERVISOR, R.ADMINISTRATOR})
MEMBERS = frozenset({R.OFFICER, R.DEPARTMENT_HEAD})
WORKERS = frozenset({R.OFFICER, R.DEPARTMENT_HEAD, R.SUPERVISOR, R.ADMINISTRATOR})
INTAKE = frozenset({R.DISPATCHER, R.DESK_CLERK, R.SUPERVISOR, R.ADMINISTRATOR})
S = Status
A = Action

TRANSITIONS: tuple[Transition, ...] = (
    # Triage routes a registered case to the department that must act (or the system does,
    # when the category's routing is unambiguous).
    Transition(A.ASSIGN, S.NEW, S.ASSIGNED, TRIAGE | HEADS | {R.SYSTEM}, not_inquiries),
    # Heads and triage hand a case to another officer without changing where the work stands.
    Transition(A.ASSIGN, S.ASSIGNED, S.ASSIGNED, TRIAGE | HEADS),
    Transition(A.ASSIGN, S.IN_PROGRESS, S.IN_PROGRESS, TRIAGE | HEADS),
    Transition(A.ASSIGN, S.WAITING, S.WAITING, TRIAGE | HEADS),
    # A department that is not competent sends the case on; the legal clock keeps running,
    # so the case goes back to the receiving department's queue with its deadlines.
    Transition(A.REROUTE, S.ASSIGNED, S.ASSIGNED, TRIAGE | WORKERS),
    Transition(A.REROUTE, S.IN_PROGRESS, S.ASSIGNED, TRIAGE | WORKERS),
    Transition(A.REROUTE, S.WAITING, S.ASSIGNED, TRIAGE | WORKERS),
    # An officer of the department takes a case nobody holds yet.
    Transition(A.ACCEPT, S.ASSIGNED, S.ASSIGNED, MEMBERS),
    # The department starts the work.
    Transition(A.START, S.ASSIGNED, S.IN_PROGRESS, WORKERS),
    # Work needs the resident's or a third party's input; the service clock pauses.
    Transition(A.WAIT, S.IN_PROGRESS, S.WAITING, WORKERS),
    # The input arrived (or the wait is given up); the service clock runs again.
    Transition(A.RESUME, S.WAITING, S.IN_PROGRESS, WORKERS | {R.SYSTEM}),
    # The answer is sent or the work is done.
    Transition(A.RESOLVE, S.IN_PROGRESS, S.RESOLVED, WORKERS),
    Transition(A.RESOLVE, S.WAITING, S.RESOLVED, WORKERS),
    # Resolution accepted (by the resident, the head, or after the satisfaction period).
    Transition(A.CLOSE, S.RESOLVED, S.CLOSED, WORKERS | TRIAGE | {R.SYSTEM}),
    # A question answered on the phone or at the desk is logged and closed at once.
    Transition(A.ANSWER_ON_SPOT, S.NEW, S.CLOSED, INTAKE | {R.SYSTEM}, only_inquiries),
    # Inadmissible (e.g. an anonymous petition, OG 27/2002 art. 7): triage at once, a head
    # later when the department finds it.
    Transition(A.REJECT, S.NEW, S.REJECTED, TRIAGE),
    Transition(A.REJECT, S.ASSIGNED, S.REJECTED, HEADS),
    Transition(A.REJECT, S.IN_PROGRESS, S.REJECTED, HEADS),
    # An anonymous or unidentifiable petition on paper is registered, for the register to be
    # complete, and filed at once by the registry staff who take it in (OG 27/2002 art. 7).
    Transition(A.FILE, S.NEW, S.REJECTED, INTAKE, not_inquiries),
    # Another authority or a utility operator is competent (resident informed, 5-day rule).
    Transition(A.REDIRECT, S.NEW, S.REDIRECTED, TRIAGE),
    Transition(A.REDIRECT, S.ASSIGNED, S.REDIRECTED, TRIAGE | WORKERS),
    Transition(A.REDIRECT, S.IN_PROGRESS, S.REDIRECTED, TRIAGE | WORKERS),
    # The same matter was already registered: one answer covers both (OG 27/2002 art. 10).
    Transition(A.MERGE, S.NEW, S.MERGED, TRIAGE | HEADS),
    Transition(A.MERGE, S.ASSIGNED, S.MERGED, TRIAGE | HEADS),
    Transition(A.MERGE, S.IN_PROGRESS, S.MERGED, TRIAGE | HEADS),
    Transition(A.MERGE, S.WAITING, S.MERGED, TRIAGE | HEADS),
    # The resident says the problem is not solved, or the head finds the answer insufficient.
    Transition(A.REOPEN, S.RESOLVED, S.IN_PROGRESS, TRIAGE | HEADS | {R.SYSTEM}),
    Transition(A.REOPEN, S.CLOSED, S.IN_PROGRESS, TRIAGE | HEADS | {R.SYSTEM}),
    # A registration made in error (duplicate keying, test call); the number stays, marked.
    Transition(A.CANCEL, S.NEW, S.CANCELLED, TRIAGE),
    Transition(A.CANCEL, S.ASSIGNED, S.CANCELLED, TRIAGE),
)

# The moves an action makes on its way from a status it does not leave directly: an officer
# answers a case straight from the department's queue, the case taken into work in the same
# step. Each implied move is a transition of the table above, recorded as its own event
# (and the case accepted too when nobody holds it: cases/services/actions.py, take_up).
IMPLIED: dict[tuple[Action, Status], tuple[Action, ...]] = {
    (A.RESOLVE, S.ASSIGNED): (A.START,),
}

_BY_ACTION_AND_SOURCE: dict[tuple[Action, Status], Transition] = {
    (t.action, t.source): t for t in TRANSITIONS
}


class Permission(models.TextChoices):
    """Changes to a case that do not move its status, and who may make them."""

    NOTE = "note", _("add an internal note")
    MESSAGE = "message", _("write to the resident")
    EXTEND = "extend", _("extend the legal deadline")
    EDIT = "edit", _("correct category, location or priority")
    ATTACH = "attach", _("attach a document")
    MERGE_CONTACTS = "merge_contacts", _("join the resident's contacts after checking who they are")
    PUBLISH = "publish", _("publish a summary for the public")
    LINK = "link", _("link to a report of the same problem")
    ANONYMISE = "anonymise", _("remove the resident's personal data")
    RECORD_DATA_PROTECTION = "record_data_protection", _("record a data protection action")
    RECORD_COURT_RULING = "record_court_ruling", _("record a complaint to the court")
    RECORD_ANSWER_SENT = "record_answer_sent", _("record that the answer was sent")
    MAIL_RECEIPT = "mail_receipt", _("send the registration receipt by email")


def extension_deciders() -> frozenset[Role]:
    """Who decides to extend a legal deadline: supervisors, administrators and, as the city
    sets it (settings.EXTENSION_DECIDED_BY), the head of the department or any of its
    officers (the head included)."""
    if settings.EXTENSION_DECIDED_BY == R.OFFICER:
        return WORKERS
    return HEADS


class _PermissionTable(Mapping[Permission, frozenset[Role]]):
    """The permissions table; an entry the city configures is a function, read when asked,
    so that a change of settings (and a test overriding one) takes effect at once."""

    def __init__(
        self, entries: dict[Permission, frozenset[Role] | Callable[[], frozenset[Role]]]
    ) -> None:
        self._entries = entries

    def __getitem__(self, permission: Permission) -> frozenset[Role]:
        entry = self._entries[permission]
        return entry if isinstance(entry, frozenset) else entry()

    def __iter__(self) -> Iterator[Permission]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


PERMISSIONS: Mapping[Permission, frozenset[Role]] = _PermissionTable(
    {
        Permission.NOTE: INTAKE | WORKERS,
        Permission.MESSAGE: TRIAGE | WORKERS | {R.SYSTEM},
        Permission.EXTEND: extension_deciders,
        Permission.EDIT: TRIAGE | HEADS,
        Permission.ATTACH: INTAKE | WORKERS | {R.SYSTEM},
        # Those who talk to residents and can check who they are: on a call, at the desk.
        Permission.MERGE_CONTACTS: INTAKE,
        Permission.PUBLISH: TRIAGE | WORKERS,
        # The system links the new case a resident's reply to a closed case opens.
        Permission.LINK: TRIAGE | WORKERS | {R.SYSTEM},
        # Past retention the system does it; before, only the data protection officer, on request.
        Permission.ANONYMISE: frozenset({R.SYSTEM, R.DATA_PROTECTION}),
        Permission.RECORD_DATA_PROTECTION: frozenset({R.DATA_PROTECTION}),
        # Those who answer for the city's decisions: the department's head, the supervisors.
        Permission.RECORD_COURT_RULING: HEADS,
        # Those who work the case post the answer, hand it over or read it out on the phone.
        Permission.RECORD_ANSWER_SENT: WORKERS,
        # Those who register calls and walk-ins, for the resident in front of them or on the line.
        Permission.MAIL_RECEIPT: INTAKE,
    }
)


def transition_for(action: Action, *, case: CaseFacts, status: Status) -> Transition:
    """The transition `action` takes from `status`, or IllegalTransition saying why not."""
    transition = _BY_ACTION_AND_SOURCE.get((action, status))
    if transition is None:
        raise IllegalTransition(
            _("“%(action)s” is not possible for a case that is “%(status)s”.")
            % {"status": status.label, "action": action.label}
        )
    if transition.guard is not None:
        refusal = transition.guard(case)
        if refusal:
            raise IllegalTransition(refusal)
    return transition


def path_for(action: Action, *, case: CaseFacts, status: Status) -> tuple[Transition, ...]:
    """The transitions `action` takes from `status`: the implied ones (IMPLIED), then its
    own; IllegalTransition when one of them does not exist."""
    steps: list[Transition] = []
    for step in IMPLIED.get((action, status), ()):
        transition = transition_for(step, case=case, status=status)
        steps.append(transition)
        status = transition.target
    steps.append(transition_for(action, case=case, status=status))
    return tuple(steps)


def check_role(roles: frozenset[Role], allowed: frozenset[Role], what: str) -> None:
    if not roles & allowed:
        raise NotAllowed(_("Your role does not allow this action: %(what)s.") % {"what": what})


def actions_from(status: Status, roles: frozenset[Role]) -> list[Action]:
    """The actions a user with `roles` may take on a case in `status` (guards not applied)."""
    return [t.action for t in TRANSITIONS if t.source == status and roles & t.roles]


def roles_allowed(what: Action | Permission) -> frozenset[Role]:
    """Every role that may take `what` from some status (an action) or at all (a permission)."""
    if isinstance(what, Permission):
        return PERMISSIONS[what]
    return frozenset().union(*(t.roles for t in TRANSITIONS if t.action == what))
