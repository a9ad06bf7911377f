"""What every form of the case card shares.

Every form carries `seen`, the number of the case's last event when the page was drawn, so
that a change made meanwhile by someone else is refused rather than overwritten (the services
raise StaleCase). Forms are prefixed by their action's name: a page holds many of them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _

from cetate.accounts.access import case_roles, visible_cases
from cetate.accounts.models import User
from cetate.cases import services
from cetate.cases.answer_templates import filled, templates_for
from cetate.cases.models import Case
from cetate.cases.workflow import Action, Permission, roles_allowed
from cetate.directory.models import ANSWER_PURPOSES, ResponseTemplate, TemplatePurpose
from cetate.triage.duplicates import Candidate, similar_cases

TEXT = forms.Textarea(attrs={"rows": 3})


class CardForm(forms.Form):
    """What every form of the card shares: the case, the user, and what the user saw.

    Each form names its action (`name`, also its prefix and the `action` it posts), its
    heading and button, and what the workflow must allow for it (`needs`).
    """

    name: str
    heading: Any  # lazy text: read when a page is drawn, in its language
    button: Any
    needs: tuple[Action | Permission, ...]
    multipart = False

    seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.name)
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user
        # Model answers offered for the form's text, by template id, filled in from the case,
        # and the outcome each answer states ("" for any).
        self.templates: dict[str, str] = {}
        self.template_outcomes: dict[str, str] = {}
        self.filled_from_template = False
        # What submit() did not do and the user must know, shown beside its success message.
        self.warnings: list[str] = []

    def offer_templates(self, text_field: str, status: str, *, answers: bool = False) -> None:
        """Let the user start `text_field` from a response template for `status`: only
        answers when `answers` (each marked with the outcome it states), otherwise messages.

        Scripts fill the text as soon as a template is chosen. Without them, sending the form
        with a template chosen and the text empty fills the text in and asks for a review.
        """
        templates = list(templates_for(self.case, status, answers=answers))
        if not templates:
            return
        self.templates = {str(t.pk): filled(t, self.case, self.user) for t in templates}
        self.template_outcomes = {str(t.pk): ANSWER_PURPOSES.get(t.serves, "") for t in templates}
        target = self[text_field].auto_id
        choices: list[tuple[str, Any]] = [("", "—")]
        if answers:
            choices += _by_outcome(templates)
        else:
            choices += [(str(t.pk), t.name) for t in templates]
        self.fields["template"] = forms.ChoiceField(
            label=_("Start from a model answer"),
            required=False,
            choices=choices,
            help_text=(
                _(
                    "Only the model answers fitting the outcome chosen are offered. Its text "
                    "is filled in below, to review and complete before sending."
                )
                if answers
                else _("Its text is filled in below, to review and complete before sending.")
            ),
            widget=TemplateSelect(
                outcomes=self.template_outcomes,
                attrs={
                    "data-fills": target,
                    "data-answers": self.template_script_id,
                    "data-replace": _("Replace the text already written with the model answer?"),
                },
            ),
        )
        self.order_fields(["template", text_field])
        if not self.is_bound:
            return
        chosen = self.data.get(self.add_prefix("template"), "")
        text_key = self.add_prefix(text_field)
        if chosen in self.templates and not self.data.get(text_key, "").strip():
            data = QueryDict(mutable=True)
            data.update(self.data)
            data[text_key] = self.templates[chosen]
            self.data = data
            self.filled_from_template = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.filled_from_template:
            raise forms.ValidationError(
                _("The model answer was filled in: review the text, then send it.")
            )
        return data

    @classmethod
    def permitted(cls, user: User, case: Case) -> bool:
        """Whether the user's role on this case allows the action at all, whatever the status."""
        roles = case_roles(user, case)
        return any(roles & roles_allowed(what) for what in cls.needs)

    @classmethod
    def offered(cls, user: User, case: Case) -> bool:
        """Whether the form is shown now: the workflow allows it from the case's status."""
        return any(services.may(user, case, what) for what in cls.needs)

    def submit(self) -> str:
        """Call the case service; the message to show when it succeeded."""
        raise NotImplementedError

    @property
    def template_script_id(self) -> str:
        return f"{self.name}-model-answers"

    @property
    def seen_value(self) -> int:
        seen: int = self.cleaned_data["seen"]
        return seen


class TemplateSelect(forms.Select):
    """The model answers, each option saying the outcome it states (`data-outcome`), for the
    case card's script to offer only those fitting the outcome chosen."""

    def __init__(self, *, outcomes: dict[str, str], attrs: dict[str, Any]) -> None:
        super().__init__(attrs=attrs)
        self.outcomes = outcomes

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        key = str(option["value"])
        if key in self.outcomes:
            option["attrs"]["data-outcome"] = self.outcomes[key]
        return option


def _by_outcome(templates: list[ResponseTemplate]) -> list[tuple[str, Any]]:
    """The answers grouped by the outcome they state, those for any outcome first."""
    groups: list[tuple[str, Any]] = []
    for purpose in ANSWER_PURPOSES:
        members = [(str(t.pk), t.name) for t in templates if t.serves == purpose]
        if members:
            groups.append((str(TemplatePurpose(purpose).label).capitalize(), members))
    return groups


def case_by_number(user: User, number: str) -> Case:
    """The case numbered `number` (e.g. "12/2026") among those `user` may see."""
    registration, _slash, year = number.replace(" ", "").partition("/")
    if not (registration.isdigit() and year.isdigit()):
        raise forms.ValidationError(
            _("Write the number as number/year, e.g. 12/2026."), code="format"
        )
    found = (
        visible_cases(user)
        .filter(registration_number=int(registration), registration_year=int(year))
        .first()
    )
    if found is None:
        raise forms.ValidationError(
            _("There is no case %(number)s among those you can see.") % {"number": number}
        )
    return found


def suggestions(case: Case) -> list[Candidate]:
    """The cases the card's case may repeat, searched once for every form that offers them
    (merging the same resident's, linking other residents'): kept on the case object the card
    was drawn from, so it lasts one request."""
    found: list[Candidate] | None = getattr(case, "_similar_cases", None)
    if found is None:
        found = similar_cases(case)
        case._similar_cases = found  # type: ignore[attr-defined]
    return found


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices
