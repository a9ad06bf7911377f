"""Where demo cases happen: points inside the city's boundary and addresses from its streets."""

from __future__ import annotations

import random
from collections.abc import Sequence

import shapely
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from cetate.demo.mode import DemoDataError

# Most reports come from the built-up core; the rest are spread over the whole territory.
SHARE_NEAR_CORE = 0.7
CORE_SPREAD = 0.08  # standard deviation, as a share of the boundary's width and height
NEIGHBOUR_SPREAD = 0.0003  # degrees, about 30 m: a second report of the same problem
MAX_DRAWS = 10_000


class Places:
    def __init__(self, boundary: BaseGeometry, streets: Sequence[str], rng: random.Random) -> None:
        if boundary.is_empty:
            raise DemoDataError(_("The city boundary is empty."))
        shapely.prepare(boundary)
        self.boundary = boundary
        self.streets = list(streets)
        self.rng = rng
        self.min_x, self.min_y, self.max_x, self.max_y = boundary.bounds
        centre = boundary.centroid
        self.core = centre if boundary.contains(centre) else boundary.representative_point()

    def inside(self, latitude: float, longitude: float) -> bool:
        return bool(shapely.contains_xy(self.boundary, longitude, latitude))

    def point(self) -> tuple[float, float]:
        """(latitude, longitude) of a random place in the city, rounded to about 10 cm."""
        rng = self.rng
        for _attempt in range(MAX_DRAWS):
            if rng.random() < SHARE_NEAR_CORE:
                x = rng.gauss(self.core.x, CORE_SPREAD * (self.max_x - self.min_x))
                y = rng.gauss(self.core.y, CORE_SPREAD * (self.max_y - self.min_y))
            else:
                x = rng.uniform(self.min_x, self.max_x)
                y = rng.uniform(self.min_y, self.max_y)
            latitude, longitude = round(y, 6), round(x, 6)
            if self.inside(latitude, longitude):
                return latitude, longitude
        raise DemoDataError(_("No point could be found inside the city boundary."))

    def near(self, latitude: float, longitude: float) -> tuple[float, float]:
        """A place a few metres away, still inside the city."""
        moved = (
            round(latitude + self.rng.uniform(-NEIGHBOUR_SPREAD, NEIGHBOUR_SPREAD), 6),
            round(longitude + self.rng.uniform(-NEIGHBOUR_SPREAD, NEIGHBOUR_SPREAD), 6),
        )
        return moved if self.inside(*moved) else (latitude, longitude)

    def address(self) -> str:
        """A street of the city with a house number; empty when the city has no streets."""
        if not self.streets:
            return ""
        return f"{self.rng.choice(self.streets)} nr. {self.rng.randint(1, 80)}"
