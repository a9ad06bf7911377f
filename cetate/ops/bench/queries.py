"""The main queries of the staff console at the bench database's size, timed.

The querysets are the ones the worklist, the map and the statistics pages run: a department's
open cases by due date, cases inside the map's bounding box, the map of the whole city as the
map's data endpoint computes it (cetate.console.mapgrid, with the dispatcher's filters), the
public map of the whole city (cetate.portal.public_map), and the counts by status, category and
department.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from django.db import connection
from django.db.models import Count, F, QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cetate.accounts.models import User
from cetate.cases.models import Case
from cetate.cases.workflow import OPEN_STATUSES, Status
from cetate.console.filters import CaseFilters
from cetate.console.mapgrid import Box as MapBox
from cetate.console.mapgrid import map_data, zoom_to_fit
from cetate.ops.bench.city import Box
from cetate.portal.public_cases import Describer, PublicFilters
from cetate.portal.public_map import public_map, view_of

PAGE_SIZE = 50
# The map element beside the filters on a dispatcher's 1280 × 900 screen, in pixels.
MAP_WIDTH, MAP_HEIGHT = 960, 640

# Sorted so that the query repeats the partial index's own condition word for word.
OPEN = sorted(OPEN_STATUSES)
# COUNT(*), not COUNT(id): the id is in no index but the primary key, so counting it makes
# PostgreSQL read every row, where COUNT(*) is answered by an index-only scan (at 1,000,000
# cases: 300 → 100 ms for the status × category × department counts).
EVERY_ROW = Count("*")


def department_worklist(department_id: int) -> QuerySet[Case]:
    return (
        Case.objects.filter(department_id=department_id, status__in=OPEN)
        .select_related("category", "assignee")
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )


def cases_in_box(box: Box) -> QuerySet[Case]:
    return Case.objects.filter(
        latitude__gte=box.south,
        latitude__lte=box.north,
        longitude__gte=box.west,
        longitude__lte=box.east,
    )


def whole_city_map(user: User, city: Box, filters: Mapping[str, Any]) -> Callable[[], int]:
    """The map's data endpoint for the whole city, as the map first asks for it: `user`'s
    cases matching `filters`, in the city's box at the zoom that fits it on screen."""
    box = MapBox(south=city.south, west=city.west, north=city.north, east=city.east)
    zoom = zoom_to_fit(box, width=MAP_WIDTH, height=MAP_HEIGHT)

    def run() -> int:
        now = timezone.now()
        form = CaseFilters(filters)
        data = map_data(
            form.cases(user, now), box=box, zoom=zoom, now=now, only_open=form.only_open
        )
        return len(data.cells) + len(data.points)

    return run


def whole_city_public_map(city: Box) -> Callable[[], int]:
    """The public map's data endpoint for the whole city as it opens (reports of the last 12
    months in the public categories, placed by each category's exact or rounded setting)."""
    asked = MapBox(south=city.south, west=city.west, north=city.north, east=city.east)
    box, grid = view_of(asked, zoom_to_fit(asked, width=MAP_WIDTH, height=MAP_HEIGHT))

    def run() -> int:
        filters = PublicFilters()
        cases = filters.cases(timezone.localdate())
        drawn = public_map(cases, box=box, grid=grid, describe=Describer(filters.categories))
        return len(drawn.groups) + len(drawn.spots)

    return run


def counts_by(*fields: str) -> QuerySet[Case, dict[str, Any]]:
    counts: QuerySet[Case, dict[str, Any]] = (
        Case.objects.values(*fields).annotate(cases=EVERY_ROW).order_by()
    )
    return counts


class Measure(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def target_ms(self) -> float | None: ...

    def run(self) -> int: ...

    def statements(self) -> list[tuple[str, tuple[Any, ...]]]: ...


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

    def statements(self) -> list[tuple[str, tuple[Any, ...]]]:
        """The SQL the page sends; a count as SELECT COUNT(*) over the bare filter."""
        if not self.count:
            sql, params = self.queryset.query.sql_with_params()
            return [(sql, tuple(params))]
        sql, params = self.queryset.order_by().values("pk").query.sql_with_params()
        return [(f"SELECT COUNT(*) FROM ({sql}) AS counted", tuple(params))]  # noqa: S608


@dataclass(frozen=True)
class MeasuredCall:
    """A function of the application, with every query it sends: what a page's view runs."""

    name: str
    call: Callable[[], int]
    target_ms: float | None = None

    def run(self) -> int:
        return self.call()

    def statements(self) -> list[tuple[str, tuple[Any, ...]]]:
        # The captured SQL has its parameters inlined, as the database received them.
        with CaptureQueriesContext(connection) as captured:
            self.call()
        return [(query["sql"], ()) for query in captured.captured_queries]


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


def main_queries(
    department_id: int, neighbourhood: Box, city: Box, dispatcher: User
) -> list[Measure]:
    worklist = department_worklist(department_id)
    in_box = cases_in_box(neighbourhood)
    # The list beside the map: newest registrations first.
    newest_first = in_box.select_related("category").order_by(
        "-registration_year", "-registration_number"
    )
    # The list beside the map as it opens, with the filters' defaults.
    open_list = CaseFilters().sorted_cases(dispatcher, timezone.now())
    return [
        Measured(
            "worklist: a department's open cases by due date, first page", worklist[:PAGE_SIZE], 50
        ),
        Measured("worklist: count of that department's open cases", worklist, count=True),
        Measured("map: cases in a neighbourhood box, count", in_box, count=True),
        Measured("map: cases in a neighbourhood box, first page", newest_first[:PAGE_SIZE]),
        MeasuredCall(
            "map: whole-city grid of all cases",
            whole_city_map(dispatcher, city, {"status": list(Status.values)}),
            300,
        ),
        # The map as it opens: the open cases, the filters' default.
        MeasuredCall(
            "map: whole-city grid of open cases", whole_city_map(dispatcher, city, {}), 300
        ),
        MeasuredCall("public map: whole-city grid of public reports", whole_city_public_map(city)),
        Measured("list: the open cases, newest first, first page", open_list[:PAGE_SIZE], 100),
        Measured("list: count of the open cases", open_list, count=True),
        Measured(
            "stats: counts by status × category × department",
            counts_by("status", "category", "department"),
            500,
        ),
        Measured("stats: counts by status × category", counts_by("status", "category"), 500),
    ]


def time_queries(
    queries: list[Measure], *, runs: int, explain: bool, progress: Callable[[str], None]
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
            plans = [explain_plan(sql, params) for sql, params in query.statements()]
            figure = replace(figure, explain="\n\n".join(plans))
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
