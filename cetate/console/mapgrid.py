"""What the console's map draws for a part of the city, computed by the database.

A map never receives every case: the cases inside the visible box are grouped by the database
into grid cells (GROUP BY a cell index computed from latitude and longitude), each with its
count, its mean point and its counts per deadline state. Only when the box holds few cases, or
the map is zoomed in to street level, are the cases sent one by one. Either way a response holds
a bounded number of items, whatever the number of cases and whatever box and zoom are asked for.

Cells follow the zoom: a cell spans about CELL_PIXELS on screen, on a grid fixed to the globe
so that panning keeps the same cells. Its height in degrees is its width times the cosine of
the latitude, which makes cells square on Leaflet's (Web Mercator) map.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cetate.cases.deadlines import DEADLINE_STATE_LABELS, DeadlineState
from cetate.cases.models import Case
from cetate.cases.queries import is_due_soon, is_on_time, is_open, is_overdue, with_deadline_state
from cetate.lib.i18n import pick_language
from cetate.lib.sql import CellIndex

# Up to this many cases in the box are drawn one by one rather than grouped.
MAX_POINTS = 300
# From this zoom on (a few streets on screen) cases are drawn one by one, at most MAX_POINTS.
STREET_ZOOM = 18
MAX_ZOOM = 20
# A cell is about this wide on screen; Leaflet's tiles are 256 pixels wide.
CELL_PIXELS = 64
TILE_PIXELS = 256
# However large the box asked for, it is cut into at most this many cells along each side.
MAX_CELLS_PER_SIDE = 40
# Web Mercator, as Leaflet draws it, stops short of the poles.
MAX_LATITUDE = 85.0511287798
# Grid indexes count from the south pole and the antimeridian: never negative.
LATITUDE_OFFSET = 90.0
LONGITUDE_OFFSET = 180.0


class MapRequestError(ValueError):
    """A box or zoom the map cannot draw; the message says why."""


@dataclass(frozen=True)
class Box:
    """A part of the map, in degrees."""

    south: float
    west: float
    north: float
    east: float

    @classmethod
    def parse(cls, text: str) -> Box:
        """Leaflet's `getBounds().toBBoxString()`: "west,south,east,north"."""
        try:
            west, south, east, north = (float(part) for part in text.split(","))
        except ValueError:
            raise MapRequestError(_("The map's box must be four numbers.")) from None
        if not all(math.isfinite(v) for v in (west, south, east, north)):
            raise MapRequestError(_("The map's box must be four numbers."))
        box = cls(
            south=_clamp(south, -90, 90),
            west=_clamp(west, -180, 180),
            north=_clamp(north, -90, 90),
            east=_clamp(east, -180, 180),
        )
        if box.south > box.north or box.west > box.east:
            raise MapRequestError(_("The map's box is upside down."))
        return box

    def contains(self) -> Q:
        return Q(
            latitude__gte=self.south,
            latitude__lte=self.north,
            longitude__gte=self.west,
            longitude__lte=self.east,
        )

    def as_list(self) -> list[float]:
        """[[south, west], [north, east]] flattened: what Leaflet's bounds are built from."""
        return [self.south, self.west, self.north, self.east]


def parse_zoom(text: str | None) -> int:
    try:
        zoom = int(text or "")
    except ValueError:
        raise MapRequestError(_("The map's zoom must be a whole number.")) from None
    return int(_clamp(zoom, 0, MAX_ZOOM))


@dataclass(frozen=True)
class Cell:
    """A group of cases: how many, where they are on average, and how their deadlines stand."""

    latitude: float
    longitude: float
    count: int
    overdue: int
    due_soon: int
    on_time: int
    bounds: Box

    @property
    def state(self) -> DeadlineState:
        """The worst deadline state of the cell's cases."""
        if self.overdue:
            return DeadlineState.OVERDUE
        if self.due_soon:
            return DeadlineState.DUE_SOON
        if self.on_time:
            return DeadlineState.ON_TIME
        return DeadlineState.NONE

    def label(self) -> str:
        """The cell in words, for its tooltip and for screen readers."""
        parts = [
            ngettext("%(count)s case", "%(count)s cases", self.count)
            % {"count": number_format(self.count, force_grouping=True)}
        ]
        if self.overdue:
            parts.append(
                ngettext("%(count)s overdue", "%(count)s overdue", self.overdue)
                % {"count": number_format(self.overdue, force_grouping=True)}
            )
        if self.due_soon:
            parts.append(
                ngettext("%(count)s due soon", "%(count)s due soon", self.due_soon)
                % {"count": number_format(self.due_soon, force_grouping=True)}
            )
        return _("%(counts)s. Zoom in.") % {"counts": ", ".join(parts)}


@dataclass(frozen=True)
class Point:
    id: int
    number: str
    latitude: float
    longitude: float
    state: DeadlineState
    category: str

    def label(self) -> str:
        parts = [self.number, self.category, str(DEADLINE_STATE_LABELS[self.state])]
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class MapData:
    """The map of a box: either cells or points, never both."""

    cases: int  # cases in the box, drawn or not
    cells: list[Cell]
    points: list[Point]

    @property
    def truncated(self) -> bool:
        return not self.cells and len(self.points) < self.cases

    @property
    def overdue(self) -> int:
        if self.cells:
            return sum(cell.overdue for cell in self.cells)
        return sum(1 for point in self.points if point.state == DeadlineState.OVERDUE)

    def summary(self) -> str:
        """What the map shows, said in words for those who do not see it."""
        count = number_format(self.cases, force_grouping=True)
        if not self.cases:
            return _("No case of this list lies in this part of the map.")
        text = ngettext(
            "%(count)s case in this part of the map",
            "%(count)s cases in this part of the map",
            self.cases,
        ) % {"count": count}
        if self.overdue:
            text += ngettext(
                ", %(overdue)s of them overdue", ", %(overdue)s of them overdue", self.overdue
            ) % {"overdue": number_format(self.overdue, force_grouping=True)}
        if self.cells:
            text += ngettext(
                ", in %(groups)s group. Choose a group to zoom in.",
                ", in %(groups)s groups. Choose a group to zoom in.",
                len(self.cells),
            ) % {"groups": number_format(len(self.cells), force_grouping=True)}
        elif self.truncated:
            text += ". " + _(
                "The first %(shown)s are drawn: narrow the filters to see the others."
            ) % {"shown": number_format(len(self.points), force_grouping=True)}
        else:
            text += "."
        return text

    def as_json(self, case_url: Callable[[int], str]) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "summary": self.summary(),
            "truncated": self.truncated,
            "cells": [
                {
                    "lat": round(cell.latitude, 6),
                    "lon": round(cell.longitude, 6),
                    "count": cell.count,
                    "overdue": cell.overdue,
                    "due_soon": cell.due_soon,
                    "on_time": cell.on_time,
                    "state": cell.state.value,
                    "label": cell.label(),
                    "bounds": [round(value, 6) for value in cell.bounds.as_list()],
                }
                for cell in self.cells
            ],
            "points": [
                {
                    "id": point.id,
                    "number": point.number,
                    "lat": point.latitude,
                    "lon": point.longitude,
                    "state": point.state.value,
                    "state_label": str(DEADLINE_STATE_LABELS[point.state]),
                    "category": point.category,
                    "label": point.label(),
                    "url": case_url(point.id),
                }
                for point in self.points
            ],
        }


@dataclass(frozen=True)
class Grid:
    """Cell sizes in degrees for a box seen at a zoom."""

    latitude: float
    longitude: float

    @classmethod
    def for_view(cls, box: Box, zoom: int) -> Grid:
        longitude = 360 / 2**zoom * CELL_PIXELS / TILE_PIXELS
        # Rounded to a whole degree so that the grid stays put while the map pans.
        middle = round((box.south + box.north) / 2)
        latitude = longitude * max(math.cos(math.radians(middle)), 0.05)
        while (
            box.east - box.west > longitude * MAX_CELLS_PER_SIDE
            or box.north - box.south > latitude * MAX_CELLS_PER_SIDE
        ):
            latitude, longitude = latitude * 2, longitude * 2
        return cls(latitude=latitude, longitude=longitude)

    def row(self) -> CellIndex:
        return CellIndex((F("latitude") + Value(LATITUDE_OFFSET)) / Value(self.latitude))

    def col(self) -> CellIndex:
        return CellIndex((F("longitude") + Value(LONGITUDE_OFFSET)) / Value(self.longitude))

    def bounds(self, row: int, col: int) -> Box:
        return Box(
            south=row * self.latitude - LATITUDE_OFFSET,
            west=col * self.longitude - LONGITUDE_OFFSET,
            north=(row + 1) * self.latitude - LATITUDE_OFFSET,
            east=(col + 1) * self.longitude - LONGITUDE_OFFSET,
        )


def map_data(
    cases: QuerySet[Case], *, box: Box, zoom: int, now: datetime, only_open: bool = False
) -> MapData:
    """The cells or points of `cases` inside `box` at `zoom`, with deadline states at `now`.

    `only_open` says that `cases` holds open cases only (the map's default): counts and
    deadline states then come from one query instead of two.
    """
    in_box = cases.filter(box.contains())
    points = _points(in_box, now, limit=MAX_POINTS + 1)
    if len(points) <= MAX_POINTS:
        return MapData(cases=len(points), cells=[], points=points)
    if zoom >= STREET_ZOOM:
        return MapData(cases=in_box.count(), cells=[], points=points[:MAX_POINTS])
    cells = grid_cells(in_box, Grid.for_view(box, zoom), now, only_open=only_open)
    return MapData(cases=sum(cell.count for cell in cells), cells=cells, points=[])


def grid_cells(cases: QuerySet[Case], grid: Grid, now: datetime, *, only_open: bool) -> list[Cell]:
    """Counts, mean points and deadline states per cell, grouped by the database.

    Counting every case of a cell needs only status and location, which an index holds; the
    deadline states need the deadlines of open cases. With closed cases among `cases`, the
    two are counted apart so that closed cases are counted from the index alone.
    """
    by_cell = cases.annotate(row=grid.row(), col=grid.col()).values("row", "col").order_by()
    # Django refuses COUNT(*) with a filter; latitude is never null inside a box and, unlike
    # the id, lies in the location indexes.
    deadlines = {
        "overdue": Count("latitude", filter=is_overdue(now)),
        "due_soon": Count("latitude", filter=is_due_soon(now)),
        "on_time": Count("latitude", filter=is_on_time(now)),
    }
    # Sums, not averages: AVG keeps a sum of squares per group too, and costs a tenth of the
    # whole-city map of 1,000,000 cases. The mean point is the sum over the count.
    place = {"count": Count("*"), "lat": Sum("latitude"), "lon": Sum("longitude")}
    if only_open:
        rows = list(by_cell.annotate(**place, **deadlines))
        states = {(row["row"], row["col"]): row for row in rows}
    else:
        rows = list(by_cell.annotate(**place))
        open_cells = by_cell.filter(is_open()).annotate(**deadlines)
        states = {(row["row"], row["col"]): row for row in open_cells}
    cells = []
    for row in rows:
        state = states.get((row["row"], row["col"]), {})
        cells.append(
            Cell(
                latitude=row["lat"] / row["count"],
                longitude=row["lon"] / row["count"],
                count=row["count"],
                overdue=state.get("overdue", 0),
                due_soon=state.get("due_soon", 0),
                on_time=state.get("on_time", 0),
                bounds=grid.bounds(int(row["row"]), int(row["col"])),
            )
        )
    cells.sort(key=lambda cell: (cell.bounds.south, cell.bounds.west))
    return cells


def _points(cases: QuerySet[Case], now: datetime, *, limit: int) -> list[Point]:
    # No ORDER BY: the database stops at `limit` rows instead of sorting every match.
    # django-stubs cannot see the annotation with_deadline_state adds.
    rows = (
        with_deadline_state(cases, now)
        .order_by()
        .values(  # type: ignore[misc]
            "id",
            "registration_number",
            "registration_year",
            "latitude",
            "longitude",
            "deadline_state",
            "category__name",
            "category__name_en",
        )[:limit]
    )
    points = [
        Point(
            id=row["id"],
            number=f"{row['registration_number']}/{row['registration_year']}",
            latitude=row["latitude"],
            longitude=row["longitude"],
            state=DeadlineState(row["deadline_state"]),
            category=pick_language(row["category__name"] or "", {"en": row["category__name_en"]}),
        )
        for row in rows
    ]
    points.sort(key=lambda point: point.id, reverse=True)
    return points


def zoom_to_fit(box: Box, *, width: int, height: int) -> int:
    """The zoom at which Leaflet's fitBounds shows `box` in a map of width × height pixels."""
    lon_span = max(box.east - box.west, 1e-9) / 360
    y_span = max(_mercator_y(box.north) - _mercator_y(box.south), 1e-9) / (2 * math.pi)
    zoom = math.floor(
        min(math.log2(width / (TILE_PIXELS * lon_span)), math.log2(height / (TILE_PIXELS * y_span)))
    )
    return int(_clamp(zoom, 0, MAX_ZOOM))


def _mercator_y(latitude: float) -> float:
    phi = math.radians(_clamp(latitude, -MAX_LATITUDE, MAX_LATITUDE))
    return math.log(math.tan(math.pi / 4 + phi / 2))


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)
