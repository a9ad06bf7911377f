"""The forms of the case card: one per action, each submitting through one case service."""

from django.utils.translation import gettext_lazy

from cetate.cases.workflow import Action, Status
from cetate.console.case_forms.base import CardForm
from cetate.console.case_forms.contact import SamePersonForm
from cetate.console.case_forms.court import CourtComplaintForm
from cetate.console.case_forms.exits import AnswerSentForm
from cetate.console.case_forms.links import LinkForm, ResolveForm, UnlinkForm
from cetate.console.case_forms.publication import PublishSummaryForm
from cetate.console.case_forms.register import RegisterDetailsForm
from cetate.console.case_forms.triage import MergeForm, RedirectForm, RejectForm, TriageForm
from cetate.console.case_forms.work import (
    AcceptForm,
    AttachForm,
    ExtendForm,
    MessageForm,
    NoteForm,
    status_form,
)

ACTIONS: dict[str, type[CardForm]] = {
    form.name: form
    for form in (
        TriageForm,
        MergeForm,
        RejectForm,
        RedirectForm,
        AcceptForm,
        status_form(Action.START, gettext_lazy("Start work")),
        status_form(Action.WAIT, gettext_lazy("Wait")),
        status_form(Action.RESUME, gettext_lazy("Resume work")),
        ResolveForm,
        status_form(Action.ANSWER_ON_SPOT, gettext_lazy("Answer and close")),
        AnswerSentForm,
        status_form(Action.CLOSE, gettext_lazy("Close")),
        status_form(Action.REOPEN, gettext_lazy("Reopen")),
        ExtendForm,
        MessageForm,
        NoteForm,
        AttachForm,
        # Less often needed than the work itself: after it.
        LinkForm,
        SamePersonForm,
        PublishSummaryForm,
        RegisterDetailsForm,
        CourtComplaintForm,
        status_form(Action.CANCEL, gettext_lazy("Cancel the registration")),
        UnlinkForm,
    )
}

# The likely next step first: a case in the department's hands is answered (the answer takes
# it into work on its way), a waiting one resumed. Sending a worked case elsewhere, merging or
# rejecting it is the exception: after the work's own forms.
LIKELY_FIRST: dict[str, tuple[str, ...]] = {
    Status.ASSIGNED: (Action.RESOLVE, Action.ACCEPT, Action.START),
    Status.IN_PROGRESS: (Action.RESOLVE, Action.WAIT),
    Status.WAITING: (Action.RESUME, Action.RESOLVE),
}
ELSEWHERE = ("triage", "redirect", "merge", "reject")


def in_likely_order(forms: list[CardForm], status: str) -> list[CardForm]:
    """The card's forms with the likely next step first (stable otherwise)."""
    first = LIKELY_FIRST.get(status, ())

    def rank(form: CardForm) -> int:
        if form.name in first:
            return first.index(form.name) - len(first)
        return 1 if status in LIKELY_FIRST and form.name in ELSEWHERE else 0

    return sorted(forms, key=rank)


__all__ = ["ACTIONS", "CardForm", "in_likely_order"]
