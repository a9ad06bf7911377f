"""The public map's and list's filters, and a public case as those pages show it.

What the public may see of a case — which cases, where, which words — is decided by
cetate/cases/publication; this module only names what the policy lets through (category, area,
status in plain words) and filters it the way residents ask.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cetate.cases import publication
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.cases.publication import PublicView, public_cases_q
from cetate.cases.workflow import OPEN_STATUSES, Status
from cetate.directory.models import Area, Category


class StatusGroup(models.TextChoices):
    """A case's status as residents understand it."""

    OPEN = "open", pgettext_lazy("public status", "open")
    ANSWERED = "answered", pgettext_lazy("public status", "answered")
    CLOSED = "closed", pgettext_lazy("public status", "closed")
    REDIRECTED = "redirected", pgettext_lazy("public status", "sent to another organisation")


GROUP_STATUSES: dict[StatusGroup, list[str]] = {
    StatusGroup.OPEN: sorted(OPEN_STATUSES),
    StatusGroup.ANSWERED: [Status.RESOLVED],
    StatusGroup.CLOSED: [Status.CLOSED],
    StatusGroup.REDIRECTED: [Status.REDIRECTED],
}
STATUS_GROUP = {status: group for group, statuses in GROUP_STATUSES.items() for status in statuses}


class Period(models.TextChoices):
    MONTH = "30", _("the last 30 days")
    QUARTER = "90", _("the last 3 months")
    YEAR = "365", _("the last 12 months")
    ALL = "all", _("any time")


DEFAULT_PERIOD = Period.YEAR


def public_categories() -> list[Category]:
    """Categories whose cases the public may see, with their groups loaded."""
    return list(publication.public_categories().select_related("parent"))


def public_cases(categories: list[Category]) -> QuerySet[Case]:
    """Every case of `categories` (public ones) the public may see."""
    return Case.objects.filter(public_cases_q([category.pk for category in categories]))


def category_choices(categories: list[Category]) -> list[tuple[Any, Any]]:
    """Public categories under their group; a group's own entry selects all of them."""
    groups: dict[int, tuple[Category, list[Category]]] = {}
    for category in categories:
        if category.parent is None or not category.is_active:
            continue
        groups.setdefault(category.parent.pk, (category.parent, []))[1].append(category)
    choices: list[tuple[Any, Any]] = [("", _("any"))]
    for group, children in sorted(groups.values(), key=lambda g: (g[0].order, g[0].label)):
        children.sort(key=lambda c: (c.order, c.label))
        options = [(group.pk, _("%(group)s: all") % {"group": group.label})]
        options += [(child.pk, child.label) for child in children]
        choices.append((group.label, options))
    return choices


class PublicFilters(forms.Form):
    """The public map's and list's filters, read from a query string (GET)."""

    category = forms.TypedChoiceField(label=_("Category"), coerce=int, empty_value=None)
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=StatusGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every status."),
    )
    period = forms.ChoiceField(label=_("Reported in"), choices=Period.choices)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        query = QueryDict(mutable=True)
        if data is not None:
            for key in ("category", "status", "period"):
                values: list[Any] = (
                    data.getlist(key) if isinstance(data, QueryDict) else [data.get(key)]
                )
                query.setlist(key, [str(v) for v in values if v not in (None, "")])
        if not query.get("period"):
            query["period"] = DEFAULT_PERIOD
        super().__init__(query)
        self.query = query
        for field in self.fields.values():
            field.required = False
        self.categories = public_categories()
        category = self.fields["category"]
        assert isinstance(category, forms.TypedChoiceField)
        category.choices = category_choices(self.categories)

    def cases(self, today: date) -> QuerySet[Case]:
        """The public cases matching every valid filter; invalid ones are left out."""
        self.is_valid()
        data = self.cleaned_data
        categories = self.categories
        chosen = data.get("category")
        if chosen is not None:
            categories = [c for c in categories if chosen in (c.pk, c.parent_id)]
        cases = public_cases(categories)
        groups = data.get("status") or []
        if groups:
            statuses = sorted({s for group in groups for s in GROUP_STATUSES[StatusGroup(group)]})
            cases = cases.filter(status__in=statuses)
        period = data.get("period") or DEFAULT_PERIOD
        if period != Period.ALL:
            since = today - timedelta(days=int(period))
            cases = cases.filter(registered_at__gte=datetime.combine(since, time(), CITY_TZ))
        return cases

    def key(self) -> str:
        """The valid filters as text, for caching what they select."""
        self.is_valid()
        data = self.cleaned_data
        return "|".join(
            [
                str(data.get("category") or ""),
                ",".join(sorted(data.get("status") or [])),
                str(data.get("period") or DEFAULT_PERIOD),
            ]
        )

    def query_string(self, **changes: str) -> str:
        query = self.query.copy()
        for key, value in changes.items():
            query[key] = value
        return query.urlencode()


@dataclass(frozen=True)
class PublicCase:
    """One case as the public pages show it: the policy's view, with names for its ids."""

    view: PublicView
    category: str
    area: str

    @property
    def year(self) -> int:
        return self.view.year

    @property
    def number(self) -> int:
        return self.view.number

    @property
    def label(self) -> str:
        return self.view.label

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def status(self) -> StatusGroup:
        return STATUS_GROUP[self.view.status]

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    @property
    def plain_status(self) -> str:
        return self.view.plain_status

    @property
    def registered(self) -> date:
        return timezone.localtime(self.view.registered_at, CITY_TZ).date()

    @property
    def latitude(self) -> float:
        return self.view.latitude

    @property
    def longitude(self) -> float:
        return self.view.longitude


# The only columns the map and the list read from a case: no words, no address, no reporter.
PUBLIC_FIELDS = (
    "registration_year",
    "registration_number",
    "registered_at",
    "kind",
    "status",
    "category",
    "area",
    "latitude",
    "longitude",
)


class Describer:
    """Turns cases into PublicCases through the policy, naming categories and areas from two
    small lookups rather than joins."""

    def __init__(self, categories: list[Category]) -> None:
        self.categories = {category.pk: category for category in categories}
        self._areas: dict[int, str] | None = None

    @property
    def exact_category_ids(self) -> set[int]:
        return publication.exact_category_ids(self.categories.values())

    def area(self, area_id: int | None) -> str:
        if area_id is None:
            return ""
        if self._areas is None:
            self._areas = dict(Area.objects.values_list("pk", "name"))
        return self._areas.get(area_id, "")

    def view(self, case: Case, *, details: bool = False) -> PublicView | None:
        return publication.public_view(
            case, self.categories.get(case.category_id or 0), details=details
        )

    def __call__(self, case: Case, *, details: bool = False) -> PublicCase | None:
        """The case as the public sees it; None when the policy shows nothing of it."""
        view = self.view(case, details=details)
        if view is None:
            return None
        return PublicCase(
            view=view,
            category=self.categories[view.category_id].label,
            area=self.area(view.area_id),
        )
