"""The triage forms: route, merge, reject, send elsewhere."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.accounts.access import case_roles
from cetate.accounts.models import DepartmentMembership, User
from cetate.cases import services
from cetate.cases.choices import Priority
from cetate.cases.deadlines import CITY_TZ, forwarding_due
from cetate.cases.models import Case
from cetate.cases.workflow import Action, Status, actions_from
from cetate.console.case_forms.base import (
    TEXT,
    CardForm,
    case_by_number,
    set_choices,
    suggestions,
)
from cetate.console.case_forms.decision import add_filing_field
from cetate.directory.catalogue import choosable_categories, grouped
from cetate.directory.models import Department
from cetate.lib import clock
from cetate.triage.routing import default_department

ANONYMOUS_PETITION = gettext_lazy("Anonymous petition (OG 27/2002 art. 7)")


class TriageForm(CardForm):
    name = "triage"
    heading = gettext_lazy("Triage and route")
    button = gettext_lazy("Route")
    needs = (Action.ASSIGN,)
    category = forms.ChoiceField(label=gettext_lazy("Category"))
    priority = forms.TypedChoiceField(
        label=gettext_lazy("Priority"), choices=Priority.choices, coerce=int
    )
    title = forms.CharField(label=gettext_lazy("Summary"), max_length=200, required=False)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)
    latitude = forms.FloatField(
        label=gettext_lazy("Latitude"), required=False, min_value=-90, max_value=90
    )
    longitude = forms.FloatField(
        label=gettext_lazy("Longitude"), required=False, min_value=-180, max_value=180
    )
    department = forms.ChoiceField(label=gettext_lazy("Department"), required=False)
    assignee = forms.ChoiceField(label=gettext_lazy("Officer"), required=False)
    note = forms.CharField(
        label=gettext_lazy("Note for the department"),
        help_text=gettext_lazy("Internal: the resident does not see it."),
        required=False,
        widget=TEXT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.case
        categories = choosable_categories()
        if case.category is not None and case.category not in categories:
            categories.insert(0, case.category)
        self.categories = {str(c.pk): c for c in categories}
        set_choices(
            self,
            "category",
            [
                (group, [(str(c.pk), c.label) for c in members])
                for group, members in grouped(categories)
            ],
        )
        default = default_department(case)
        self.departments = {
            str(d.pk): d
            for d in Department.objects.filter(kind=Department.Kind.INTERNAL, is_active=True)
        }
        rule = default.label if default else _("none — choose a department")
        set_choices(
            self,
            "department",
            [
                ("", _("As the routing rules say (now: %(department)s)") % {"department": rule}),
                *[(key, d.label) for key, d in self.departments.items()],
            ],
        )
        self.fields["department"].help_text = _(
            "The routing rules follow the category and the place chosen above."
        )
        self.officers, officer_choices = _officers()
        set_choices(self, "assignee", [("", _("Nobody yet")), *officer_choices])
        self.initial.update(
            category=str(case.category_id or ""),
            priority=case.priority,
            title=case.title,
            address=case.address,
            latitude=case.latitude,
            longitude=case.longitude,
            # The routing rules stay in charge unless the case was routed elsewhere by hand.
            department=""
            if case.department_id in {None, default.pk if default else None}
            else str(case.department_id),
            assignee=str(case.assignee_id or ""),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude, or neither."))
        return data

    def submit(self) -> str:
        data = self.cleaned_data
        case = services.triage(
            case_id=self.case.pk,
            actor=self.user,
            category=self.categories[data["category"]],
            priority=data["priority"],
            title=data["title"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            address=data["address"],
            department=self.departments.get(data["department"]),
            assignee=self.officers.get(data["assignee"]),
            note=data["note"],
            seen=self.seen_value,
        )
        if case.assignee is not None:
            return _("Case %(number)s was routed to %(department)s, to %(officer)s.") % {
                "number": case.number,
                "department": case.department,
                "officer": case.assignee,
            }
        return _("Case %(number)s was routed to %(department)s.") % {
            "number": case.number,
            "department": case.department,
        }


def _officers() -> tuple[dict[str, User], list[tuple[str, list[tuple[str, str]]]]]:
    """Officers of the city's departments, under each department's name."""
    memberships = DepartmentMembership.objects.filter(
        department__kind=Department.Kind.INTERNAL,
        department__is_active=True,
        user__is_active=True,
    ).select_related("user", "department")
    by_department: dict[Department, list[User]] = {}
    for membership in memberships.order_by("department__name", "user__last_name", "user__username"):
        by_department.setdefault(membership.department, []).append(membership.user)
    users = {str(u.pk): u for members in by_department.values() for u in members}
    choices = [
        (department.label, [(str(u.pk), str(u)) for u in members])
        for department, members in by_department.items()
    ]
    return users, choices


class MergeForm(CardForm):
    name = "merge"
    heading = gettext_lazy("Merge into an earlier case of the same resident")
    button = gettext_lazy("Merge")
    needs = (Action.MERGE,)
    into = forms.ChoiceField(
        label=gettext_lazy("Suggested cases of the same resident"),
        required=False,
        widget=forms.RadioSelect,
    )
    number = forms.CharField(
        label=gettext_lazy("Or merge into case number"),
        help_text=gettext_lazy(
            "Number/year, e.g. 12/2026. Only the same resident's cases are merged; link "
            "reports of the same problem by other residents."
        ),
        required=False,
        max_length=20,
    )
    reason = forms.CharField(
        label=gettext_lazy("Why they are the same matter"), required=False, widget=TEXT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = [c for c in suggestions(self.case) if c.may_merge]
        set_choices(self, "into", [(str(c.case.pk), c.case.number) for c in self.candidates])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen, number = data.get("into"), (data.get("number") or "").strip()
        if chosen and number:
            raise forms.ValidationError(_("Choose a suggested case or type a number, not both."))
        if not chosen and not number:
            raise forms.ValidationError(_("Choose the case to merge into."))
        if number:
            data["target"] = case_by_number(self.user, number)
        else:
            data["target"] = next(c.case for c in self.candidates if str(c.case.pk) == chosen)
        return data

    def submit(self) -> str:
        target: Case = self.cleaned_data["target"]
        services.merge(
            case_id=self.case.pk,
            into_case_id=target.pk,
            actor=self.user,
            reason=self.cleaned_data["reason"],
            seen=self.seen_value,
        )
        return _("Case %(number)s was merged into %(into)s.") % {
            "number": self.case.number,
            "into": target.number,
        }


class RejectForm(CardForm):
    name = "reject"
    heading = gettext_lazy("Reject")
    button = gettext_lazy("Reject the case")
    needs = (Action.REJECT,)
    preset = forms.ChoiceField(
        label=gettext_lazy("Common reason"),
        required=False,
        choices=[("", "—"), ("anonymous", ANONYMOUS_PETITION)],
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("Shown to the resident."),
        required=False,
        widget=TEXT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_templates("reason", Status.REJECTED)
        add_filing_field(self, self.case)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        preset = str(ANONYMOUS_PETITION) if data.get("preset") == "anonymous" else ""
        reason = (data.get("reason") or "").strip()
        if preset and not reason.startswith(preset):
            reason = f"{preset}. {reason}".strip() if reason else preset
        if not reason:
            raise forms.ValidationError(_("Give the reason for rejecting the case."))
        data["text"] = reason
        return data

    def submit(self) -> str:
        services.change_status(
            case_id=self.case.pk,
            actor=self.user,
            action=Action.REJECT,
            text=self.cleaned_data["text"],
            decision=services.Decision(legal_basis=self.cleaned_data.get("legal_basis") or None),
            seen=self.seen_value,
        )
        return _("Case %(number)s was rejected.") % {"number": self.case.number}


def _forwarding_help(case: Case) -> str:
    """The day an external organisation must have the case by (OG 27/2002 art. 6 (2))."""
    due = forwarding_due(case.registered_at.astimezone(CITY_TZ).date())
    today = clock.now().astimezone(CITY_TZ).date()
    values = {"date": due.strftime("%d.%m.%Y")}
    if today > due:
        return (
            _(
                "Late: a case for an external organisation had to be forwarded by %(date)s "
                "(5 days from registration, OG 27/2002, art. 6 (2)). Forward it now; the delay "
                "is recorded."
            )
            % values
        )
    return (
        _(
            "An external organisation must have the case by %(date)s (5 days from "
            "registration, OG 27/2002, art. 6 (2)). It is emailed the case; one without an "
            "email address is posted the forwarding letter printed from the case card."
        )
        % values
    )


class RedirectForm(CardForm):
    name = "redirect"
    heading = gettext_lazy("Send elsewhere")
    button = gettext_lazy("Send")
    needs = (Action.REDIRECT, Action.REROUTE)
    to = forms.ChoiceField(label=gettext_lazy("Send to"))
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = case_roles(self.user, self.case)
        wanted = Q(pk__in=[])
        if Action.REDIRECT in actions_from(Status(self.case.status), roles):
            wanted |= Q(kind=Department.Kind.EXTERNAL)
        if Action.REROUTE in actions_from(Status(self.case.status), roles):
            wanted |= Q(kind=Department.Kind.INTERNAL) & ~Q(pk=self.case.department_id)
        destinations = list(Department.objects.filter(wanted, is_active=True))
        self.destinations = {str(d.pk): d for d in destinations}
        external = [(str(d.pk), d.label) for d in destinations if d.is_external]
        internal = [(str(d.pk), d.label) for d in destinations if not d.is_external]
        choices: list[tuple[str, Any]] = [("", "—")]
        if external:
            choices.append((_("External organisations (the resident is told)"), external))
            self.fields["to"].help_text = _forwarding_help(self.case)
        if internal:
            choices.append((_("City hall departments"), internal))
        set_choices(self, "to", choices)

    def submit(self) -> str:
        to = self.destinations[self.cleaned_data["to"]]
        services.redirect(
            case_id=self.case.pk,
            actor=self.user,
            to=to,
            reason=self.cleaned_data["reason"],
            seen=self.seen_value,
        )
        if to.is_external:
            return _("Case %(number)s was redirected to %(to)s; the resident is told.") % {
                "number": self.case.number,
                "to": to,
            }
        return _("Case %(number)s was sent to %(to)s.") % {"number": self.case.number, "to": to}
