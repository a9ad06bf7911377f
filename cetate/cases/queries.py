"""Case lists as the database computes them: deadline states as SQL, for filters and counts.

They mirror `deadlines.case_deadline_state` so that a list, a count and a map cell agree with
the state shown on the case itself. The answer is held to its internal due date (`internal_due`,
never later than the legal deadline), which every open case with a legal deadline has.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Case as When_
from django.db.models import CharField, Q, QuerySet, Value, When

from cetate.cases.deadlines import CITY_TZ, DUE_SOON_DAYS, DeadlineState
from cetate.cases.models import Case
from cetate.cases.workflow import OPEN_STATUSES

# Sorted so that the condition repeats the partial worklist index's own, word for word.
OPEN = sorted(OPEN_STATUSES)


def is_open() -> Q:
    return Q(status__in=OPEN)


def has_unread_reply() -> Q:
    """The resident wrote and no one on staff has read it yet (the partial index's condition)."""
    return Q(unread_reply_at__isnull=False)


def is_overdue(now: datetime) -> Q:
    today = now.astimezone(CITY_TZ).date()
    return is_open() & (Q(internal_due__lt=today) | Q(service_due__lt=now))


def is_due_soon(now: datetime) -> Q:
    """Open, not overdue, and due within DUE_SOON_DAYS days of the city's calendar."""
    today = now.astimezone(CITY_TZ).date()
    last_day = today + timedelta(days=DUE_SOON_DAYS)
    after_last_day = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=CITY_TZ)
    soon = Q(internal_due__lte=last_day) | Q(service_due__lt=after_last_day)
    return is_open() & soon & ~is_overdue(now)


def is_on_time(now: datetime) -> Q:
    has_deadline = Q(internal_due__isnull=False) | Q(service_due__isnull=False)
    return is_open() & has_deadline & ~is_overdue(now) & ~is_due_soon(now)


def in_deadline_state(now: datetime, state: DeadlineState | str) -> Q:
    state = DeadlineState(state)
    if state == DeadlineState.OVERDUE:
        return is_overdue(now)
    if state == DeadlineState.DUE_SOON:
        return is_due_soon(now)
    if state == DeadlineState.ON_TIME:
        return is_on_time(now)
    return ~(is_overdue(now) | is_due_soon(now) | is_on_time(now))


def with_deadline_state(cases: QuerySet[Case], now: datetime) -> QuerySet[Case]:
    """Annotate `deadline_state` (a DeadlineState value) on each case."""
    return cases.annotate(
        deadline_state=When_(
            When(is_overdue(now), then=Value(DeadlineState.OVERDUE.value)),
            When(is_due_soon(now), then=Value(DeadlineState.DUE_SOON.value)),
            When(is_on_time(now), then=Value(DeadlineState.ON_TIME.value)),
            default=Value(DeadlineState.NONE.value),
            output_field=CharField(),
        )
    )
