"""An officer's worklist: the cases of their departments, nearest deadline first.

Department heads also hand cases to their officers here, many at once. The form posts the
ticked cases; each is assigned or refused on its own, and the page says which and why.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from cetate.accounts.access import visible_cases
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import DepartmentMembership, User
from cetate.accounts.roles import Role, roles_of
from cetate.cases import services
from cetate.cases.services import BulkResult
from cetate.console.filters import CaseFilters, worklist_listing
from cetate.directory.lookup import work_calendar
from cetate.lib import clock

# The worklist always shows the nearest deadline first.
WORKLIST_ORDER = "due"


class CaseIds(forms.Field):
    """The ticked cases: one `case` value per checkbox."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        try:
            return [int(item) for item in value or []]
        except (TypeError, ValueError) as error:
            raise ValidationError(_("The selection of cases could not be read.")) from error

    def validate(self, value: list[int]) -> None:
        if not value:
            raise ValidationError(_("Tick the cases to assign."))


class BulkAssignForm(forms.Form):
    case = CaseIds()
    assignee = forms.ChoiceField(label=gettext_lazy("Assign the ticked cases to"))
    note = forms.CharField(
        label=gettext_lazy("Note for the officer (optional)"), max_length=1000, required=False
    )

    def __init__(self, data: QueryDict | None = None, *, user: User) -> None:
        # The filters above the list have their own officer field: ids must not clash.
        super().__init__(data, auto_id="bulk-%s")
        self.officers = _officers_of(user)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ChoiceField)
        assignee.choices = [
            ("", _("choose an officer")),
            *[(key, str(officer)) for key, officer in self.officers.items()],
        ]


def _officers_of(user: User) -> dict[str, User]:
    """The active members of the user's departments, by name."""
    members = DepartmentMembership.objects.filter(
        department_id__in=user.department_ids(), user__is_active=True
    ).select_related("user")
    people = {m.user.pk: m.user for m in members}
    named = sorted(people.values(), key=lambda person: (str(person).casefold(), person.pk))
    return {str(person.pk): person for person in named}


def _headed(user: User) -> set[int]:
    """The departments whose cases the user hands out."""
    if Role.DEPARTMENT_HEAD not in roles_of(user):
        return set()
    return user.department_ids(heads_only=True)


@staff_required
@require_http_methods(["GET", "POST"])
def worklist(request: HttpRequest) -> HttpResponse:
    """The cases of the user's departments, filtered, nearest deadline first."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        return _assign_ticked(request, user)
    data = request.GET.copy()
    data["sort"] = WORKLIST_ORDER
    filters = CaseFilters(data, user=user)
    now = clock.now()
    listing = worklist_listing(filters, user, now, work_calendar(), page=request.GET.get("page"))
    headed = _headed(user)
    context = {
        "filters": filters,
        "listing": listing,
        "list_url": request.path,
        "headed": headed,
        "bulk": BulkAssignForm(user=user) if headed else None,
    }
    if request.htmx and not request.htmx.history_restore_request:  # type: ignore[attr-defined]
        return render(request, "console/_worklist_results.html", {**context, "swap": True})
    return render(request, "console/worklist.html", context)


def _assign_ticked(request: HttpRequest, user: User) -> HttpResponse:
    form = BulkAssignForm(request.POST, user=user)
    back = _back_to_list(request.POST.get("query", ""))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return HttpResponseRedirect(back)
    ticked = form.cleaned_data["case"]
    # Cases outside the user's departments are neither touched nor named.
    mine = list(visible_cases(user).filter(pk__in=ticked).values_list("pk", flat=True))
    officer = form.officers[form.cleaned_data["assignee"]]
    result = services.assign_many(
        case_ids=[pk for pk in ticked if pk in set(mine)],
        actor=user,
        assignee=officer,
        note=form.cleaned_data["note"],
    )
    _report(request, result, officer, unseen=len(set(ticked)) - len(mine))
    return HttpResponseRedirect(back)


def _report(request: HttpRequest, result: BulkResult, officer: User, *, unseen: int) -> None:
    """One message: how many were assigned, and each refusal with its reason."""
    done = len(result.done)
    summary = ngettext(
        "%(count)d case assigned to %(officer)s",
        "%(count)d cases assigned to %(officer)s",
        done,
    ) % {"count": done, "officer": officer}
    refused = [f"{o.number} — {o.reason.rstrip('.')}" for o in result.refused]
    if unseen:
        refused.append(
            ngettext(
                "%(count)d case outside your departments — left as it was",
                "%(count)d cases outside your departments — left as they were",
                unseen,
            )
            % {"count": unseen}
        )
    if not refused:
        messages.success(request, summary + ".")
        return
    count = len(result.refused) + unseen
    messages.warning(
        request,
        ngettext(
            "%(summary)s; %(count)d refused: %(reasons)s.",
            "%(summary)s; %(count)d refused: %(reasons)s.",
            count,
        )
        % {"summary": summary, "count": count, "reasons": "; ".join(refused)},
    )


def _back_to_list(query: str) -> str:
    """The worklist under the filters it was sent from (re-encoded: never a foreign URL)."""
    filters = QueryDict(query).urlencode()
    url = reverse("console:worklist")
    return f"{url}?{filters}" if filters else url
