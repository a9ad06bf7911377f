"""Joining the resident's contact with a known one, once staff checked they are one person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cetate.accounts.models import User
from cetate.cases.models import Case
from cetate.cases.workflow import Permission
from cetate.console.case_forms.base import CardForm, set_choices
from cetate.contacts.models import Contact
from cetate.contacts.services import join_same_person, same_person_candidates


def _describe(contact: Contact, cases: int) -> str:
    details = ", ".join(
        part
        for part in (contact.name, contact.email, contact.phone, contact.postal_address)
        if part
    )
    return ngettext("%(details)s (%(cases)d case)", "%(details)s (%(cases)d cases)", cases) % {
        "details": details,
        "cases": cases,
    }


def _candidates(case: Case) -> list[Contact]:
    """The reporter's possible other contacts, looked up once for the card's case object."""
    found: list[Contact] | None = getattr(case, "_same_person_candidates", None)
    if found is None:
        found = same_person_candidates(case.reporter) if case.reporter else []
        case._same_person_candidates = found  # type: ignore[attr-defined]
    return found


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
        self.candidates = {c.pk: c for c in _candidates(self.case)}
        counts = dict(
            Case.objects.filter(reporter__in=list(self.candidates))
            .values("reporter")
            .annotate(n=Count("pk"))
            .values_list("reporter", "n")
        )
        set_choices(
            self,
            "other",
            [(str(pk), _describe(c, counts.get(pk, 0))) for pk, c in self.candidates.items()],
        )

    @classmethod
    def offered(cls, user: User, case: Case) -> bool:
        return super().offered(user, case) and bool(_candidates(case))

    def submit(self) -> str:
        assert self.case.reporter is not None
        other = self.candidates[int(self.cleaned_data["other"])]
        kept = join_same_person(contact=self.case.reporter, other=other, actor=self.user)
        return _("The contacts are joined: the case's resident is now %(name)s.") % {
            "name": str(kept)
        }
