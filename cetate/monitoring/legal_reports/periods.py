"""The period a legal report covers: whole days of the city's calendar, first and last
included, and the two periods the law asks for most."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from cetate.cases.deadlines import CITY_TZ


@dataclass(frozen=True)
class Period:
    """From the first day's midnight to the midnight after the last day, in the city's time."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period ends on or after its first day")

    @property
    def starts(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=CITY_TZ)

    @property
    def ends(self) -> datetime:
        """The first moment after the period (exclusive)."""
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=CITY_TZ)


def last_half_year(today: date) -> Period:
    """The last half-year that has ended: January–June or July–December (OG 27/2002 art. 13)."""
    if today.month > 6:
        return Period(date(today.year, 1, 1), date(today.year, 6, 30))
    return Period(date(today.year - 1, 7, 1), date(today.year - 1, 12, 31))


def last_year(today: date) -> Period:
    """The last calendar year that has ended (Law 544/2001's yearly report)."""
    return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
