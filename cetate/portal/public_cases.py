"""What anyone may see of the register: reported problems in public categories, placed no
closer than about 50 m, with no one's name and no one's words.

A public case shows its number, category, status in plain words, registration date, area and a
rounded location — never its title, description, answers, address, attachments or reporter.
Only reports (not requests, complaints or petitions, which are about the people who file
them) in categories marked `public_map`, with a location, in a status worth showing: cancelled
registrations, inadmissible petitions and duplicates merged into another case stay out.

Locations are snapped to a grid of 1/ROUNDING degree, the one Open311 uses for cases it shows
to everyone, so that the two never reveal different roundings that together say more. Every
choice the public map makes — which cases fall inside a box, which group a case counts in,
where a group's centre is — is taken on the rounded location, so that no sequence of requests
can narrow a case down past its rounding.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db import models
from django.db.models import F, Q, QuerySet, Value
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cetate.cases.choices import Kind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.cases.workflow import OPEN_STATUSES, Status
from cetate.console.mapgrid import CellIndex
from cetate.directory.models import Area, Category
from cetate.portal.tracking import PLAIN_STATUS

PUBLIC_KINDS = (Kind.REPORT,)
# Grid steps per degree: 1/2000° is 55 m north–south and 39 m east–west at Alba Iulia.
ROUNDING = 2000
# Added before rounding so that the value rounded is never negative (SQLite's CAST truncates).
OFFSET = 180.0


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
PUBLIC_STATUSES = sorted(STATUS_GROUP)


class Period(models.TextChoices):
    MONTH = "30", _("the last 30 days")
    QUARTER = "90", _("the last 3 months")
    YEAR = "365", _("the last 12 months")
    ALL = "all", _("any time")


DEFAULT_PERIOD = Period.YEAR


def rounded(value: float) -> float:
    """`value` (degrees) on the public grid: the same as `rounded_index` computes in SQL."""
    return round(math.floor((value + OFFSET) * ROUNDING + 0.5) / ROUNDING - OFFSET, 6)


def rounded_index(field: str) -> CellIndex:
    """The public grid line nearest to `field`, counted from -OFFSET degrees."""
    return CellIndex((F(field) + Value(OFFSET)) * Value(float(ROUNDING)) + Value(0.5))


def from_index(index: Any) -> Any:
    """Degrees of a grid line given by `rounded_index` (an expression or a number)."""
    return index / Value(float(ROUNDING)) - Value(OFFSET)


def within(south: float, west: float, north: float, east: float) -> Q:
    """Cases whose rounded location lies inside the box, tested on the exact columns (so that
    the location index serves) with bounds on the rounding's own edges: whether a case is
    inside depends on its rounded location alone."""

    def low(value: float) -> float:
        return (math.ceil((value + OFFSET) * ROUNDING) - 0.5) / ROUNDING - OFFSET

    def high(value: float) -> float:
        return (math.floor((value + OFFSET) * ROUNDING) + 0.5) / ROUNDING - OFFSET

    return Q(
        latitude__gte=low(south),
        latitude__lt=high(north),
        longitude__gte=low(west),
        longitude__lt=high(east),
    )


def public_categories() -> list[Category]:
    """Categories whose cases the public may see, with their groups loaded."""
    return list(Category.objects.filter(public_map=True).select_related("parent"))


def public_cases(category_ids: list[int] | None = None) -> QuerySet[Case]:
    """Every case the public map and list may show, before the resident's filters."""
    if category_ids is None:
        category_ids = [category.pk for category in public_categories()]
    return Case.objects.filter(
        kind__in=PUBLIC_KINDS,
        category_id__in=category_ids,
        status__in=PUBLIC_STATUSES,
        latitude__isnull=False,
        longitude__isnull=False,
    )


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
        ids = [category.pk for category in self.categories]
        chosen = data.get("category")
        if chosen is not None:
            ids = [c.pk for c in self.categories if chosen in (c.pk, c.parent_id)]
        cases = public_cases(ids)
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
    """One case as the public sees it: nothing here names or quotes anyone."""

    year: int
    number: int
    category: str
    status: StatusGroup
    plain_status: str
    registered: date
    area: str
    latitude: float
    longitude: float

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def status_label(self) -> str:
        return str(self.status.label)


# The only columns a public page ever reads from a case.
PUBLIC_FIELDS = (
    "registration_year",
    "registration_number",
    "registered_at",
    "status",
    "category_id",
    "area_id",
    "latitude",
    "longitude",
)


class Describer:
    """Turns rows of PUBLIC_FIELDS into PublicCases, naming categories and areas from two
    small lookups rather than joins."""

    def __init__(self, categories: list[Category]) -> None:
        self.categories = {category.pk: category.label for category in categories}
        self._areas: dict[int, str] | None = None

    def area(self, area_id: int | None) -> str:
        if area_id is None:
            return ""
        if self._areas is None:
            self._areas = dict(Area.objects.values_list("pk", "name"))
        return self._areas.get(area_id, "")

    def __call__(self, row: Mapping[str, Any]) -> PublicCase:
        status = Status(row["status"])
        registered: datetime = row["registered_at"]
        return PublicCase(
            year=row["registration_year"],
            number=row["registration_number"],
            category=self.categories.get(row["category_id"], ""),
            status=STATUS_GROUP[status],
            plain_status=str(PLAIN_STATUS[status]),
            registered=timezone.localtime(registered, CITY_TZ).date(),
            area=self.area(row["area_id"]),
            latitude=rounded(row["latitude"]),
            longitude=rounded(row["longitude"]),
        )
