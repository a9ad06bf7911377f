"""The supervisor's page at the bench database's size, and the deadline sweep's selection.

Each query is timed as the page runs it (cetate.console.supervision), and all of them together
as one page view asks them, the header's counts included: the page's target is that sum.
The sweep's selection is read to its end without recording anything.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from cetate.accounts.models import User
from cetate.accounts.roles import Role
from cetate.cases.sweeps import cases_to_sweep
from cetate.console.supervision import (
    SupervisionFilters,
    late_listing,
    not_solved,
    overview,
)
from cetate.console.views.supervision import BulkRerouteForm
from cetate.console.waiting import waiting_for
from cetate.directory.lookup import work_calendar
from cetate.ops.bench.queries import Measure, MeasuredCall

PAGE_TARGET_MS = 500


def supervisor() -> User:
    found = User.objects.filter(groups__name=Role.SUPERVISOR.value, is_active=True).first()
    if found is None:
        raise LookupError("the bench city has no supervisor")
    return found


def day_and_late_table() -> int:
    figures = overview(timezone.now())
    return len(figures.departments) + sum(len(group.cells) for group in figures.late)


def late_list(user: User, filters: dict[str, str]) -> Callable[[], int]:
    """A page of the late cases under `filters` as the list shows it (its count included:
    the page links need it)."""

    def run() -> int:
        listing = late_listing(
            SupervisionFilters(filters, user=user),
            user,
            timezone.now(),
            work_calendar(),
            page=None,
        )
        return len(listing.rows)

    return run


def not_solved_list() -> int:
    return len(not_solved().cases)


def whole_page(user: User) -> Callable[[], int]:
    """Every query of one view of the page: the header's counts, the figures, the table, the
    first page of the list with its filters, the not-solved list and the form's choices."""
    first_page = late_list(user, {})

    def run() -> int:
        waiting_for(user)
        rows = day_and_late_table() + first_page() + not_solved_list()
        # The department select reads its choices as it renders; the officers are read at once.
        return rows + len(list(BulkRerouteForm()["department"]))

    return run


def sweep_selection() -> int:
    """The open cases the deadline sweep looks at, read as the sweep reads them."""
    return sum(1 for _ in cases_to_sweep(timezone.now()))


def supervision_queries(department_id: int) -> list[Measure]:
    user = supervisor()
    one_department = {"department": str(department_id), "deadline": "overdue"}
    return [
        MeasuredCall("supervision: the day's figures and the late table", day_and_late_table),
        MeasuredCall("supervision: late cases, first page and count", late_list(user, {})),
        MeasuredCall(
            "supervision: one department's overdue cases, first page",
            late_list(user, one_department),
        ),
        MeasuredCall("supervision: cases the resident says are not solved", not_solved_list),
        MeasuredCall(
            "supervision: every query of the page together", whole_page(user), PAGE_TARGET_MS
        ),
        MeasuredCall("sweep: open cases due soon or overdue (selection only)", sweep_selection),
    ]
