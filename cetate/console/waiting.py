"""What is waiting for the signed-in user: shown on every console page and kept fresh."""

from __future__ import annotations

from dataclasses import dataclass

from cetate.accounts.access import QUARANTINE_ROLES, TRIAGE_ROLES, visible_cases
from cetate.accounts.models import User
from cetate.accounts.roles import DEPARTMENT_ROLES, roles_of
from cetate.cases.queries import has_unread_reply, is_open, is_overdue
from cetate.cases.workflow import Status
from cetate.lib import clock
from cetate.mail.quarantine import held_messages
from cetate.telephony.services import missed_calls


@dataclass(frozen=True)
class Waiting:
    new_cases: int
    missed_calls: int | None  # None: the user does not take calls
    overdue_cases: int
    held_mail: int | None = None  # None: the user does not look at held mail
    unread_replies: int | None = None  # None: the user holds no cases


def waiting_for(user: User) -> Waiting:
    cases = visible_cases(user)
    takes_calls = bool(roles_of(user) & TRIAGE_ROLES)
    return Waiting(
        new_cases=cases.filter(status=Status.NEW).count(),
        missed_calls=missed_calls().count() if takes_calls else None,
        overdue_cases=cases.filter(is_overdue(clock.now())).count(),
        held_mail=held_messages().count() if roles_of(user) & QUARANTINE_ROLES else None,
        unread_replies=unread_replies(user) if roles_of(user) & DEPARTMENT_ROLES else None,
    )


def unread_replies(user: User) -> int:
    """The open cases `user` holds whose resident wrote and no one on staff has read it yet:
    the partial index holds only such cases, so the count stays cheap on every poll."""
    return visible_cases(user).filter(has_unread_reply(), is_open(), assignee=user).count()
