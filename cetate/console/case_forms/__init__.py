"""The forms of the case card: one per action, each submitting through one case service."""

from django.utils.translation import gettext_lazy

from cetate.cases.workflow import Action
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


__all__ = ["ACTIONS", "CardForm"]
