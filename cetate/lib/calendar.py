"""The Romanian working calendar: weekends, legal public holidays and extra days off.

Pure code: the extra days the government grants come in as an argument (they live in the
database table `NonWorkingDay`), so every function here is testable without a database.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    # Holidays of a past or future year never change: caching them is safe across processes.
    return frozenset(holidays.country_holidays("RO", years=year).keys())


@dataclass(frozen=True)
class WorkCalendar:
    extra_days_off: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def with_days_off(cls, days: Iterable[date]) -> "WorkCalendar":
        return cls(extra_days_off=frozenset(days))

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in _public_holidays(day.year)
            and day not in self.extra_days_off
        )

    def on_or_after(self, day: date) -> date:
        """The day itself if it is a working day, otherwise the next working day."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def on_or_before(self, day: date) -> date:
        """The day itself if it is a working day, otherwise the working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def add_working_days(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (start itself not counted)."""
        day = start
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative when end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=offset))
        )
