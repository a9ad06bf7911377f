"""When things happen in the demo city: when residents write, when staff work, and the
moments of a case's later steps, each after the one before."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils.translation import gettext as _

from cetate.cases.choices import Channel
from cetate.cases.deadlines import CITY_TZ
from cetate.demo.mode import DemoDataError
from cetate.lib.calendar import WorkCalendar

MIN_GAP = timedelta(minutes=1)
MAX_DRAWS = 100_000
# Share of weekend days on which the online channels and the phone are as busy as on weekdays.
WEEKEND_ACTIVITY = 0.55


@dataclass(frozen=True)
class Hours:
    """When a kind of actor works (local time, closing hour excluded)."""

    opens: int
    closes: int
    working_days_only: bool


OFFICE = Hours(8, 16, working_days_only=True)  # departments and the front desk
DISPATCH = Hours(7, 22, working_days_only=False)  # the dispatch centre, 7 days out of 7
ANY_TIME = Hours(0, 24, working_days_only=False)  # the system


def _profile(weights: dict[int, float]) -> tuple[float, ...]:
    return tuple(weights.get(hour, 0.0) for hour in range(24))


@dataclass(frozen=True)
class IntakeHours:
    """How the cases of a channel are spread over the hours of the day."""

    weights: tuple[float, ...]
    working_days_only: bool


_DESK = _profile({8: 3, 9: 5, 10: 6, 11: 6, 12: 5, 13: 4, 14: 4, 15: 2})
_PHONE = _profile({7: 2, 8: 5, 9: 7, 10: 7, 11: 6, 12: 5, 13: 5, 14: 5, 15: 5, 16: 4, 17: 4,
                   18: 3, 19: 3, 20: 2, 21: 1})  # fmt: skip
_ONLINE = _profile({0: 0.5, 1: 0.2, 2: 0.1, 3: 0.1, 4: 0.1, 5: 0.3, 6: 1, 7: 2, 8: 4, 9: 5,
                    10: 5, 11: 5, 12: 5, 13: 4, 14: 4, 15: 4, 16: 4, 17: 4, 18: 5, 19: 6,
                    20: 6, 21: 5, 22: 3, 23: 1.5})  # fmt: skip
INTAKE_HOURS = {
    Channel.DESK: IntakeHours(_DESK, working_days_only=True),
    Channel.KIOSK: IntakeHours(_DESK, working_days_only=True),
    Channel.PHONE: IntakeHours(_PHONE, working_days_only=False),
    Channel.PORTAL: IntakeHours(_ONLINE, working_days_only=False),
    Channel.EMAIL: IntakeHours(_ONLINE, working_days_only=False),
    Channel.API: IntakeHours(_ONLINE, working_days_only=False),
}


def registration_moment(
    rng: random.Random,
    channel: Channel,
    *,
    start: datetime,
    end: datetime,
    calendar: WorkCalendar,
) -> datetime:
    """A moment between `start` and `end` when a resident could reach the city this way."""
    hours = INTAKE_HOURS[channel]
    first_day = start.astimezone(CITY_TZ).date()
    span = (end.astimezone(CITY_TZ).date() - first_day).days
    for _attempt in range(MAX_DRAWS):
        day = first_day + timedelta(days=rng.randint(0, span))
        if hours.working_days_only and not calendar.is_working_day(day):
            continue
        if day.weekday() >= 5 and rng.random() > WEEKEND_ACTIVITY:
            continue
        hour = rng.choices(range(24), weights=hours.weights)[0]
        local = datetime.combine(
            day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=CITY_TZ
        )
        moment = local.astimezone(UTC)
        if start <= moment <= end:
            return moment
    raise DemoDataError(
        _("No moment between %(start)s and %(end)s suits the %(channel)s.")
        % {"start": start, "end": end, "channel": channel.label}
    )


def next_opening(moment: datetime, hours: Hours, calendar: WorkCalendar) -> datetime:
    """`moment` itself when `hours` are kept then, else the next time they open."""
    local = moment.astimezone(CITY_TZ)
    day: date = local.date()
    if local.hour >= hours.closes:
        day += timedelta(days=1)
    while hours.working_days_only and not calendar.is_working_day(day):
        day += timedelta(days=1)
    opening = datetime.combine(day, time(hours.opens), tzinfo=CITY_TZ).astimezone(UTC)
    return max(opening, moment)


class CaseClock:
    """The moments of one case's steps: each within its actor's hours, after the previous."""

    def __init__(self, start: datetime, rng: random.Random, calendar: WorkCalendar) -> None:
        self.now = start
        self.rng = rng
        self.calendar = calendar

    def after(self, delay: timedelta, hours: Hours, by: datetime | None = None) -> datetime:
        """The moment of the next step, `delay` after the previous one or at the next opening;
        when that would be after `by`, a moment before `by`: work due then is done in time,
        out of hours if need be."""
        candidate = self.now + delay
        moment = next_opening(candidate, hours, self.calendar)
        if moment != candidate:
            # Nobody starts work on the stroke of the opening hour.
            moment += timedelta(minutes=self.rng.uniform(5, 120))
        if by is not None and moment > by:
            moment = self.now + max(by - self.now, timedelta(0)) * self.rng.uniform(0.3, 0.9)
        self.now = max(moment, self.now + MIN_GAP)
        return self.now

    def hours(self, low: float, high: float) -> timedelta:
        return timedelta(hours=self.rng.uniform(low, high))

    def days(self, low: float, high: float) -> timedelta:
        return timedelta(days=self.rng.uniform(low, high))
