"""Deadline sweeps: which open cases need a reminder or an escalation, and when staff mail goes.

The rules, applied separately to each of a case's two deadlines — the answer's due date (a
day: the internal due date `internal_due`, which the city holds itself to before the law's
`legal_due`) and the category's service target (`service_due`, a moment):

- **Due soon** when the deadline falls within `DUE_SOON_DAYS` days of the city's calendar,
  **overdue** once it has passed (the answer's due date after its day, the service target after
  its moment), exactly as `deadlines.case_deadline_state` and `queries.is_due_soon` /
  `queries.is_overdue` say.
- A **reminder** goes to the assignee (or, with nobody assigned, to the members of the case's
  department) when a deadline becomes due soon, and another when it becomes overdue. Each is
  sent at most once per case, deadline and due date: an extension, or a pause of the service
  target while waiting, moves the due date and so allows new reminders. A case first seen
  already overdue gets only the overdue reminder.
- An overdue deadline is **escalated** once per due date, to the heads of the case's
  department and to every supervisor: one `deadline_escalated` event lists them.
- An open petition whose answer is due soon and whose deadline was never extended carries an
  **extension warning**: if more time is needed, an extension notice must reach the resident
  before the term ends (OG 27/2002 art. 9).
- Events are recorded whenever the sweep runs, by the system and visible to staff only; the
  staff mail waits for the next **working moment**: a working day of the city's calendar,
  between `WORKDAY_START` and `WORKDAY_END`, city time.
- Running the sweep again records and sends nothing new: each event is written under the
  case's lock after checking that none of its kind exists for that deadline and due date.

Everything here but `cases_to_sweep` is pure.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple, Protocol

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cetate.cases.choices import PETITION_KINDS, EventKind
from cetate.cases.deadlines import CITY_TZ, DeadlineState, deadline_state
from cetate.cases.models import Case
from cetate.cases.queries import is_due_soon, is_overdue
from cetate.cases.workflow import OPEN_STATUSES
from cetate.lib.calendar import WorkCalendar

WORKDAY_START = time(8, 0)
WORKDAY_END = time(16, 0)

SWEEP_CHUNK = 2000

SWEEP_EVENT_KINDS = (EventKind.DEADLINE_REMINDER, EventKind.DEADLINE_ESCALATED)


class Deadline(enum.StrEnum):
    # The answer to the resident, held to the internal due date (its events and mail give
    # that date; the legal deadline is named beside it).
    LEGAL = "legal"
    SERVICE = "service"


class Stage(enum.StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Notice:
    """One reminder or escalation a case is owed for one of its deadlines."""

    kind: EventKind
    deadline: Deadline
    stage: Stage
    due: str  # ISO day of the answer's due date, ISO moment (city time) of a service target
    extension_warning: bool = False

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (str(self.kind), str(self.deadline), str(self.stage), self.due)

    def event_data(self) -> dict[str, Any]:
        return {
            "deadline": str(self.deadline),
            "stage": str(self.stage),
            "due": self.due,
            "extension_warning": self.extension_warning,
        }


def event_key(kind: str, data: dict[str, Any]) -> tuple[str, str, str, str]:
    """The key of a recorded sweep event, comparable with `Notice.key`."""
    return (kind, str(data.get("deadline")), str(data.get("stage")), str(data.get("due")))


def service_due_key(service_due: datetime) -> str:
    return service_due.astimezone(CITY_TZ).isoformat(timespec="minutes")


class DeadlineFacts(Protocol):
    """What the rules read of a case: a Case, or a SweptCase row."""

    @property
    def pk(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def internal_due(self) -> date | None: ...
    @property
    def legal_extended_days(self) -> int: ...
    @property
    def service_due(self) -> datetime | None: ...


class SweptCase(NamedTuple):
    """An open case's deadline columns, read without building the whole model."""

    pk: int
    kind: str
    status: str
    internal_due: date | None
    legal_extended_days: int
    service_due: datetime | None


def notices_owed(case: DeadlineFacts, now: datetime) -> list[Notice]:
    """The reminders and escalations `case` is owed at `now`, recorded or not."""
    if case.status not in OPEN_STATUSES:
        return []
    today = now.astimezone(CITY_TZ).date()
    notices: list[Notice] = []
    if case.internal_due is not None:
        state = deadline_state(case.internal_due, today)
        warn = (
            state == DeadlineState.DUE_SOON
            and case.kind in PETITION_KINDS
            and case.legal_extended_days == 0
        )
        notices += _notices(Deadline.LEGAL, state, case.internal_due.isoformat(), warn=warn)
    if case.service_due is not None:
        if now > case.service_due:
            state = DeadlineState.OVERDUE
        else:
            state = deadline_state(case.service_due.astimezone(CITY_TZ).date(), today)
        notices += _notices(Deadline.SERVICE, state, service_due_key(case.service_due))
    return notices


def _notices(
    deadline: Deadline, state: DeadlineState, due: str, *, warn: bool = False
) -> list[Notice]:
    if state == DeadlineState.DUE_SOON:
        return [
            Notice(
                EventKind.DEADLINE_REMINDER, deadline, Stage.DUE_SOON, due, extension_warning=warn
            )
        ]
    if state == DeadlineState.OVERDUE:
        return [
            Notice(EventKind.DEADLINE_REMINDER, deadline, Stage.OVERDUE, due),
            Notice(EventKind.DEADLINE_ESCALATED, deadline, Stage.OVERDUE, due),
        ]
    return []


def cases_to_sweep(now: datetime) -> Iterator[SweptCase]:
    """Open cases due soon or overdue at `now`, in one query over the deadline columns, in
    chunks: at 1,000,000 cases a sweep reads over 100,000 of them."""
    rows = (
        Case.objects.filter(is_due_soon(now) | is_overdue(now))
        .values_list(*SweptCase._fields)
        .order_by("id")
    )
    return (SweptCase._make(row) for row in rows.iterator(chunk_size=SWEEP_CHUNK))


def is_working_moment(moment: datetime, calendar: WorkCalendar) -> bool:
    local = moment.astimezone(CITY_TZ)
    return calendar.is_working_day(local.date()) and WORKDAY_START <= local.time() < WORKDAY_END


def next_working_moment(now: datetime, calendar: WorkCalendar) -> datetime:
    """`now` if it falls within working hours, else the start of the next working day's hours.

    The answer is in city time (Europe/Bucharest).
    """
    local = now.astimezone(CITY_TZ)
    if is_working_moment(local, calendar):
        return local
    day: date = local.date()
    if not (calendar.is_working_day(day) and local.time() < WORKDAY_START):
        day = calendar.on_or_after(day + timedelta(days=1))
    return datetime.combine(day, WORKDAY_START, tzinfo=CITY_TZ)


def _due_moment(deadline: str, due: str) -> tuple[date, str]:
    """The due day in the city and how it reads in a message."""
    if deadline == Deadline.LEGAL:
        day = date.fromisoformat(due)
        return day, date_format(day, "d.m.Y")
    moment = datetime.fromisoformat(due).astimezone(CITY_TZ)
    return moment.date(), date_format(moment, "d.m.Y H:i")


def staff_mail_text(
    *, case: Case, kind: str, data: dict[str, Any], now: datetime, url: str
) -> tuple[str, str]:
    """(subject, body) of the staff mail about a sweep event, in the active language."""
    deadline = str(data["deadline"])
    what = (
        _("the date set for answering the resident")
        if deadline == Deadline.LEGAL
        else _("the service target of the case's category")
    )
    due_day, due_text = _due_moment(deadline, str(data["due"]))
    days = (due_day - now.astimezone(CITY_TZ).date()).days
    overdue = data.get("stage") == Stage.OVERDUE
    values = {"number": case.number, "what": what}
    if kind == EventKind.DEADLINE_ESCALATED:
        subject = _("Case %(number)s is overdue and was escalated to you") % values
    elif overdue:
        subject = _("Case %(number)s: %(what)s has passed") % values
    else:
        subject = _("Case %(number)s: %(what)s is near") % values
    if days > 0:
        left = ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
    elif days == 0 and not overdue:
        left = _("due today")
    else:
        late = max(-days, 0)
        left = ngettext("%(days)d day late", "%(days)d days late", late) % {"days": late}
    lines = [
        _("Case %(number)s: %(title)s")
        % {"number": case.number, "title": case.title or case.get_kind_display()},
        _("Due: %(what)s, on %(due)s (%(left)s).") % {"what": what, "due": due_text, "left": left},
    ]
    if deadline == Deadline.LEGAL and case.legal_due is not None:
        lines.append(
            _("The legal deadline is %(date)s.") % {"date": date_format(case.legal_due, "d.m.Y")}
        )
    if kind == EventKind.DEADLINE_ESCALATED:
        officer = str(case.assignee) if case.assignee else _("nobody yet")
        lines.append(_("Officer: %(officer)s.") % {"officer": officer})
    if data.get("extension_warning"):
        lines.append(
            _(
                "The deadline of this petition has not been extended. If more time is needed, "
                "an extension notice must go out to the resident before the 30-day term ends "
                "(OG 27/2002 art. 9)."
            )
        )
    lines.append(_("Open the case: %(url)s") % {"url": url})
    return subject, "\n\n".join(lines) + "\n"
