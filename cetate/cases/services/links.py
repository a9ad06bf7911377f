"""Reports of one problem by different residents, handled together.

Merging joins the petitions of one petitioner (OG 27/2002 art. 10); cases of different
residents are linked instead. Each linked case keeps its number, resident, deadlines and
tracking page; an answer written on one of them can be sent to the others, each resolved on
its own, so that every resident is answered on their own case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from cetate.accounts.models import User
from cetate.cases.choices import EventKind
from cetate.cases.errors import DomainError
from cetate.cases.models import Case, CaseLink
from cetate.cases.services._core import (
    append_event,
    authorise,
    check_seen,
    locked_case,
    reply_read_by,
)
from cetate.cases.services.actions import apply_status
from cetate.cases.services.bulk import CaseOutcome
from cetate.cases.services.decisions import Decision
from cetate.cases.workflow import Action, Permission, Status
from cetate.lib import clock
from cetate.lib.text import plain_text

# A cancelled registration is no case to handle; a merged one is handled by the case it was
# merged into, which is the one to link.
_NOT_LINKABLE = frozenset({Status.CANCELLED, Status.MERGED})


def _locked_pair(case_id: int, other_case_id: int, seen: int | None) -> tuple[Case, Case]:
    if case_id == other_case_id:
        raise DomainError(_("A case cannot be linked to itself."))
    # Lock both rows in id order so that two changes of the same pair cannot deadlock.
    first, second = sorted([case_id, other_case_id])
    locked = {first: locked_case(first), second: locked_case(second)}
    case, other = locked[case_id], locked[other_case_id]
    check_seen(case, seen)
    return case, other


@transaction.atomic
def link_cases(
    *,
    case_id: int,
    other_case_id: int,
    actor: User | None,
    reason: str = "",
    seen: int | None = None,
) -> CaseLink:
    """Link two cases about the same problem; each records it in its history.

    `seen` guards the case whose page the user acted on. The actor needs the right to link on
    both cases: the link changes both.
    """
    case, other = _locked_pair(case_id, other_case_id, seen)
    for one in (case, other):
        authorise(actor, one, Permission.LINK)
        if one.status in _NOT_LINKABLE:
            raise DomainError(
                _("Case %(number)s is “%(status)s” and cannot be linked.")
                % {"number": one.number, "status": Status(one.status).label}
            )
    first, second = CaseLink.pair(case.pk, other.pk)
    if CaseLink.objects.filter(first_id=first, second_id=second).exists():
        raise DomainError(
            _("Case %(number)s is already linked to case %(other)s.")
            % {"number": case.number, "other": other.number}
        )
    link = CaseLink.objects.create(
        first_id=first, second_id=second, linked_by=actor, linked_at=clock.now()
    )
    reason = plain_text(reason).strip()
    for one, to in ((case, other), (other, case)):
        # Internal: the event names another resident's case.
        append_event(one, EventKind.LINKED, actor=actor, text=reason, data=_names(to), public=False)
        one.save()
    return link


@transaction.atomic
def unlink_cases(
    *,
    case_id: int,
    other_case_id: int,
    actor: User | None,
    reason: str = "",
    seen: int | None = None,
) -> Case:
    """Remove the link between two cases; each records it in its history."""
    case, other = _locked_pair(case_id, other_case_id, seen)
    for one in (case, other):
        authorise(actor, one, Permission.LINK)
    first, second = CaseLink.pair(case.pk, other.pk)
    removed, _kinds = CaseLink.objects.filter(first_id=first, second_id=second).delete()
    if not removed:
        raise DomainError(
            _("Case %(number)s is not linked to case %(other)s.")
            % {"number": case.number, "other": other.number}
        )
    reason = plain_text(reason).strip()
    for one, to in ((case, other), (other, case)):
        append_event(
            one, EventKind.UNLINKED, actor=actor, text=reason, data=_names(to), public=False
        )
        one.save()
    return case


def _names(case: Case) -> dict[str, object]:
    return {"case": case.pk, "number": case.number}


@dataclass(frozen=True)
class AnsweredTogether:
    """The case resolved, and what became of each linked case its answer was sent to."""

    case: Case
    outcomes: tuple[CaseOutcome, ...]

    @property
    def done(self) -> list[CaseOutcome]:
        return [outcome for outcome in self.outcomes if outcome.done]

    @property
    def refused(self) -> list[CaseOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.done]


def resolve_together(
    *,
    case_id: int,
    actor: User | None,
    answer: str,
    linked_case_ids: Iterable[int],
    decision: Decision | None = None,
    seen: int | None = None,
) -> AnsweredTogether:
    """Resolve the case with `answer`, then each of the linked cases named with the same
    answer and decision, each as its own transition in its own transaction: every resident is
    told on their own case.

    The case itself must resolve, or nothing happens. A linked case the actor may not resolve,
    whose status does not allow it, or that is no longer linked is reported with the reason;
    the others go on.
    """
    with transaction.atomic():
        case = locked_case(case_id, seen=seen)
        # The linked cases' own replies stay unread: their cards were not the one shown.
        reply_read_by(case, actor)
        apply_status(case, Action.RESOLVE, actor=actor, text=answer, decision=decision)
    outcomes = tuple(
        _resolve_linked(case, other_id, actor, answer, decision)
        for other_id in dict.fromkeys(linked_case_ids)  # once each, in the order given
        if other_id != case.pk
    )
    return AnsweredTogether(case, outcomes)


def _resolve_linked(
    case: Case, other_id: int, actor: User | None, answer: str, decision: Decision | None
) -> CaseOutcome:
    number = ""
    try:
        with transaction.atomic():
            other = locked_case(other_id)
            number = other.number
            first, second = CaseLink.pair(case.pk, other.pk)
            if not CaseLink.objects.filter(first_id=first, second_id=second).exists():
                raise DomainError(
                    _("It is no longer linked to case %(number)s.") % {"number": case.number}
                )
            apply_status(
                other,
                Action.RESOLVE,
                actor=actor,
                text=answer,
                decision=decision,
                data={"answered_with": case.pk, "answered_with_number": case.number},
            )
    except Case.DoesNotExist:
        return CaseOutcome(other_id, number, done=False, reason=_("There is no such case."))
    except DomainError as refusal:
        return CaseOutcome(other_id, number, done=False, reason=str(refusal))
    return CaseOutcome(other_id, number, done=True)
