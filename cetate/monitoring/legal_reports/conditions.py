"""What the legal reports count, as SQL conditions on cases: when a case was registered, when
it was solved, whether it was solved on time, what came of it.

A case is *solved* at the moment the city's decision left it: the answer (`resolved_at`, for a
case resolved or since closed), or the status change that ended it without an answer of its
own — redirected to another authority, merged into an earlier case, rejected as inadmissible
(`status_changed_at`: these statuses are final, so it is the moment they were entered). A
resolved case reopened since is open again. Cancelled registrations are never solved.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Case as When_
from django.db.models import Count, DateTimeField, F, Q, QuerySet, When
from django.db.models.functions import TruncDate

from cetate.cases.choices import Outcome
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.cases.queries import OPEN
from cetate.cases.workflow import Status
from cetate.monitoring.legal_reports.periods import Period

ANSWERED = (Status.RESOLVED, Status.CLOSED)
ENDED = (Status.REDIRECTED, Status.MERGED, Status.REJECTED)

# An outcome not recorded on a case whose status says it all.
OUTCOME_OF_STATUS = {Outcome.REDIRECTED: Status.REDIRECTED, Outcome.FILED: Status.REJECTED}
# The key of figures whose outcome, ground, topic or channel was not recorded.
NOT_RECORDED = ""
# A case merged into an earlier one (OG 27/2002 art. 10: joined), whatever its outcome says.
JOINED = "joined"


def registered_in(period: Period) -> Q:
    return Q(registered_at__gte=period.starts, registered_at__lt=period.ends)


def not_cancelled() -> Q:
    return ~Q(status=Status.CANCELLED)


def solved_in(period: Period) -> Q:
    return Q(status__in=ANSWERED, resolved_at__gte=period.starts, resolved_at__lt=period.ends) | Q(
        status__in=ENDED, status_changed_at__gte=period.starts, status_changed_at__lt=period.ends
    )


def open_at_end(period: Period) -> Q:
    """Registered by the end of the period and not solved by then (as the register stands)."""
    not_solved_yet = (
        Q(status__in=OPEN)
        | Q(status__in=ANSWERED, resolved_at__gte=period.ends)
        | Q(status__in=ENDED, status_changed_at__gte=period.ends)
    )
    return Q(registered_at__lt=period.ends) & not_solved_yet


def concerned_by(period: Period) -> Q:
    """Every case a figure of the period may count: registered in it, open now, or solved
    since its start. Narrows the rows the counting reads — each part through an index of its
    own (registration, status, resolution), so that years of history stay unread; each figure
    has its own condition."""
    return Q(registered_at__lt=period.ends) & (
        registered_in(period)
        | Q(status__in=OPEN)
        | Q(resolved_at__gte=period.starts)
        | Q(status__in=ENDED, status_changed_at__gte=period.starts)
    )


def with_solved_on(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`solved_on`: the city's calendar day the case was solved on (None while it is not)."""
    solved_at = When_(
        When(status__in=ANSWERED, then=F("resolved_at")),
        When(status__in=ENDED, then=F("status_changed_at")),
        output_field=DateTimeField(),
    )
    return cases.alias(solved_on=TruncDate(solved_at, tzinfo=CITY_TZ))


def late() -> Q:
    """Answered after the legal deadline: as recorded with the answer, or, where it was not,
    solved after the day of the legal deadline. Needs `with_solved_on`."""
    return Q(answered_on_time=False) | Q(
        answered_on_time__isnull=True, legal_due__isnull=False, solved_on__gt=F("legal_due")
    )


def on_time() -> Q:
    """Everything solved that is not late (a case without a legal deadline is never late)."""
    return Q(answered_on_time=True) | Q(
        Q(answered_on_time__isnull=True)
        & (Q(legal_due__isnull=True) | Q(solved_on__lte=F("legal_due")))
    )


def outcome_is(outcome: str) -> Q:
    """What came of a solved case: the outcome recorded with the answer; for a case without
    one, redirected or rejected, what its status says; merged cases are JOINED whatever else."""
    if outcome == JOINED:
        return Q(status=Status.MERGED)
    recorded = Q(outcome=outcome)
    if outcome in OUTCOME_OF_STATUS:
        recorded |= Q(outcome=NOT_RECORDED, status=OUTCOME_OF_STATUS[Outcome(outcome)])
    elif outcome == NOT_RECORDED:
        recorded = Q(outcome=NOT_RECORDED, status__in=ANSWERED)
    return recorded & ~Q(status=Status.MERGED)


def count_each(cases: QuerySet[Case], conditions: Mapping[str, Q]) -> dict[str, int]:
    """How many of `cases` meet each condition, in one query."""
    counted = cases.aggregate(
        **{name: Count("pk", filter=condition) for name, condition in conditions.items()}
    )
    return {name: int(counted[name] or 0) for name in conditions}


def count_each_by(
    cases: QuerySet[Case], field: str, conditions: Mapping[str, Q]
) -> dict[object, dict[str, int]]:
    """`count_each` for each value of `field`, in one grouped query."""
    rows = (
        cases.values(field)
        .annotate(**{name: Count("pk", filter=condition) for name, condition in conditions.items()})
        .order_by()
    )
    return {row[field]: {name: int(row[name]) for name in conditions} for row in rows}
