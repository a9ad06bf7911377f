"""What the public map draws for a box: rounded spots with their cases when they are few, counts
per grid cell when they are many — grouped by the database, on rounded locations only.

It follows the staff map's grid (cetate/console/mapgrid.py: cells of about 64 pixels, on a grid
fixed to the globe) with two differences: a cell's cases, centre and membership come from the
public point the policy gives each case (cetate/cases/publication: exact or rounded, per
category), and the box is widened to whole cells so that panning a little asks the same
question again, which the cache can answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, QuerySet, Value
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cetate.cases.models import Case
from cetate.cases.publication import public_coordinate, rounded, within
from cetate.console.mapgrid import (
    LATITUDE_OFFSET,
    LONGITUDE_OFFSET,
    MAX_POINTS,
    Box,
    Grid,
)
from cetate.lib.sql import CellIndex
from cetate.portal.public_cases import PUBLIC_FIELDS, Describer, PublicCase


def whole_cells(box: Box, grid: Grid) -> Box:
    """`box` widened to the edges of the grid cells it touches."""

    def edge(value: float, size: float, offset: float, *, upper: bool) -> float:
        index = math.floor((value + offset) / size) + (1 if upper else 0)
        return index * size - offset

    return Box(
        south=edge(box.south, grid.latitude, LATITUDE_OFFSET, upper=False),
        west=edge(box.west, grid.longitude, LONGITUDE_OFFSET, upper=False),
        north=edge(box.north, grid.latitude, LATITUDE_OFFSET, upper=True),
        east=edge(box.east, grid.longitude, LONGITUDE_OFFSET, upper=True),
    )


@dataclass(frozen=True)
class Spot:
    """The cases at one public point, newest first."""

    latitude: float
    longitude: float
    cases: list[PublicCase]

    def label(self) -> str:
        first = self.cases[0]
        text = ", ".join(
            [first.label, first.category, first.status_label, date_format(first.registered)]
        )
        if len(self.cases) > 1:
            others = len(self.cases) - 1
            text += ngettext(
                " and %(count)s other report here",
                " and %(count)s other reports here",
                others,
            ) % {"count": number_format(others, force_grouping=True)}
        return text


@dataclass(frozen=True)
class Group:
    """How many cases a grid cell holds, and the centre of their public points."""

    latitude: float
    longitude: float
    count: int
    bounds: Box

    def label(self) -> str:
        return ngettext(
            "%(count)s reported problem. Zoom in.",
            "%(count)s reported problems. Zoom in.",
            self.count,
        ) % {"count": number_format(self.count, force_grouping=True)}


@dataclass(frozen=True)
class PublicMap:
    cases: int
    groups: list[Group]
    spots: list[Spot]

    def summary(self) -> str:
        if not self.cases:
            return _("No reported problem matches the filters in this part of the map.")
        text = ngettext(
            "%(count)s reported problem in this part of the map",
            "%(count)s reported problems in this part of the map",
            self.cases,
        ) % {"count": number_format(self.cases, force_grouping=True)}
        if self.groups:
            text += ngettext(
                ", in %(groups)s group. Choose a group to zoom in.",
                ", in %(groups)s groups. Choose a group to zoom in.",
                len(self.groups),
            ) % {"groups": number_format(len(self.groups), force_grouping=True)}
        else:
            text += "."
        return text

    def as_json(self, case_url: Callable[[PublicCase], str]) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "summary": self.summary(),
            "cells": [
                {
                    "lat": group.latitude,
                    "lon": group.longitude,
                    "count": group.count,
                    "label": group.label(),
                    "bounds": [round(value, 6) for value in group.bounds.as_list()],
                }
                for group in self.groups
            ],
            "points": [
                {
                    "lat": spot.latitude,
                    "lon": spot.longitude,
                    "count": len(spot.cases),
                    "label": spot.label(),
                    "cases": [
                        {
                            "number": case.label,
                            "url": case_url(case),
                            "category": case.category,
                            "status": case.status.value,
                            "status_label": case.status_label,
                            "date": case.registered.isoformat(),
                            "date_label": date_format(case.registered),
                        }
                        for case in spot.cases
                    ],
                }
                for spot in self.spots
            ],
        }


def view_of(box: Box, zoom: int) -> tuple[Box, Grid]:
    """The grid of `box` seen at `zoom`, and the box widened to the cells it touches."""
    grid = Grid.for_view(box, zoom)
    return whole_cells(box, grid), grid


def public_map(cases: QuerySet[Case], *, box: Box, grid: Grid, describe: Describer) -> PublicMap:
    """What `cases` show inside `box` (widened by `view_of`) on `grid`."""
    exact = describe.exact_category_ids
    inside = within(
        box.south,
        box.west,
        box.north,
        box.east,
        exact_category_ids=exact,
        rounded_category_ids=set(describe.categories) - exact,
    )
    in_box = cases.filter(inside)
    # No ORDER BY: the database stops at the limit instead of sorting every match.
    rows = list(in_box.order_by().only(*PUBLIC_FIELDS)[: MAX_POINTS + 1])
    if len(rows) <= MAX_POINTS:
        described = [describe(row) for row in rows]
        spots = _spots([case for case in described if case is not None])
        return PublicMap(cases=sum(len(spot.cases) for spot in spots), groups=[], spots=spots)
    groups = _groups(in_box, grid, exact)
    return PublicMap(cases=sum(group.count for group in groups), groups=groups, spots=[])


def _spots(cases: list[PublicCase]) -> list[Spot]:
    at: dict[tuple[float, float], list[PublicCase]] = {}
    for case in cases:
        at.setdefault((case.latitude, case.longitude), []).append(case)
    spots = []
    for (latitude, longitude), here in sorted(at.items()):
        here.sort(key=lambda case: (case.year, case.number), reverse=True)
        spots.append(Spot(latitude=latitude, longitude=longitude, cases=here))
    return spots


def _groups(cases: QuerySet[Case], grid: Grid, exact_category_ids: set[int]) -> list[Group]:
    rows = (
        cases.annotate(
            public_lat=public_coordinate("latitude", exact_category_ids),
            public_lon=public_coordinate("longitude", exact_category_ids),
        )
        .annotate(
            row=CellIndex((F("public_lat") + Value(LATITUDE_OFFSET)) / Value(grid.latitude)),
            col=CellIndex((F("public_lon") + Value(LONGITUDE_OFFSET)) / Value(grid.longitude)),
        )
        .values("row", "col")
        .order_by()
        .annotate(count=Count("*"), lat=Avg("public_lat"), lon=Avg("public_lon"))
    )
    groups = [
        Group(
            latitude=rounded(row["lat"]),
            longitude=rounded(row["lon"]),
            count=row["count"],
            bounds=grid.bounds(int(row["row"]), int(row["col"])),
        )
        for row in rows
    ]
    groups.sort(key=lambda group: (group.bounds.south, group.bounds.west))
    return groups
