"""A complaint to the court against the answer to a public-information request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.accounts.models import User
from cetate.cases import services
from cetate.cases.choices import CourtRuling, Kind
from cetate.cases.models import Case
from cetate.cases.workflow import Permission, Status
from cetate.console.case_forms.base import CardForm
from cetate.console.filters import DateInput


class CourtComplaintForm(CardForm):
    name = "court"
    heading = gettext_lazy("Complaint to the court")
    button = gettext_lazy("Record the complaint to the court")
    needs = (Permission.RECORD_COURT_RULING,)
    filed_on = forms.DateField(
        label=gettext_lazy("Filed on"),
        help_text=gettext_lazy(
            "The day the requester filed the complaint against this answer (Law 544/2001, art. 22)."
        ),
        widget=DateInput(),
        error_messages={"invalid": gettext_lazy("Enter a date such as 2026-03-31.")},
    )
    ruling = forms.ChoiceField(
        label=gettext_lazy("Court's ruling"),
        choices=CourtRuling.choices,
        initial=CourtRuling.PENDING,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.case.court_filed_on:
            self.fields["filed_on"].initial = self.case.court_filed_on
            self.fields["ruling"].initial = self.case.court_ruling or CourtRuling.PENDING

    @classmethod
    def offered(cls, user: User, case: Case) -> bool:
        """On public-information requests, for those who answer for the city's decisions."""
        return (
            case.kind == Kind.INFORMATION
            and case.status not in {Status.CANCELLED, Status.MERGED}
            and super().offered(user, case)
        )

    def submit(self) -> str:
        case = services.record_court_complaint(
            case_id=self.case.pk,
            actor=self.user,
            filed_on=self.cleaned_data["filed_on"],
            ruling=self.cleaned_data["ruling"],
            seen=self.seen_value,
        )
        return _("The complaint to the court against case %(number)s is recorded: %(ruling)s.") % {
            "number": case.number,
            "ruling": CourtRuling(case.court_ruling).label,
        }
