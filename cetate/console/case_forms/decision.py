"""The fields of the decision an answer records: its outcome, the legal basis it states, the
subject area of a public-information request and, past the term, the reason for the delay.

The legal bases are offered grouped by outcome, only those that fit the case's kind; the case
service checks again that the basis chosen fits the outcome chosen.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from cetate.cases.choices import InformationTopic, Kind, Outcome
from cetate.cases.deadlines import CITY_TZ, refusal_deadline
from cetate.cases.models import Case
from cetate.cases.services import Decision, bases_for
from cetate.directory.lookup import work_calendar
from cetate.directory.models import LegalBasis
from cetate.lib import clock

ANSWERED = (Outcome.GRANTED, Outcome.PARTLY_GRANTED, Outcome.REFUSED)


def basis_label(basis: LegalBasis) -> str:
    return f"{basis.citation} – {basis.label}"


def basis_choices(case: Case, outcomes: tuple[Outcome, ...]) -> list[tuple[str, Any]]:
    """The bases for `case`, grouped by outcome when there are several."""
    groups = [
        (
            str(outcome.label).capitalize(),
            [(b.code, basis_label(b)) for b in bases_for(case, outcome)],
        )
        for outcome in outcomes
    ]
    if len(groups) == 1:
        return [("", "—"), *groups[0][1]]
    return [("", "—"), *[(label, choices) for label, choices in groups if choices]]


def add_answer_fields(form: forms.Form, case: Case) -> None:
    """The fields of an answer's decision, added to `form` (after its own)."""
    form.fields["outcome"] = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(outcome.value, outcome.label) for outcome in ANSWERED],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome of the answer.")},
    )
    form.fields["legal_basis"] = forms.ChoiceField(
        label=_("Legal basis"),
        choices=basis_choices(case, ANSWERED),
        help_text=_("Stated in the answer; choose one under the outcome chosen above."),
        error_messages={"required": _("Choose the legal basis the answer states.")},
    )
    if case.kind == Kind.INFORMATION:
        form.fields["information_topic"] = forms.ChoiceField(
            label=_("Subject area of the request"),
            choices=[("", "—"), *InformationTopic.choices],
            help_text=_("Counted in the yearly report of Law 544/2001."),
            error_messages={"required": _("Choose the subject area of the request.")},
        )
    if _late_possible(case):
        form.fields["late_reason"] = forms.CharField(
            label=_("Reason for the delay"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_(
                "The term has passed: say why the answer comes late. Required for a refusal "
                "of public information given after its 5 days (Law 544/2001, art. 7 (2))."
            ),
        )


def answer_decision(data: dict[str, Any]) -> Decision:
    return Decision(
        outcome=data.get("outcome") or "",
        legal_basis=data.get("legal_basis") or None,
        information_topic=data.get("information_topic") or "",
        late_reason=data.get("late_reason") or "",
    )


def add_filing_field(form: forms.Form, case: Case) -> None:
    """The basis a rejection states; none chosen: OG 27/2002 art. 7, where it fits."""
    choices = basis_choices(case, (Outcome.FILED,))
    if len(choices) > 1:
        form.fields["legal_basis"] = forms.ChoiceField(
            label=_("Legal basis"),
            choices=choices,
            required=False,
            help_text=_("Stated in the notice; none chosen: OG 27/2002, art. 7 (anonymous)."),
        )


def _late_possible(case: Case) -> bool:
    """Whether an answer given today could come after its term."""
    today = clock.now().astimezone(CITY_TZ).date()
    if case.legal_due is not None and today > case.legal_due:
        return True
    if case.kind != Kind.INFORMATION:
        return False
    registered_on = case.registered_at.astimezone(CITY_TZ).date()
    return today > refusal_deadline(registered_on, work_calendar())
