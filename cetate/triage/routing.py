"""Where a case goes by the directory's rules, given its category and place."""

from __future__ import annotations

from cetate.cases.models import Case
from cetate.directory.lookup import department_for, place
from cetate.directory.models import Area, Category, Department


def areas_of(case: Case) -> list[Area]:
    """The areas covering the case's point, smallest first; none when it has no point."""
    if case.latitude is None or case.longitude is None:
        return []
    return place(latitude=case.latitude, longitude=case.longitude).areas


def default_department(case: Case, *, category: Category | None = None) -> Department | None:
    """The department the routing rules give for the case (or for it under `category`)."""
    return department_for(category or case.category, areas_of(case))
