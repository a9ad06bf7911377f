"""Changes to many cases at once: each case in its own transaction, each refusal reported.

A head who hands twenty cases to an officer should not lose nineteen assignments because one
case was closed in the meantime: every case is assigned or refused on its own, and the result
says which, and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from cetate.accounts.models import User
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.cases.services._core import locked_case
from cetate.cases.services.actions import assign
from cetate.directory.models import Department


@dataclass(frozen=True)
class CaseOutcome:
    """What became of one case of a bulk change: done, or refused with the reason."""

    case_id: int
    number: str
    done: bool
    reason: str = ""


@dataclass(frozen=True)
class BulkResult:
    outcomes: tuple[CaseOutcome, ...]

    @property
    def done(self) -> list[CaseOutcome]:
        return [outcome for outcome in self.outcomes if outcome.done]

    @property
    def refused(self) -> list[CaseOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.done]


def assign_many(
    *,
    case_ids: Iterable[int],
    actor: User | None,
    assignee: User | None,
    department: Department | None = None,
    note: str = "",
) -> BulkResult:
    """Assign each case to `assignee` (None: to nobody) through `assign`, one by one.

    Without `department` each case stays with the department it is in. The actor's role is
    checked on each case, as `assign` does; a case that cannot be assigned is reported with the
    reason and the others go on.
    """
    outcomes = []
    for case_id in dict.fromkeys(case_ids):  # once each, in the order given
        outcomes.append(_assign_one(case_id, actor, assignee, department, note))
    return BulkResult(tuple(outcomes))


def _assign_one(
    case_id: int,
    actor: User | None,
    assignee: User | None,
    department: Department | None,
    note: str,
) -> CaseOutcome:
    number = ""
    try:
        # The case's department is read under the lock `assign` takes again in the same
        # transaction, so that a case re-routed meanwhile is not sent back.
        with transaction.atomic():
            case = locked_case(case_id)
            number = case.number
            target = department or case.department
            if target is None:
                raise DomainError(_("The case has not been routed to a department yet."))
            assign(case_id=case_id, actor=actor, department=target, assignee=assignee, note=note)
    except Case.DoesNotExist:
        return CaseOutcome(case_id, number, done=False, reason=_("There is no such case."))
    except DomainError as refusal:
        return CaseOutcome(case_id, number, done=False, reason=str(refusal))
    return CaseOutcome(case_id, number, done=True)
