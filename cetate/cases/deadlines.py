"""Deadline arithmetic: what the law (OG 27/2002, Law 544/2001) and the city promise.

Pure functions of dates and a `WorkCalendar`; the case services call them and store the
results on the case. Nothing here reads the database or the clock.

Two dates are kept for a case's answer:

- the **legal deadline** (`legal_due`, `term_end`): the law's latest date, read leniently —
  the registration day and the last day not counted, a term ending on a day off moved to the
  next working day;
- the **internal due date** (`internal_due`, `internal_term_end`): the date the city holds
  itself to and promises the resident. By default (`InternalDueRule.STRICT`) the term's days
  are counted as calendar days from the registration day, and a date falling on a day off
  moves back to the working day before it, so the answer is on time under any reading of the
  law; `InternalDueRule.LEGAL` makes it the legal deadline.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.cases.choices import PETITION_KINDS, Kind
from cetate.cases.errors import DomainError
from cetate.lib.calendar import WorkCalendar

CITY_TZ = ZoneInfo("Europe/Bucharest")

PETITION_DAYS = 30  # OG 27/2002 art. 8
PETITION_EXTENSION_MAX_DAYS = 15  # OG 27/2002 art. 9
INFORMATION_DAYS = 10  # Law 544/2001 art. 7(1)
INFORMATION_COMPLEX_DAYS = 30  # Law 544/2001 art. 7(1), complex requests
INFORMATION_REFUSAL_DAYS = 5  # Law 544/2001 art. 7(2)
ADMINISTRATIVE_COMPLAINT_DAYS = 15  # Law 544/2001 art. 21(2)
FORWARDING_DAYS = 5  # OG 27/2002 art. 6(2)
DUE_SOON_DAYS = 3


class ExtensionRefused(DomainError):
    """The law does not allow this extension."""


class InternalDueRule(enum.StrEnum):
    """How the internal due date is counted (settings.INTERNAL_DUE_RULE)."""

    STRICT = "strict"
    LEGAL = "legal"


def legal_term_days(kind: str, *, administrative_complaint: bool = False) -> int | None:
    """Calendar days the law gives to answer a case of this kind; None for inquiries.

    An administrative complaint (a complaint against the answer to, or the refusal of, a
    public-information request) has 15 days (Law 544/2001 art. 21(2)).

    >>> legal_term_days("complaint"), legal_term_days("complaint", administrative_complaint=True)
    (30, 15)
    """
    if administrative_complaint:
        return ADMINISTRATIVE_COMPLAINT_DAYS
    if kind in PETITION_KINDS:
        return PETITION_DAYS
    if kind == Kind.INFORMATION:
        return INFORMATION_DAYS
    return None


def term_end(registered_on: date, days: int, calendar: WorkCalendar) -> date:
    """Last day of a term of `days` calendar days from registration.

    Terms are counted in full days (Civil Procedure Code art. 181, applied to OG 27/2002 and
    Law 544/2001): neither the registration day nor the day the term is fulfilled counts, so
    the answer is due on the day after `registered_on + days`. A term that ends on a weekend,
    a public holiday or a granted day off moves to the next working day.

    >>> term_end(date(2025, 12, 1), 30, WorkCalendar())
    datetime.date(2026, 1, 5)
    """
    return calendar.on_or_after(registered_on + timedelta(days=days + 1))


def strict_term_end(registered_on: date, days: int, calendar: WorkCalendar) -> date:
    """The strictest reading of a term of `days` calendar days from registration.

    The registration day plus `days` calendar days; a date falling on a weekend, a public
    holiday or a granted day off moves back to the working day before it. An answer given by
    then is on time under any reading of the law.

    >>> strict_term_end(date(2025, 12, 1), 30, WorkCalendar())
    datetime.date(2025, 12, 31)
    >>> strict_term_end(date(2026, 3, 5), 30, WorkCalendar())  # Saturday 4 April
    datetime.date(2026, 4, 3)
    """
    return calendar.on_or_before(registered_on + timedelta(days=days))


def internal_term_end(registered_on: date, days: int, calendar: WorkCalendar, *, rule: str) -> date:
    """The internal due date of a term of `days` days: strict by default, or the legal one.

    >>> internal_term_end(date(2026, 3, 5), 30, WorkCalendar(), rule="strict")
    datetime.date(2026, 4, 3)
    >>> internal_term_end(date(2026, 3, 5), 30, WorkCalendar(), rule="legal")
    datetime.date(2026, 4, 6)
    """
    if InternalDueRule(rule) == InternalDueRule.LEGAL:
        return term_end(registered_on, days, calendar)
    return strict_term_end(registered_on, days, calendar)


def legal_deadline(
    kind: str,
    registered_on: date,
    calendar: WorkCalendar,
    *,
    administrative_complaint: bool = False,
) -> date | None:
    """The law's latest date for answering a case of `kind`; None for inquiries.

    >>> legal_deadline("information", date(2026, 4, 2), WorkCalendar())
    datetime.date(2026, 4, 14)
    """
    days = legal_term_days(kind, administrative_complaint=administrative_complaint)
    return None if days is None else term_end(registered_on, days, calendar)


def internal_deadline(
    kind: str,
    registered_on: date,
    calendar: WorkCalendar,
    *,
    rule: str,
    administrative_complaint: bool = False,
    extended_days: int = 0,
) -> date | None:
    """The date the city answers a case of `kind` by; None for inquiries.

    `extended_days` are the days a legal extension added to the term (20 for a complex
    public-information request), which the internal date follows.

    >>> internal_deadline("report", date(2026, 3, 11), WorkCalendar(), rule="strict")
    datetime.date(2026, 4, 9)
    >>> internal_deadline("information", date(2026, 4, 2), WorkCalendar(), rule="strict",
    ...     extended_days=20)
    datetime.date(2026, 4, 30)
    """
    days = legal_term_days(kind, administrative_complaint=administrative_complaint)
    if days is None:
        return None
    return internal_term_end(registered_on, days + extended_days, calendar, rule=rule)


def administrative_complaint_deadline(registered_on: date, calendar: WorkCalendar) -> date:
    """An administrative complaint under Law 544/2001 art. 21 is answered within 15 days.

    >>> administrative_complaint_deadline(date(2026, 5, 4), WorkCalendar())
    datetime.date(2026, 5, 20)
    """
    return term_end(registered_on, ADMINISTRATIVE_COMPLAINT_DAYS, calendar)


def refusal_deadline(registered_on: date, calendar: WorkCalendar) -> date:
    """A refusal of a public-information request is due within 5 days (Law 544/2001 art. 7(2))."""
    return term_end(registered_on, INFORMATION_REFUSAL_DAYS, calendar)


def forwarding_due(registered_on: date) -> date:
    """The last day to forward a petition to the competent authority (OG 27/2002 art. 6(2)).

    Five calendar days after the registration day, which does not count. Counted strictly:
    unlike an answer's term, it is not moved past a weekend or a holiday nor given the extra
    day of the full-days count, so a case forwarded by then is on time under any reading.

    >>> forwarding_due(date(2026, 5, 26))
    datetime.date(2026, 5, 31)
    """
    return registered_on + timedelta(days=FORWARDING_DAYS)


@dataclass(frozen=True)
class Extension:
    new_due: date
    days: int
    # The internal due date of the extended term, by the rule the caller gave.
    new_internal_due: date


def extend_legal_deadline(
    *,
    kind: str,
    registered_on: date,
    current_due: date,
    already_extended: bool,
    days: int,
    today: date,
    calendar: WorkCalendar,
    internal_rule: str = InternalDueRule.STRICT,
    administrative_complaint: bool = False,
) -> Extension:
    """The deadline after an extension, or ExtensionRefused with the rule that forbids it.

    - Petitions: once, by at most 15 days, decided before the 30 days end; the resident must
      be told (the service sends the notice).
    - Information requests: from 10 to 30 days for complex ones, only if the resident is told
      within the 10 days, counted as the legal deadline counts them (`term_end`); the notice
      is the extension itself, sent to the resident by the service.
    - An administrative complaint under Law 544/2001 art. 21 keeps its 15 days.
    - Questions answered at first contact have no legal deadline to extend.

    >>> extend_legal_deadline(kind="information", registered_on=date(2026, 4, 2),
    ...     current_due=date(2026, 4, 14), already_extended=False, days=20,
    ...     today=date(2026, 4, 15), calendar=WorkCalendar())
    Traceback (most recent call last):
    ...
    cetate.cases.deadlines.ExtensionRefused: ...
    """
    if already_extended:
        raise ExtensionRefused(_("The legal deadline can be extended only once."))
    if administrative_complaint:
        raise ExtensionRefused(
            _(
                "An administrative complaint is answered within %(days)d days "
                "(Law 544/2001, art. 21); its term cannot be extended."
            )
            % {"days": ADMINISTRATIVE_COMPLAINT_DAYS}
        )
    if kind == Kind.INFORMATION:
        if today > term_end(registered_on, INFORMATION_DAYS, calendar):
            raise ExtensionRefused(
                _(
                    "A request for public information can be given %(complex)d days only if "
                    "the resident is told within the %(days)d days (Law 544/2001, art. 7); "
                    "that term has passed."
                )
                % {"complex": INFORMATION_COMPLEX_DAYS, "days": INFORMATION_DAYS}
            )
        extra = INFORMATION_COMPLEX_DAYS - INFORMATION_DAYS
        return Extension(
            term_end(registered_on, INFORMATION_COMPLEX_DAYS, calendar),
            extra,
            internal_term_end(
                registered_on, INFORMATION_COMPLEX_DAYS, calendar, rule=internal_rule
            ),
        )
    if today > current_due:
        raise ExtensionRefused(
            _("The deadline has passed; an extension must be decided before it ends.")
        )
    if kind in PETITION_KINDS:
        if not 1 <= days <= PETITION_EXTENSION_MAX_DAYS:
            raise ExtensionRefused(
                _("A petition's deadline can be extended by 1 to %(max)d days.")
                % {"max": PETITION_EXTENSION_MAX_DAYS}
            )
        term = PETITION_DAYS + days
        return Extension(
            term_end(registered_on, term, calendar),
            days,
            internal_term_end(registered_on, term, calendar, rule=internal_rule),
        )
    raise ExtensionRefused(_("This kind of case has no legal deadline to extend."))


def service_due(
    *,
    registered_at: datetime,
    target: int | None,
    unit: str,
    paused: timedelta,
    calendar: WorkCalendar,
) -> datetime | None:
    """When the city's service target for the category falls due.

    Targets in hours run round the clock (the dispatch centre works 7/7); targets in working
    days skip non-working days and fall due at the same time of day. Time spent waiting for
    the resident or a third party (`paused`) is added: it does not count against the city.
    """
    if not target:
        return None
    start = registered_at.astimezone(CITY_TZ) + paused
    if unit == "h":
        return start + timedelta(hours=target)
    due_day = calendar.add_working_days(start.date(), target)
    return datetime.combine(due_day, start.timetz())


class DeadlineState(enum.StrEnum):
    NONE = "none"
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


DEADLINE_STATE_LABELS = {
    DeadlineState.NONE: gettext_lazy("no deadline"),
    DeadlineState.ON_TIME: gettext_lazy("on time"),
    DeadlineState.DUE_SOON: gettext_lazy("due soon"),
    DeadlineState.OVERDUE: gettext_lazy("overdue"),
}


def deadline_state(
    due: date | None, today: date, *, soon_days: int = DUE_SOON_DAYS
) -> DeadlineState:
    """On time, due within `soon_days` calendar days, or overdue (past the due day)."""
    if due is None:
        return DeadlineState.NONE
    if today > due:
        return DeadlineState.OVERDUE
    if (due - today).days <= soon_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME


_SEVERITY = (
    DeadlineState.NONE,
    DeadlineState.ON_TIME,
    DeadlineState.DUE_SOON,
    DeadlineState.OVERDUE,
)


def case_deadline_state(
    *, is_open: bool, due: date | None, service_due: datetime | None, now: datetime
) -> DeadlineState:
    """The worse of the answer's due date's state and the service target's, for an open case.

    `due` is the date the answer is held to: the internal due date where the city works, the
    legal deadline where the law's date is asked for. The service target is overdue from its
    exact moment; otherwise both count in days of the city's calendar, as `deadline_state` does.
    """
    if not is_open:
        return DeadlineState.NONE
    today = now.astimezone(CITY_TZ).date()
    states = [deadline_state(due, today)]
    if service_due is not None:
        if now > service_due:
            states.append(DeadlineState.OVERDUE)
        else:
            states.append(deadline_state(service_due.astimezone(CITY_TZ).date(), today))
    return max(states, key=_SEVERITY.index)


def answer_due(
    *,
    kind: str,
    refused: bool,
    registered_on: date,
    legal_due: date | None,
    calendar: WorkCalendar,
) -> date | None:
    """The last day an answer is on time: the legal deadline, as extended; None for a case
    with none. A refusal of public information has its own 5 days (Law 544/2001 art. 7 (2)),
    counted like every term, even when the request was given 30 days as a complex one.

    >>> answer_due(kind="information", refused=True, registered_on=date(2026, 5, 26),
    ...            legal_due=date(2026, 6, 8), calendar=WorkCalendar())
    datetime.date(2026, 6, 2)
    """
    if kind == Kind.INFORMATION and refused:
        refusal_due = refusal_deadline(registered_on, calendar)
        return refusal_due if legal_due is None else min(refusal_due, legal_due)
    return legal_due


def end_of_day(day: date) -> datetime:
    """The moment a date-counted term ends: midnight after `day`, in the city's time."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=CITY_TZ)


def earliest_due(
    *, internal_due: date | None, legal_due: date | None, service_due: datetime | None
) -> datetime | None:
    """The first moment the case is due by any of its terms: the end of its internal or legal
    due date, or its service target's exact moment; None for a case with none.

    Worklists order by it, so that a case due at 13:49 today comes before one due tomorrow
    whichever kind of term each is held to.

    >>> earliest_due(internal_due=date(2026, 5, 28), legal_due=date(2026, 6, 8),
    ...              service_due=datetime(2026, 5, 4, 13, 49, tzinfo=CITY_TZ))
    datetime.datetime(2026, 5, 4, 13, 49, tzinfo=zoneinfo.ZoneInfo(key='Europe/Bucharest'))
    >>> earliest_due(internal_due=date(2026, 5, 4), legal_due=None, service_due=None)
    datetime.datetime(2026, 5, 5, 0, 0, tzinfo=zoneinfo.ZoneInfo(key='Europe/Bucharest'))
    """
    moments = [end_of_day(day) for day in (internal_due, legal_due) if day is not None]
    if service_due is not None:
        moments.append(service_due)
    return min(moments) if moments else None
