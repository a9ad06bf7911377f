"""Joining the resident's contact with a known one, once staff checked they are one person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cetate.accounts.models import User
from cetate.cases.models import Case
from cetate.cases.workflow import Permission
from cetate.console.case_forms.base import CardForm, set_choices
from cetate.contacts.models import Contact
from cetate.contacts.services import merge_contacts, same_person_candidates


def _describe(contact: Contact) -> str:
    details = ", ".join(
        part
        for part in (contact.name, contact.email, contact.phone, contact.postal_address)
        if part
    )
    cases = contact.cases.count()
    return ngettext("%(details)s (%(cases)d case)", "%(details)s (%(cases)d cases)", cases) % {
        "details": details,
        "cases": cases,
    }


class SamePersonForm(CardForm):
    name = "same_person"
    heading = gettext_lazy("Same person as a known resident?")
    button = gettext_lazy("Join the contacts")
    needs = (Permission.MERGE_CONTACTS,)
    other = forms.ChoiceField(
        label=gettext_lazy("Known resident with the same email or phone"),
        help_text=gettext_lazy(
            "Join them only after the resident confirmed who they are (on a call or at the "
            "desk): anyone can type another person's email or phone. Their cases are then "
            "listed together, and each case records the join."
        ),
        widget=forms.RadioSelect,
    )
    checked = forms.BooleanField(
        label=gettext_lazy("I checked that they are the same person"),
        error_messages={"required": gettext_lazy("Confirm that you checked who they are.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reporter = self.case.reporter
        self.candidates = {c.pk: c for c in same_person_candidates(reporter)} if reporter else {}
        set_choices(self, "other", [(str(pk), _describe(c)) for pk, c in self.candidates.items()])

    @classmethod
    def offered(cls, user: User, case: Case) -> bool:
        return (
            super().offered(user, case)
            and case.reporter is not None
            and bool(same_person_candidates(case.reporter))
        )

    def submit(self) -> str:
        assert self.case.reporter is not None
        other = self.candidates[int(self.cleaned_data["other"])]
        # The contact the city knew first stays; the newer one points at it.
        keep, duplicate = sorted([self.case.reporter, other], key=lambda contact: contact.pk)
        kept = merge_contacts(keep=keep, duplicate=duplicate, actor=self.user)
        return _("The contacts are joined: the case's resident is now %(name)s.") % {
            "name": str(kept)
        }
