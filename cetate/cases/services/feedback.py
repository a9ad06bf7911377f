"""The resident's answer to "is your problem solved?", asked once per resolution."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cetate.cases.choices import EventKind, Feedback
from cetate.cases.errors import DomainError
from cetate.cases.models import Case, Event
from cetate.cases.services._core import append_event, locked_case, move, tell_resident
from cetate.cases.services.terms import restore_internal_due
from cetate.cases.workflow import Action, Status
from cetate.directory.models import WhenNotResolved
from cetate.lib import clock
from cetate.lib.text import plain_text


def feedback_refusal(case: Case) -> str | None:
    """Why `case` does not take the resident's answer now, or None when it does.

    Only a resolved case asks, and only once per resolution: reopening it clears the answer so
    that its next resolution asks again.
    """
    if case.feedback:
        return _("The answer about case %(number)s has already been recorded.") % {
            "number": case.number
        }
    if case.status != Status.RESOLVED:
        return _(
            "Case %(number)s is “%(status)s”: only a resolved case asks whether the problem "
            "is solved."
        ) % {"number": case.number, "status": Status(case.status).label}
    return None


@transaction.atomic
def record_feedback(*, case_id: int, satisfied: bool, comment: str = "") -> Case:
    """Record the resident's answer and act on it.

    Solved: the case is closed. Not solved: the case is reopened and goes back to its
    department, or, where its category says so, stays resolved and is flagged for the
    supervisor (status resolved, feedback not_resolved).
    """
    case = locked_case(case_id)
    refusal = feedback_refusal(case)
    if refusal:
        raise DomainError(refusal)
    comment = plain_text(comment).strip()
    answer = Feedback.SATISFIED if satisfied else Feedback.NOT_RESOLVED
    if satisfied:
        outcome = "closed"
    elif case.category is not None and case.category.when_not_resolved == WhenNotResolved.FLAG:
        outcome = "flagged"
    else:
        outcome = "reopened"
    append_event(
        case,
        EventKind.FEEDBACK,
        actor=None,
        text=comment,
        data={"feedback": answer.value, "outcome": outcome},
    )
    case.feedback, case.feedback_at = answer, clock.now()
    reopening: Event | None = None
    if outcome == "closed":
        # The resident has just said so themselves: no mail telling them the case is closed.
        move(case, Action.CLOSE, actor=None, data={"feedback": answer.value})
    elif outcome == "reopened":
        reason = comment or _("The resident says the problem is not solved.")
        _t, reopening = move(case, Action.REOPEN, actor=None, text=reason)
        restore_internal_due(case)
        append_event(case, EventKind.REOPENED, actor=None, text=reason)
        case.resolved_at = None
        case.reopened_at = clock.now()
        # The answer stays in its event; the next resolution asks again.
        case.feedback, case.feedback_at = "", None
    case.save()
    if reopening is not None:
        tell_resident(case, reopening)
    return case
