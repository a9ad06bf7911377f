"""The register's details of a case: the sender's own number and date, pages, annexes, and the
file of the archival nomenclature it is kept in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.cases import services
from cetate.cases.services.register import MOST_PAGES, SENDER_REFERENCE_LIMIT
from cetate.cases.workflow import Permission
from cetate.console.case_forms.base import CardForm
from cetate.directory.models import FileCode


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class RegisterDetailsForm(CardForm):
    name = "register"
    heading = gettext_lazy("Register details")
    button = gettext_lazy("Save the register details")
    needs = (Permission.EDIT,)
    sender_reference = forms.CharField(
        label=gettext_lazy("Sender's number"),
        help_text=gettext_lazy("The number an institution gave its letter, if it has one."),
        max_length=SENDER_REFERENCE_LIMIT,
        required=False,
    )
    sender_reference_date = forms.DateField(
        label=gettext_lazy("Sender's date"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": gettext_lazy("Enter a date such as 2026-03-31.")},
    )
    pages = forms.IntegerField(
        label=gettext_lazy("Pages"), required=False, min_value=0, max_value=MOST_PAGES
    )
    annexes = forms.IntegerField(
        label=gettext_lazy("Annexes"), required=False, min_value=0, max_value=MOST_PAGES
    )
    file_code = forms.ModelChoiceField(
        label=gettext_lazy("File code"),
        queryset=FileCode.objects.all(),
        required=False,
        empty_label="—",
        help_text=gettext_lazy("Set from the category; change it only if the file differs."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.case
        self.initial.update(
            sender_reference=case.sender_reference,
            sender_reference_date=case.sender_reference_date,
            pages=case.pages,
            annexes=case.annexes,
            file_code=case.file_code_id,
        )

    def submit(self) -> str:
        data = self.cleaned_data
        services.record_register_details(
            case_id=self.case.pk,
            actor=self.user,
            sender_reference=data["sender_reference"],
            sender_reference_date=data["sender_reference_date"],
            pages=data["pages"],
            annexes=data["annexes"],
            file_code=data["file_code"],
            seen=self.seen_value,
        )
        return _("The register details of case %(number)s were saved.") % {
            "number": self.case.number
        }
