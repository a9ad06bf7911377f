"""The semi-annual report of petitions (OG 27/2002 art. 13), counted in one grouped query.

Petitions are requests, complaints, reports of problems and proposals; not public-information
requests, questions, or administrative complaints under Law 544/2001 (complaints contesting an
information request's answer), which Law 544's own report counts. docs/legal-reports.md says
which cases each figure counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from cetate.cases.choices import Channel, Kind, Outcome
from cetate.cases.models import Case
from cetate.directory.models import Department
from cetate.monitoring.legal_reports.conditions import (
    JOINED,
    NOT_RECORDED,
    concerned_by,
    count_each_by,
    late,
    not_cancelled,
    on_time,
    open_at_end,
    outcome_is,
    registered_in,
    solved_in,
    with_solved_on,
)
from cetate.monitoring.legal_reports.periods import Period
from cetate.monitoring.replica import reporting_database

KINDS = [Kind.REQUEST, Kind.COMPLAINT, Kind.REPORT, Kind.PROPOSAL]
CHANNELS = list(Channel)
# In the order the report prints them; merged cases last but one, unrecorded outcomes last.
OUTCOMES = [*(outcome.value for outcome in Outcome), JOINED, NOT_RECORDED]


@dataclass(frozen=True)
class DepartmentFigures:
    """A department's petitions: received and solved in the period, solved on time and late."""

    department: Department | None
    received: int
    solved: int
    on_time: int
    late: int


@dataclass(frozen=True)
class PetitionsReport:
    period: Period
    received_by_kind: dict[str, int]
    received_by_channel: dict[str, int]
    cancelled: int
    solved_by_outcome: dict[str, int]
    on_time: int
    late: int
    open_at_end: int
    overdue_at_end: int
    departments: list[DepartmentFigures]

    @property
    def received(self) -> int:
        return sum(self.received_by_kind.values())

    @property
    def solved(self) -> int:
        return sum(self.solved_by_outcome.values())


def petitions() -> Q:
    administrative_complaint = Q(kind=Kind.COMPLAINT, contests__isnull=False)
    return Q(kind__in=KINDS) & ~administrative_complaint


def petitions_report(period: Period) -> PetitionsReport:
    cases = with_solved_on(
        Case.objects.using(reporting_database()).filter(petitions() & concerned_by(period))
    )
    received = registered_in(period) & not_cancelled()
    solved = solved_in(period)
    conditions = {
        "received": received,
        **{f"kind_{kind}": received & Q(kind=kind) for kind in KINDS},
        **{f"channel_{channel}": received & Q(channel=channel) for channel in CHANNELS},
        "cancelled": registered_in(period) & ~not_cancelled(),
        "solved": solved,
        **{f"outcome_{outcome}": solved & outcome_is(outcome) for outcome in OUTCOMES},
        "on_time": solved & on_time(),
        "late": solved & late(),
        "open_at_end": open_at_end(period),
        "overdue_at_end": open_at_end(period) & Q(legal_due__lte=period.last),
    }
    by_department = count_each_by(cases, "department", conditions)
    total = {name: sum(row[name] for row in by_department.values()) for name in conditions}
    return PetitionsReport(
        period=period,
        received_by_kind={kind: total[f"kind_{kind}"] for kind in KINDS},
        received_by_channel={channel: total[f"channel_{channel}"] for channel in CHANNELS},
        cancelled=total["cancelled"],
        solved_by_outcome={outcome: total[f"outcome_{outcome}"] for outcome in OUTCOMES},
        on_time=total["on_time"],
        late=total["late"],
        open_at_end=total["open_at_end"],
        overdue_at_end=total["overdue_at_end"],
        departments=_departments(by_department),
    )


def _departments(by_department: dict[object, dict[str, int]]) -> list[DepartmentFigures]:
    """Every department with a figure, by name; the cases outside any department last."""
    named = Department.objects.using(reporting_database()).in_bulk(
        [pk for pk in by_department if pk is not None]
    )
    keys = sorted(
        by_department,
        key=lambda pk: (pk is None, named[pk].label.casefold() if pk is not None else ""),
    )
    rows = []
    for pk in keys:
        counts = by_department[pk]
        if not (counts["received"] or counts["solved"]):
            continue
        rows.append(
            DepartmentFigures(
                department=named[pk] if pk is not None else None,
                received=counts["received"],
                solved=counts["solved"],
                on_time=counts["on_time"],
                late=counts["late"],
            )
        )
    return rows
