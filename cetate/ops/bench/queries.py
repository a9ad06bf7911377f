"""The main queries of the staff console at the bench database's size, timed.

The querysets are the ones the worklist, the map and the statistics pages run: a department's
open cases by due date, cases inside the map's bounding box, the map's grid of counts computed
by the database, and the counts by status, category and department.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection
from django.db.models import Count, F, QuerySet
from django.db.models.functions import Floor

from cetate.cases.models import Case
from cetate.cases.workflow import OPEN_STATUSES
from cetate.ops.bench.city import Box

PAGE_SIZE = 50
# About 550 m × 390 m at Alba Iulia's latitude: a cell of the city-wide map.
GRID_DEGREES = 0.005

# Sorted so that the query repeats the partial index's own condition word for word.
OPEN = sorted(OPEN_STATUSES)
# COUNT(*), not COUNT(id): the id is in no index but the primary key, so counting it makes
# PostgreSQL read every row, where COUNT(*) is answered by an index-only scan (at 1,000,000
# cases: 300 → 100 ms for the status × category × department counts, 270 → 150 ms for the grid).
EVERY_ROW = Count("*")


def department_worklist(department_id: int) -> QuerySet[Case]:
    return (
        Case.objects.filter(department_id=department_id, status__in=OPEN)
        .select_related("category", "assignee")
        .order_by("legal_due", "id")
    )


def cases_in_box(box: Box) -> QuerySet[Case]:
    return Case.objects.filter(
        latitude__gte=box.south,
        latitude__lte=box.north,
        longitude__gte=box.west,
        longitude__lte=box.east,
    )


def map_grid(cases: QuerySet[Case], cell: float = GRID_DEGREES) -> QuerySet[Case, dict[str, Any]]:
    """Counts per grid cell; a cell's corner is (row × cell, col × cell)."""
    grid: QuerySet[Case, dict[str, Any]] = (
        cases.annotate(row=Floor(F("latitude") / cell), col=Floor(F("longitude") / cell))
        .values("row", "col")
        .annotate(cases=EVERY_ROW)
        .order_by()
    )
    return grid


def counts_by(*fields: str) -> QuerySet[Case, dict[str, Any]]:
    counts: QuerySet[Case, dict[str, Any]] = (
        Case.objects.values(*fields).annotate(cases=EVERY_ROW).order_by()
    )
    return counts


@dataclass(frozen=True)
class Measured:
    """A query as the page runs it: its rows, or its count."""

    name: str
    queryset: QuerySet[Any, Any]
    target_ms: float | None = None
    count: bool = False

    def run(self) -> int:
        # A fresh clone every time: a queryset that has run answers again from its cache.
        queryset = self.queryset.all()
        return queryset.count() if self.count else len(list(queryset))

    def sql(self) -> tuple[str, tuple[Any, ...]]:
        """The SQL the page sends; a count as SELECT COUNT(*) over the bare filter."""
        if not self.count:
            sql, params = self.queryset.query.sql_with_params()
            return sql, tuple(params)
        sql, params = self.queryset.order_by().values("pk").query.sql_with_params()
        return f"SELECT COUNT(*) FROM ({sql}) AS counted", tuple(params)  # noqa: S608


@dataclass(frozen=True)
class QueryFigure:
    name: str
    target_ms: float | None
    median_ms: float
    p95_ms: float
    rows: int
    explain: str

    @property
    def missed(self) -> bool:
        return self.target_ms is not None and self.median_ms > self.target_ms


def main_queries(department_id: int, neighbourhood: Box, city: Box) -> list[Measured]:
    worklist = department_worklist(department_id)
    in_box = cases_in_box(neighbourhood)
    # The list beside the map: newest registrations first.
    newest_first = in_box.select_related("category").order_by(
        "-registration_year", "-registration_number"
    )
    whole_city = cases_in_box(city)
    return [
        Measured(
            "worklist: a department's open cases by due date, first page", worklist[:PAGE_SIZE], 50
        ),
        Measured("worklist: count of that department's open cases", worklist, count=True),
        Measured("map: cases in a neighbourhood box, count", in_box, count=True),
        Measured("map: cases in a neighbourhood box, first page", newest_first[:PAGE_SIZE]),
        Measured("map: whole-city grid of all cases", map_grid(whole_city), 300),
        Measured(
            "map: whole-city grid of open cases", map_grid(whole_city.filter(status__in=OPEN)), 300
        ),
        Measured(
            "stats: counts by status × category × department",
            counts_by("status", "category", "department"),
            500,
        ),
        Measured("stats: counts by status × category", counts_by("status", "category"), 500),
    ]


def time_queries(
    queries: list[Measured], *, runs: int, explain: bool, progress: Callable[[str], None]
) -> list[QueryFigure]:
    figures = []
    for query in queries:
        rows = query.run()  # warm-up: plans, caches and connection, as in a running server
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            query.run()
            timings.append((time.perf_counter() - started) * 1000)
        figure = QueryFigure(
            name=query.name,
            target_ms=query.target_ms,
            median_ms=statistics.median(timings),
            p95_ms=_p95(timings),
            rows=rows,
            explain="",
        )
        if explain and figure.missed:
            figure = replace(figure, explain=explain_plan(*query.sql()))
        progress(f"queries: {query.name}: {figure.median_ms:.1f} ms")
        figures.append(figure)
    return figures


def explain_plan(sql: str, params: tuple[Any, ...]) -> str:
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())


def _p95(timings: list[float]) -> float:
    if len(timings) < 2:
        return timings[0]
    return statistics.quantiles(timings, n=20, method="inclusive")[18]
