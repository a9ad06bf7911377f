"""The forms of linked cases: link a report of the same problem by another resident, remove a
link, and resolve a case sending its answer to the linked cases too."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cetate.accounts.access import visible_cases
from cetate.accounts.models import User
from cetate.cases import services
from cetate.cases.models import Case, linked_cases
from cetate.cases.workflow import OPEN_STATUSES, Action, Permission, Status
from cetate.console.case_forms.base import (
    TEXT,
    CardForm,
    case_by_number,
    set_choices,
    suggestions,
)
from cetate.console.case_forms.work import StatusForm


class LinkForm(CardForm):
    name = "link"
    heading = gettext_lazy("Link a report of the same problem by another resident")
    button = gettext_lazy("Link")
    needs = (Permission.LINK,)
    other = forms.ChoiceField(
        label=gettext_lazy("Suggested reports by other residents"),
        required=False,
        widget=forms.RadioSelect,
    )
    number = forms.CharField(
        label=gettext_lazy("Or link case number"),
        help_text=gettext_lazy(
            "Number/year, e.g. 12/2026. Each case keeps its number, resident, deadlines and "
            "tracking page; the answer can be sent to both."
        ),
        required=False,
        max_length=20,
    )
    reason = forms.CharField(
        label=gettext_lazy("Why it is the same problem"),
        help_text=gettext_lazy("Internal: the residents do not see it."),
        required=False,
        widget=TEXT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        linked = set(linked_cases(self.case).values_list("pk", flat=True))
        self.candidates = [
            c for c in suggestions(self.case) if not c.may_merge and c.case.pk not in linked
        ]
        set_choices(self, "other", [(str(c.case.pk), c.case.number) for c in self.candidates])

    @classmethod
    def offered(cls, user: User, case: Case) -> bool:
        return case.status not in {Status.CANCELLED, Status.MERGED} and super().offered(user, case)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen, number = data.get("other"), (data.get("number") or "").strip()
        if chosen and number:
            raise forms.ValidationError(_("Choose a suggested case or type a number, not both."))
        if not chosen and not number:
            raise forms.ValidationError(_("Choose the case to link."))
        if number:
            data["target"] = case_by_number(self.user, number)
        else:
            data["target"] = next(c.case for c in self.candidates if str(c.case.pk) == chosen)
        return data

    def submit(self) -> str:
        target: Case = self.cleaned_data["target"]
        services.link_cases(
            case_id=self.case.pk,
            other_case_id=target.pk,
            actor=self.user,
            reason=self.cleaned_data["reason"],
            seen=self.seen_value,
        )
        return _("Case %(number)s is now linked to case %(other)s.") % {
            "number": self.case.number,
            "other": target.number,
        }


class UnlinkForm(CardForm):
    """Drawn beside each linked case on the card, not among the actions."""

    name = "unlink"
    heading = gettext_lazy("Remove the link")
    button = gettext_lazy("Unlink")
    needs = (Permission.LINK,)
    other = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def offered(cls, user: User, case: Case) -> bool:
        return False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        other = data.get("other")
        target = visible_cases(self.user).filter(pk=other).first() if other else None
        if target is None:
            raise forms.ValidationError(_("There is no such case among those you can see."))
        data["target"] = target
        return data

    def submit(self) -> str:
        target: Case = self.cleaned_data["target"]
        services.unlink_cases(
            case_id=self.case.pk, other_case_id=target.pk, actor=self.user, seen=self.seen_value
        )
        return _("Case %(number)s is no longer linked to case %(other)s.") % {
            "number": self.case.number,
            "other": target.number,
        }


def _linked_label(case: Case) -> str:
    parts = [case.number, str(Status(case.status).label)]
    if case.category is not None:
        parts.append(case.category.full_label)
    return " – ".join(parts)


class ResolveForm(StatusForm):
    """Resolve, with the answer sent also to the linked open cases the officer ticks."""

    action = Action.RESOLVE
    name = Action.RESOLVE.value
    heading = Action.RESOLVE.label
    button = gettext_lazy("Resolve")
    needs = (Action.RESOLVE,)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.linked = {
            str(other.pk): other
            for other in linked_cases(self.case)
            .filter(status__in=sorted(OPEN_STATUSES))
            .select_related("category__parent")
            .order_by("registration_year", "registration_number")
        }
        if self.linked:
            self.fields["also"] = forms.MultipleChoiceField(
                label=_("Send this answer also to the linked cases"),
                help_text=_(
                    "Each case ticked is resolved with the same answer, and its resident is "
                    "told on their own case."
                ),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(key, _linked_label(other)) for key, other in self.linked.items()],
            )

    def submit(self) -> str:
        also = [self.linked[key].pk for key in self.cleaned_data.get("also", [])]
        if not also:
            return super().submit()
        result = services.resolve_together(
            case_id=self.case.pk,
            actor=self.user,
            answer=self.cleaned_data["text"],
            linked_case_ids=also,
            decision=self.decision,
            seen=self.seen_value,
        )
        for refused in result.refused:
            self.warnings.append(
                _("Case %(number)s was not resolved: %(reason)s")
                % {"number": refused.number, "reason": refused.reason}
            )
        done = [outcome.number for outcome in result.done]
        if not done:
            return _("Case %(number)s is now resolved.") % {"number": self.case.number}
        return ngettext(
            "Case %(number)s is now resolved; the same answer went to case %(others)s.",
            "Case %(number)s is now resolved; the same answer went to cases %(others)s.",
            len(done),
        ) % {"number": self.case.number, "others": ", ".join(done)}
