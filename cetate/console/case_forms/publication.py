"""The summary the public reads of a case, where its category shows a summary."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.accounts.models import User
from cetate.cases import publication, services
from cetate.cases.models import Case
from cetate.cases.services.publication import SUMMARY_LIMIT
from cetate.cases.workflow import Permission
from cetate.console.case_forms.base import CardForm
from cetate.directory.models import PublicText


class PublishSummaryForm(CardForm):
    name = "publish"
    heading = gettext_lazy("Summary for the public")
    button = gettext_lazy("Publish the summary")
    needs = (Permission.PUBLISH,)
    text = forms.CharField(
        label=gettext_lazy("What the public reads of this report"),
        help_text=gettext_lazy(
            "Shown on the public map, in Open311 and to webhooks instead of the resident's "
            "words. Describe the problem, not the people: no names, house numbers or contact "
            "details. Empty the text to withdraw it."
        ),
        required=False,
        max_length=SUMMARY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].initial = self.case.public_summary

    @classmethod
    def offered(cls, user: User, case: Case) -> bool:
        """Where the public may read a summary of the case, or one is published to withdraw."""
        shows_summary = (
            case.category is not None
            and case.category.public_text == PublicText.SUMMARY
            and publication.is_public(case)
        )
        return (shows_summary or bool(case.public_summary)) and super().offered(user, case)

    def submit(self) -> str:
        case = services.publish_summary(
            case_id=self.case.pk,
            actor=self.user,
            text=self.cleaned_data["text"],
            seen=self.seen_value,
        )
        if case.public_summary:
            return _("The summary of case %(number)s is published.") % {"number": case.number}
        return _("The summary of case %(number)s is withdrawn.") % {"number": case.number}
