"""The supervisor's page: the day's figures, where the late cases are, the late cases, and the
cases residents say are not solved.

Late cases are re-routed here in bulk: to a department (their deadlines go with them) and,
optionally, to one of its officers. Each ticked case is sent or refused on its own, and one
message says how many went and why the others did not.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from cetate.accounts.decorators import staff_required
from cetate.accounts.models import DepartmentMembership, User
from cetate.cases import services
from cetate.cases.services import BulkResult
from cetate.console.supervision import (
    SupervisionFilters,
    access_supervision,
    late_listing,
    not_solved,
    overview,
    supervision_url,
)
from cetate.console.views.worklist import CaseIds
from cetate.directory.lookup import work_calendar
from cetate.directory.models import Department
from cetate.lib import clock
from cetate.ops.health import stuck


class BulkRerouteForm(forms.Form):
    case = CaseIds()
    department = forms.ModelChoiceField(
        label=gettext_lazy("Send the ticked cases to"),
        queryset=Department.objects.filter(is_active=True, kind=Department.Kind.INTERNAL),
        empty_label=gettext_lazy("choose a department"),
    )
    assignee = forms.ChoiceField(label=gettext_lazy("Officer (optional)"), required=False)
    note = forms.CharField(
        label=gettext_lazy("Note for the department (optional)"), max_length=1000, required=False
    )

    def __init__(self, data: QueryDict | None = None) -> None:
        # Ids of its own: the list's filters beside it have a department field too.
        super().__init__(data, auto_id="reroute-%s")
        self.officers, grouped = _officers_by_department()
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ChoiceField)
        assignee.choices = [("", _("nobody yet: the department hands them out")), *grouped]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        department, chosen = cleaned.get("department"), cleaned.get("assignee")
        if department is not None and chosen:
            officer, departments = self.officers[chosen]
            if department.pk not in departments:
                self.add_error(
                    "assignee",
                    _("%(officer)s is not a member of %(department)s.")
                    % {"officer": officer, "department": department},
                )
        return cleaned

    @property
    def officer(self) -> User | None:
        chosen = self.cleaned_data.get("assignee")
        return self.officers[chosen][0] if chosen else None


def _officers_by_department() -> tuple[dict[str, tuple[User, set[int]]], list[tuple[str, Any]]]:
    """The active officers with their departments, and the choices grouped by department."""
    members = (
        DepartmentMembership.objects.filter(
            user__is_active=True,
            department__is_active=True,
            department__kind=Department.Kind.INTERNAL,
        )
        .select_related("user", "department")
        .order_by("department_id", "user_id")
    )
    officers: dict[str, tuple[User, set[int]]] = {}
    groups: dict[Department, list[User]] = {}
    for membership in members:
        key = str(membership.user_id)
        officers.setdefault(key, (membership.user, set()))[1].add(membership.department_id)
        groups.setdefault(membership.department, []).append(membership.user)
    grouped: list[tuple[str, Any]] = []
    for department in sorted(groups, key=lambda d: d.label.casefold()):
        people = sorted(groups[department], key=lambda person: str(person).casefold())
        grouped.append((department.label, [(str(person.pk), str(person)) for person in people]))
    return officers, grouped


@staff_required
@require_http_methods(["GET", "POST"])
def supervision(request: HttpRequest) -> HttpResponse:
    """The day's figures, the late cases by department and category and in a list, and the
    cases whose residents say they are not solved."""
    user: User = request.user  # type: ignore[assignment]
    access_supervision(user)
    if request.method == "POST":
        return _reroute_ticked(request, user)
    now = clock.now()
    filters = SupervisionFilters(request.GET, user=user)
    listing = late_listing(filters, user, now, work_calendar(), page=request.GET.get("page"))
    context: dict[str, Any] = {"filters": filters, "listing": listing, "list_url": request.path}
    if request.htmx and not request.htmx.history_restore_request:  # type: ignore[attr-defined]
        return render(request, "console/_supervision_results.html", {**context, "swap": True})
    context.update(
        overview=overview(now),
        not_solved=not_solved(),
        stuck=stuck(),
        bulk=BulkRerouteForm(),
    )
    return render(request, "console/supervision.html", context)


def _reroute_ticked(request: HttpRequest, user: User) -> HttpResponse:
    form = BulkRerouteForm(request.POST)
    back = _back_to_list(request.POST.get("query", ""))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return HttpResponseRedirect(back)
    department: Department = form.cleaned_data["department"]
    officer = form.officer
    result = services.assign_many(
        # Supervisors see the whole city: a ticked case that is not there is reported missing.
        case_ids=form.cleaned_data["case"],
        actor=user,
        assignee=officer,
        department=department,
        note=form.cleaned_data["note"],
    )
    _report(request, result, department, officer)
    return HttpResponseRedirect(back)


def _report(
    request: HttpRequest, result: BulkResult, department: Department, officer: User | None
) -> None:
    """One message: how many were sent, and each refusal with its reason."""
    done = len(result.done)
    values = {"count": done, "department": department, "officer": officer}
    if officer is None:
        summary = ngettext(
            "%(count)d case sent to %(department)s",
            "%(count)d cases sent to %(department)s",
            done,
        )
    else:
        summary = ngettext(
            "%(count)d case sent to %(department)s, to %(officer)s",
            "%(count)d cases sent to %(department)s, to %(officer)s",
            done,
        )
    summary %= values
    refused = [f"{o.number or o.case_id} — {o.reason.rstrip('.')}" for o in result.refused]
    if not refused:
        messages.success(request, summary + ".")
        return
    messages.warning(
        request,
        ngettext(
            "%(summary)s; %(count)d refused: %(reasons)s.",
            "%(summary)s; %(count)d refused: %(reasons)s.",
            len(refused),
        )
        % {"summary": summary, "count": len(refused), "reasons": "; ".join(refused)},
    )


def _back_to_list(query: str) -> str:
    """The page under the list's filters it was sent from (re-encoded: never a foreign URL)."""
    sent = QueryDict(query)
    kept = QueryDict(mutable=True)
    for key in (*SupervisionFilters.LIST_FIELDS, "page"):
        if key in sent:
            kept.setlist(key, sent.getlist(key))
    return supervision_url(kept.urlencode())
