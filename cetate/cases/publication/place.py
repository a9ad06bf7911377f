"""Where the public sees a case: its exact point (things in the street) or the point rounded to
the public grid (anything that may point at a home), in Python and in SQL.

The grid has ROUNDING lines per degree: 1/2000° is 55 m north–south and 39 m east–west at Alba
Iulia. Every public surface rounds on this one grid, so that no two of them reveal different
roundings that together say more. Every choice a public map makes — which cases fall inside a
box, which group a case counts in, where a group's centre is — is taken on the public point, so
that no sequence of requests can narrow a rounded case down past its rounding.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

from django.db.models import Case as Choose
from django.db.models import F, FloatField, Q, Value, When

from cetate.lib.sql import CellIndex

ROUNDING = 2000
# Added before rounding so that the value rounded is never negative (SQLite's CAST truncates).
OFFSET = 180.0
# Exact points are given to about 10 cm: more digits say nothing about the street.
EXACT_DIGITS = 6


def rounded(value: float) -> float:
    """`value` (degrees) on the public grid: the same as `rounded_index` computes in SQL."""
    return round(math.floor((value + OFFSET) * ROUNDING + 0.5) / ROUNDING - OFFSET, 6)


def exact(value: float) -> float:
    return round(value, EXACT_DIGITS)


def rounded_index(field: str) -> CellIndex:
    """The public grid line nearest to `field`, counted from -OFFSET degrees."""
    return CellIndex((F(field) + Value(OFFSET)) * Value(float(ROUNDING)) + Value(0.5))


def from_index(index: Any) -> Any:
    """Degrees of a grid line given by `rounded_index` (an expression or a number)."""
    return index / Value(float(ROUNDING)) - Value(OFFSET)


def public_coordinate(field: str, exact_category_ids: Collection[int]) -> Any:
    """SQL twin of the public point's `field` ("latitude" or "longitude"): the column itself for
    cases of the exact categories, the rounded one for every other."""
    on_grid = from_index(rounded_index(field))
    if not exact_category_ids:
        return on_grid
    return Choose(
        When(category_id__in=sorted(exact_category_ids), then=F(field)),
        default=on_grid,
        output_field=FloatField(),
    )


def _grid_low(value: float) -> float:
    return (math.ceil((value + OFFSET) * ROUNDING) - 0.5) / ROUNDING - OFFSET


def _grid_high(value: float) -> float:
    return (math.floor((value + OFFSET) * ROUNDING) + 0.5) / ROUNDING - OFFSET


def within(
    south: float,
    west: float,
    north: float,
    east: float,
    *,
    exact_category_ids: Collection[int] = (),
    rounded_category_ids: Collection[int] | None = None,
) -> Q:
    """Cases whose public point lies inside the box, tested on the exact columns so that the
    location index serves.

    A rounded case is inside when its rounded point is: the bounds are the rounding's own
    edges. An exact case is inside when its point is. With both kinds of category the query
    scans the box that holds both and keeps, of each kind, what its own bounds allow.
    `rounded_category_ids` None means every category that is not exact.
    """
    grid = Q(
        latitude__gte=_grid_low(south),
        latitude__lt=_grid_high(north),
        longitude__gte=_grid_low(west),
        longitude__lt=_grid_high(east),
    )
    if not exact_category_ids:
        return grid
    point = Q(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)
    exact_ids = sorted(exact_category_ids)
    if rounded_category_ids is not None and not rounded_category_ids:
        return point & Q(category_id__in=exact_ids)
    outer = Q(
        latitude__gte=min(south, _grid_low(south)),
        latitude__lte=max(north, _grid_high(north)),
        longitude__gte=min(west, _grid_low(west)),
        longitude__lte=max(east, _grid_high(east)),
    )
    return outer & ((Q(category_id__in=exact_ids) & point) | (~Q(category_id__in=exact_ids) & grid))
