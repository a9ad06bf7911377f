"""Places made coarse enough to point at no one's home: an address cut to its street, a point
moved to a grid of about 50 m."""

from __future__ import annotations

import math
import re

# Grid steps per degree: 1/2000° is 55 m north–south and 39 m east–west at Alba Iulia, the
# same grid the public map rounds to.
GRID_STEPS_PER_DEGREE = 2000

# Words that start the part of a Romanian address finer than the street: number, block,
# staircase, floor, flat.
_FINER = re.compile(
    r"\s+(?:nr|no|număr|numărul|numarul|bl|bloc|blocul|sc|scara|et|etaj|etajul|ap|apart"
    r"|apartament|apartamentul)\b.*$",
    re.IGNORECASE,
)
_HOUSE_NUMBER = re.compile(r"\s+\d+[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?$")


def street_only(address: str) -> str:
    """The street of an address: "Str. Zorilor nr. 12, bl. A, ap. 3" → "Str. Zorilor".

    What follows the first comma, a number word (nr., bl., sc., ap., …) or a house number at
    the end is dropped; a street whose name ends in a number ("1 Decembrie 1918") may lose
    that number, which errs on the side of saying less.
    """
    street = address.split(",", 1)[0].strip()
    street = _FINER.sub("", street)
    return _HOUSE_NUMBER.sub("", street).strip()


def coarse_degrees(value: float) -> float:
    """`value` (degrees of latitude or longitude) on the grid of about 50 m."""
    return round(math.floor(value * GRID_STEPS_PER_DEGREE + 0.5) / GRID_STEPS_PER_DEGREE, 6)
