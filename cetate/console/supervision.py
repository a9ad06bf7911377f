"""What the supervisor watches: the day's figures per department, where the late cases are,
the late cases themselves, and the cases whose residents say the problem is not solved.

Every figure is counted by the database in as few grouped queries as the page needs: one for
the cases registered today, one for those resolved today, and one over the open cases that
gives, per department and category, how many are open, due soon and overdue — the day's
open figures and the department × category table both come from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, QuerySet
from django.db.models.functions import Coalesce, Least, TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cetate.accounts.models import User
from cetate.accounts.roles import Role, roles_of
from cetate.cases.choices import Feedback
from cetate.cases.deadlines import CITY_TZ, DEADLINE_STATE_LABELS, DeadlineState
from cetate.cases.models import Case
from cetate.cases.queries import OPEN, is_due_soon, is_overdue
from cetate.cases.workflow import Status
from cetate.console.filters import (
    PAGE_SIZE,
    CaseFilters,
    CountedPages,
    DeadlineNote,
    deadline_countdown,
)
from cetate.directory.models import Category, Department
from cetate.lib.calendar import WorkCalendar

SUPERVISION_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})

# COUNT(*) rather than COUNT(id): PostgreSQL then counts from an index alone where it can.
EVERY_ROW = Count("*")
RESOLVED_STATUSES = (Status.RESOLVED, Status.CLOSED)
NOT_SOLVED_SHOWN = 50

# The filters' value for "none": cases not routed to a department yet, or without a category.
NOT_SET = "none"
LATE_STATES = (DeadlineState.OVERDUE, DeadlineState.DUE_SOON)


def access_supervision(user: User) -> None:
    """The supervisor's page is for supervisors and administrators."""
    if not roles_of(user) & SUPERVISION_ROLES:
        raise PermissionDenied


def city_day(now: datetime) -> tuple[date, datetime, datetime]:
    """The city's calendar day at `now`, with the moments it starts and ends."""
    today = now.astimezone(CITY_TZ).date()
    start = datetime.combine(today, time(), tzinfo=CITY_TZ)
    end = datetime.combine(today + timedelta(days=1), time(), tzinfo=CITY_TZ)
    return today, start, end


@dataclass
class DepartmentDay:
    """One department's figures: cases of today, and the open ones as they stand now."""

    department: Department | None
    registered: int = 0
    resolved: int = 0
    open: int = 0
    due_soon: int = 0
    overdue: int = 0

    def add(self, other: DepartmentDay) -> None:
        self.registered += other.registered
        self.resolved += other.resolved
        self.open += other.open
        self.due_soon += other.due_soon
        self.overdue += other.overdue


@dataclass(frozen=True)
class LateCell:
    """How many open cases of a department and category are overdue and due soon, with the
    query strings that list them."""

    category: Category | None
    overdue: int
    due_soon: int
    overdue_query: str
    due_soon_query: str


@dataclass
class LateDepartment:
    department: Department | None
    cells: list[LateCell] = field(default_factory=list)


@dataclass(frozen=True)
class Overview:
    day: date
    departments: list[DepartmentDay]
    total: DepartmentDay
    late: list[LateDepartment]


def overview(now: datetime) -> Overview:
    """The day's figures per department and the late open cases by department × category."""
    today, start, end = city_day(now)
    registered = _by_department(
        Case.objects.filter(registered_at__gte=start, registered_at__lt=end)
    )
    resolved = _by_department(
        Case.objects.filter(
            resolved_at__gte=start, resolved_at__lt=end, status__in=RESOLVED_STATUSES
        )
    )
    open_cells = list(
        Case.objects.filter(status__in=OPEN)
        .values("department", "category")
        .annotate(
            open=EVERY_ROW,
            overdue=Count("pk", filter=is_overdue(now)),
            due_soon=Count("pk", filter=is_due_soon(now)),
        )
        .order_by()
    )
    seen = set(registered) | set(resolved) | {cell["department"] for cell in open_cells}
    departments = _departments(seen)
    days = {pk: DepartmentDay(department) for pk, department in departments.items()}
    for pk, count in registered.items():
        days[pk].registered = count
    for pk, count in resolved.items():
        days[pk].resolved = count
    for cell in open_cells:
        day = days[cell["department"]]
        day.open += cell["open"]
        day.overdue += cell["overdue"]
        day.due_soon += cell["due_soon"]
    total = DepartmentDay(None)
    rows = []
    for pk, day in days.items():
        total.add(day)
        # The row of cases outside any department shows only when it has something to say.
        if pk is not None or day.registered or day.resolved or day.open:
            rows.append(day)
    late_cells = [cell for cell in open_cells if cell["overdue"] or cell["due_soon"]]
    return Overview(day=today, departments=rows, total=total, late=_late(late_cells, departments))


def _by_department(cases: QuerySet[Case]) -> dict[int | None, int]:
    counts = cases.values("department").annotate(cases=EVERY_ROW).order_by()
    return {row["department"]: row["cases"] for row in counts}


def _departments(seen: Iterable[int | None]) -> dict[int | None, Department | None]:
    """The active city hall departments and any other the figures name, by name; the cases
    outside any department last."""
    ids = {pk for pk in seen if pk is not None}
    listed = Department.objects.filter(
        is_active=True, kind=Department.Kind.INTERNAL
    ) | Department.objects.filter(pk__in=ids)
    ordered: dict[int | None, Department | None] = {
        department.pk: department
        for department in sorted(listed, key=lambda d: (d.label.casefold(), d.pk))
    }
    ordered[None] = None
    return ordered


def _late(
    cells: list[dict[str, Any]], departments: Mapping[int | None, Department | None]
) -> list[LateDepartment]:
    """The late cells grouped by department, in the departments' order, categories by name."""
    categories = {
        category.pk: category
        for category in Category.objects.filter(
            pk__in={cell["category"] for cell in cells if cell["category"] is not None}
        ).select_related("parent")
    }
    groups = {pk: LateDepartment(department) for pk, department in departments.items()}
    for cell in cells:
        category = categories.get(cell["category"])
        department, category_value = cell["department"], cell["category"]
        groups[department].cells.append(
            LateCell(
                category=category,
                overdue=cell["overdue"],
                due_soon=cell["due_soon"],
                overdue_query=late_query(department, category_value, DeadlineState.OVERDUE),
                due_soon_query=late_query(department, category_value, DeadlineState.DUE_SOON),
            )
        )
    for group in groups.values():
        group.cells.sort(key=_category_order)
    return [group for group in groups.values() if group.cells]


def _category_order(cell: LateCell) -> tuple[int, str]:
    if cell.category is None:
        return (1, "")
    return (0, cell.category.full_label.casefold())


def late_query(department: int | None, category: int | None, state: DeadlineState) -> str:
    """The list's query string for the cases of one cell of the table."""
    return urlencode(
        {
            "department": NOT_SET if department is None else department,
            "category": NOT_SET if category is None else category,
            "deadline": state.value,
        }
    )


def supervision_url(query: str = "") -> str:
    url = reverse("console:supervision")
    return f"{url}?{query}" if query else url


def _id_or_not_set(value: str) -> int | str:
    return NOT_SET if value == NOT_SET else int(value)


class SupervisionFilters(CaseFilters):
    """The filters of the list of late cases: department, category and deadline state.

    The case list's filters, narrowed to these three; with no deadline state chosen the list
    holds the cases overdue or due soon. A department or a category may also be "none".
    """

    LIST_FIELDS = ("department", "category", "deadline")

    deadline = forms.ChoiceField(
        label=_("Deadline"),
        choices=[
            ("", _("overdue or due soon")),
            *[(state.value, DEADLINE_STATE_LABELS[state]) for state in LATE_STATES],
        ],
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, user: User | None = None) -> None:
        # No user: the officer filter, which would ask who the user's colleagues are, goes.
        super().__init__(data, user=None)
        self.user = user
        for name in set(self.fields) - set(self.LIST_FIELDS):
            del self.fields[name]
        self.unrouted = self.uncategorised = False
        # Inactive departments too: the cases of a department closed down are still listed.
        departments = Department.objects.filter(kind=Department.Kind.INTERNAL)
        self.fields["department"] = forms.TypedChoiceField(
            label=_("Department"),
            required=False,
            coerce=_id_or_not_set,
            empty_value=None,
            choices=[
                ("", _("any")),
                *[(d.pk, d.label) for d in sorted(departments, key=lambda d: d.label.casefold())],
                (NOT_SET, _("not routed to a department yet")),
            ],
        )
        category = self.fields["category"]
        assert isinstance(category, forms.TypedChoiceField)
        category.coerce = _id_or_not_set
        choices = cast(list[tuple[Any, Any]], category.choices)
        category.choices = [*choices, (NOT_SET, _("no category"))]

    def clean_department(self) -> int | None:
        value = self.cleaned_data.get("department")
        self.unrouted = value == NOT_SET
        return None if value == NOT_SET else value

    def clean_category(self) -> int | None:
        value = self.cleaned_data.get("category")
        self.uncategorised = value == NOT_SET
        return None if value == NOT_SET else value

    def cases(self, user: User, now: datetime) -> QuerySet[Case]:
        cases = super().cases(user, now)
        if self.unrouted:
            cases = cases.filter(department__isnull=True)
        if self.uncategorised:
            cases = cases.filter(category__isnull=True)
        if not self.cleaned_data.get("deadline"):
            cases = cases.filter(is_overdue(now) | is_due_soon(now))
        return cases

    def sorted_cases(self, user: User, now: datetime) -> QuerySet[Case]:
        """The most overdue first: by the earlier of a case's two deadlines (the answer's
        internal due date, the service target's day in the city's calendar), then by the
        service target's moment."""
        service_day = TruncDate("service_due", tzinfo=CITY_TZ)
        # Least() of SQLite is NULL when either value is: each side falls back on the other.
        earliest = Least(
            Coalesce("internal_due", service_day), Coalesce(service_day, "internal_due")
        )
        return (
            self.cases(user, now)
            .annotate(earliest_due=earliest)
            .order_by(
                F("earliest_due").asc(nulls_last=True),
                F("service_due").asc(nulls_last=True),
                "id",
            )
        )


@dataclass(frozen=True)
class Due:
    """The deadline a late case's countdown speaks of: the answer's day or a service moment."""

    day: date
    moment: datetime | None


def nearest_due(case: Case) -> Due | None:
    """The answer's internal due date, unless the service target falls on an earlier day (as
    the worklist's countdown chooses)."""
    target = case.service_due.astimezone(CITY_TZ) if case.service_due else None
    if case.internal_due is not None and (target is None or case.internal_due <= target.date()):
        return Due(case.internal_due, None)
    if target is None:
        return None
    return Due(target.date(), target)


@dataclass(frozen=True)
class LateRow:
    case: Case
    deadline: DeadlineNote
    due: Due | None


@dataclass(frozen=True)
class LateListing(CountedPages):
    """A page of the late cases, as the case lists' count and page links read it."""

    page: Page[int]  # the ids of the page's cases, in order
    rows: list[LateRow]
    previous_query: str | None
    next_query: str | None


def late_listing(
    filters: SupervisionFilters,
    user: User,
    now: datetime,
    calendar: WorkCalendar,
    *,
    page: str | None,
) -> LateListing:
    """One page of the late cases matching `filters`, most overdue first.

    The page's ids are chosen first and its cases read after: choosing needs only the
    deadline columns, which an index over the open cases can hold, so the database reads the
    rows of fifty cases rather than of every late one to sort them.
    """
    ids = filters.sorted_cases(user, now).values_list("id", flat=True)
    chosen = Paginator(ids, PAGE_SIZE).get_page(page)
    by_id = Case.objects.select_related("category__parent", "department", "assignee").in_bulk(
        list(chosen)
    )
    cases = [by_id[pk] for pk in chosen if pk in by_id]
    return LateListing(
        page=chosen,
        rows=[
            LateRow(case, deadline_countdown(case, now, calendar), nearest_due(case))
            for case in cases
        ],
        previous_query=(
            filters.query_string(page=str(chosen.previous_page_number()))
            if chosen.has_previous()
            else None
        ),
        next_query=(
            filters.query_string(page=str(chosen.next_page_number())) if chosen.has_next() else None
        ),
    )


@dataclass(frozen=True)
class NotSolved:
    """The resolved cases whose residents answered that the problem is not solved."""

    cases: list[Case]
    count: int


def not_solved() -> NotSolved:
    """Newest answer first; a case leaves the list once it is reopened or closed."""
    cases = Case.objects.filter(status=Status.RESOLVED, feedback=Feedback.NOT_RESOLVED)
    newest = cases.select_related("category__parent", "department", "assignee").order_by(
        "-feedback_at", "-id"
    )
    shown = list(newest[:NOT_SOLVED_SHOWN])
    count = len(shown) if len(shown) < NOT_SOLVED_SHOWN else cases.count()
    return NotSolved(shown, count)
