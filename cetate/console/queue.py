"""The triage queue: every case still `new`, from every channel, oldest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from cetate.cases.choices import Channel
from cetate.cases.deadlines import DEADLINE_STATE_LABELS, DeadlineState, case_deadline_state
from cetate.cases.models import Case, Event
from cetate.cases.workflow import Status

QUEUE_LENGTH = 200


def new_cases(channel: str = "") -> QuerySet[Case]:
    cases = Case.objects.filter(status=Status.NEW)
    if channel in Channel.values:
        cases = cases.filter(channel=channel)
    return cases.select_related("category", "area").order_by("registered_at", "id")


# Younger than this, a case arrived "just now": "0 minutes ago" reads as a fault.
JUST_NOW = timedelta(minutes=1)


@dataclass(frozen=True)
class Entry:
    case: Case
    deadline: DeadlineState
    # How long ago the case was registered, as the dispatcher reads it.
    age: str

    @property
    def deadline_label(self) -> str:
        return str(DEADLINE_STATE_LABELS[self.deadline])

    @property
    def what(self) -> list[str]:
        """What the case is about and where, each part only when known."""
        case = self.case
        parts = [case.get_kind_display()]
        if case.category is not None:
            parts.append(_("suggested: %(category)s") % {"category": case.category.full_label})
        else:
            parts.append(_("no category"))
        parts.append(self.place)
        return [part for part in parts if part]

    @property
    def place(self) -> str:
        case = self.case
        if case.address.strip():
            return case.address.strip()
        if case.area is not None and case.area.name:
            return case.area.name
        if case.latitude is not None:
            return _("pin on the map")
        return _("no place")


def age(registered_at: datetime, now: datetime) -> str:
    """ "just now" under a minute, then "5 minutes ago", "2 hours, 3 minutes ago"."""
    if now - registered_at < JUST_NOW:
        return _("just now")
    return _("%(age)s ago") % {"age": timesince(registered_at, now)}


def entries(cases: Iterable[Case], now: datetime) -> list[Entry]:
    return [
        Entry(
            case,
            case_deadline_state(
                is_open=case.is_open,
                due=case.internal_due,
                service_due=case.service_due,
                now=now,
            ),
            age(case.registered_at, now),
        )
        for case in cases
    ]


@dataclass(frozen=True)
class Taken:
    """A case that left the queue while a dispatcher had it on screen, and who took it."""

    case: Case
    by: str
    action: str


def taken_since_shown(shown: list[int]) -> list[Taken]:
    """Which of the cases on screen are no longer new, with the event that moved them."""
    gone = list(Case.objects.filter(pk__in=shown).exclude(status=Status.NEW))
    moves = {
        event.case_id: event
        for event in Event.objects.filter(case__in=gone, from_status=Status.NEW)
        .select_related("actor")
        .order_by("seq")
    }
    taken = []
    for case in gone:
        event = moves.get(case.pk)
        by = str(event.actor) if event and event.actor else ""
        taken.append(Taken(case, by, case.get_status_display()))
    return taken
