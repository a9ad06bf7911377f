"""The forms of working a case: notes, messages, extension, documents, status changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.accounts.models import User
from cetate.cases import services
from cetate.cases.choices import Outcome
from cetate.cases.deadlines import PETITION_EXTENSION_MAX_DAYS
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.cases.uploads import Upload
from cetate.cases.workflow import Action, Permission, Status, path_for
from cetate.console.case_forms.base import TEXT, CardForm
from cetate.console.case_forms.decision import add_answer_fields, answer_decision


class NoteForm(CardForm):
    name = "note"
    heading = gettext_lazy("Add an internal note")
    button = gettext_lazy("Add the note")
    needs = (Permission.NOTE,)
    text = forms.CharField(
        label=gettext_lazy("Internal note"),
        help_text=gettext_lazy("Staff see it; the resident does not."),
        widget=TEXT,
    )

    def submit(self) -> str:
        services.add_note(
            case_id=self.case.pk,
            actor=self.user,
            text=self.cleaned_data["text"],
            seen=self.seen_value,
        )
        return _("The note was added to case %(number)s.") % {"number": self.case.number}


class MessageForm(CardForm):
    name = "message"
    heading = gettext_lazy("Write to the resident")
    button = gettext_lazy("Send the message")
    needs = (Permission.MESSAGE,)
    text = forms.CharField(
        label=gettext_lazy("Message to the resident"),
        help_text=gettext_lazy("Sent by the resident's preferred channel and kept in the history."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_templates("text", self.case.status)

    @classmethod
    def offered(cls, user: User, case: Case) -> bool:
        return case.reporter_id is not None and super().offered(user, case)

    def submit(self) -> str:
        services.message_resident(
            case_id=self.case.pk,
            actor=self.user,
            text=self.cleaned_data["text"],
            seen=self.seen_value,
        )
        return _("The message to the resident of case %(number)s was sent.") % {
            "number": self.case.number
        }


class ExtendForm(CardForm):
    name = "extend"
    heading = gettext_lazy("Extend the legal deadline")
    button = gettext_lazy("Extend")
    needs = (Permission.EXTEND,)
    days = forms.IntegerField(
        label=gettext_lazy("Extend by (days)"),
        min_value=1,
        max_value=PETITION_EXTENSION_MAX_DAYS,
        initial=PETITION_EXTENSION_MAX_DAYS,
    )
    notice = forms.CharField(
        label=gettext_lazy("Notice to the resident"),
        help_text=gettext_lazy("The law requires telling the resident why, before the term ends."),
        widget=TEXT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_templates("notice", self.case.status)

    @classmethod
    def offered(cls, user: User, case: Case) -> bool:
        return (
            super().offered(user, case)
            and case.status in {Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING}
            and case.legal_due is not None
            and case.legal_extended_days == 0
            # An administrative complaint's 15 days (Law 544/2001 art. 21) are not extended.
            and case.contests_id is None
        )

    def submit(self) -> str:
        case = services.extend_deadline(
            case_id=self.case.pk,
            actor=self.user,
            days=self.cleaned_data["days"],
            notice=self.cleaned_data["notice"],
            seen=self.seen_value,
        )
        assert case.legal_due is not None and case.internal_due is not None
        return _(
            "The legal deadline of case %(number)s is now %(date)s; the answer is due by %(due)s."
        ) % {
            "number": case.number,
            "date": date_format(case.legal_due, "d.m.Y"),
            "due": date_format(case.internal_due, "d.m.Y"),
        }


class AttachForm(CardForm):
    name = "attach"
    heading = gettext_lazy("Attach a document")
    button = gettext_lazy("Attach")
    needs = (Permission.ATTACH,)
    multipart = True
    file = forms.FileField(
        label=gettext_lazy("Document"), help_text=gettext_lazy("A photo (JPEG, PNG, WebP) or PDF.")
    )
    public = forms.BooleanField(
        label=gettext_lazy("Publish it with the case (the resident sees it)"), required=False
    )

    def submit(self) -> str:
        upload = self.cleaned_data["file"]
        attachment = services.add_attachment(
            case_id=self.case.pk,
            actor=self.user,
            upload=Upload(name=upload.name, content=upload.read()),
            public=self.cleaned_data["public"],
            seen=self.seen_value,
        )
        return _("%(name)s was attached to case %(number)s.") % {
            "name": attachment.original_name,
            "number": self.case.number,
        }


class StatusForm(CardForm):
    """Accept, start, wait, resume, resolve, close, answer at first contact, reopen or cancel."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    action: Action
    # The actions that need a text, and what the text is; the others are a button alone.
    texts: dict[Action, Any] = {
        Action.WAIT: gettext_lazy("What or whom the case is waiting for"),
        Action.RESOLVE: gettext_lazy("Answer to the resident"),
        Action.ANSWER_ON_SPOT: gettext_lazy("Answer given"),
        Action.REOPEN: gettext_lazy("Why the case is reopened"),
        Action.CANCEL: gettext_lazy("Why the registration was a mistake"),
    }
    # The actions whose text goes to the resident, and may start from a model answer.
    to_resident = frozenset({Action.WAIT, Action.RESOLVE, Action.ANSWER_ON_SPOT})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.action in self.texts:
            self.fields["text"].label = self.texts[self.action]
        else:
            del self.fields["text"]
        if self.action == Action.RESOLVE:
            add_answer_fields(self, self.case)
        if self.action in self.to_resident:
            try:
                steps = path_for(self.action, case=self.case, status=self.case.status_enum)
            except DomainError:
                return  # a form redrawn on a case that moved on offers no model answers
            answers = self.action in {Action.RESOLVE, Action.ANSWER_ON_SPOT}
            self.offer_templates("text", steps[-1].target, answers=answers)
        if self.action == Action.RESOLVE:
            # The outcome first: the model answers offered follow it.
            self.order_fields(["outcome", "legal_basis", "template", "text"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = self.cleaned_data.get("template") or ""
        states = self.template_outcomes.get(chosen, "")
        outcome = self.cleaned_data.get("outcome") or ""
        if states and outcome and states != outcome:
            self.add_error(
                "template",
                _("This model answer states another outcome than the one chosen (%(outcome)s).")
                % {"outcome": Outcome(outcome).label},
            )
        return data

    def submit(self) -> str:
        text = self.cleaned_data.get("text", "")
        seen = self.seen_value
        if self.action == Action.ACCEPT:
            case = services.accept(case_id=self.case.pk, actor=self.user, seen=seen)
            return _("You accepted case %(number)s.") % {"number": case.number}
        if self.action == Action.REOPEN:
            case = services.reopen(case_id=self.case.pk, actor=self.user, reason=text, seen=seen)
        elif self.action == Action.CANCEL:
            case = services.cancel_registration(
                case_id=self.case.pk, actor=self.user, reason=text, seen=seen
            )
        else:
            case = services.change_status(
                case_id=self.case.pk,
                actor=self.user,
                action=self.action,
                text=text,
                decision=self.decision,
                seen=seen,
            )
        return _("Case %(number)s is now %(status)s.") % {
            "number": self.case.number,
            "status": Status(case.status).label,
        }

    @property
    def decision(self) -> services.Decision | None:
        """What an answer decides; other moves decide nothing."""
        if self.action != Action.RESOLVE:
            return None
        return answer_decision(self.cleaned_data)


def status_form(for_action: Action, label: Any) -> type[StatusForm]:
    class Form(StatusForm):
        action = for_action
        name = for_action.value
        heading = for_action.label
        button = label
        needs = (for_action,)

    return Form


class AcceptForm(StatusForm):
    action = Action.ACCEPT
    name = Action.ACCEPT.value
    heading = gettext_lazy("Accept the case")
    button = gettext_lazy("Accept")
    needs = (Action.ACCEPT,)

    @classmethod
    def offered(cls, user: User, case: Case) -> bool:
        return case.assignee_id is None and super().offered(user, case)
