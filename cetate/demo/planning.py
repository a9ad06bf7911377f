"""What a demo case's plan is made of: its intake, its later steps, and the city it happens in."""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from cetate.accounts.models import User
from cetate.cases.choices import Channel, Kind, Priority
from cetate.cases.services.decisions import Decision
from cetate.contacts.models import Contact
from cetate.demo.timeline import CaseClock, Hours
from cetate.directory.models import Category, Department
from cetate.lib.calendar import WorkCalendar

T = TypeVar("T")
Route = Callable[[Category | None, float | None, float | None], Department | None]


@dataclass(frozen=True)
class CityFacts:
    """What the planner needs to know of the city, read once from the directory."""

    categories: Sequence[Category]  # active leaves, with parent, department and questions
    internal_departments: Sequence[Department]
    external_organisations: Sequence[Department]
    # Category group → the external organisations some of its categories are routed to.
    external_by_group: Mapping[str, Sequence[Department]]
    calendar: WorkCalendar
    route: Route  # the department the routing rules give for a category at a place


def deal(shares: Mapping[T, float], size: int, rng: random.Random) -> list[T]:
    """`size` cards in the given shares, shuffled: exact proportions even for a small `size`."""
    total = sum(shares.values())
    exact = {item: size * share / total for item, share in shares.items()}
    counts = {item: int(value) for item, value in exact.items()}
    by_remainder = sorted(exact, key=lambda item: exact[item] - counts[item], reverse=True)
    for item in by_remainder[: size - sum(counts.values())]:
        counts[item] += 1
    cards = [item for item, n in counts.items() for _ in range(n)]
    rng.shuffle(cards)
    return cards


class StepKind(enum.StrEnum):
    ASSIGN = "assign"
    SEND = "send"  # to another department or to an external organisation
    START = "start"
    WAIT = "wait"
    RESUME = "resume"
    RESOLVE = "resolve"
    CLOSE = "close"
    REJECT = "reject"
    ANSWER = "answer_on_spot"
    MERGE = "merge"
    REOPEN = "reopen"
    CANCEL = "cancel"
    EXTEND = "extend"
    MESSAGE = "message"
    NOTE = "note"
    SENT = "sent"  # the answer's exit: mailed, posted or handed over


@dataclass(frozen=True)
class Step:
    at: datetime
    kind: StepKind
    actor: User | None
    text: str = ""
    department: Department | None = None
    assignee: User | None = None
    days: int = 0
    into: CasePlan | None = None
    decision: Decision | None = None  # what a resolution decides


@dataclass(eq=False)
class CasePlan:
    registered_at: datetime
    kind: Kind
    channel: Channel
    entered_by: User | None
    category: Category | None
    reporter: Contact | None
    latitude: float | None
    longitude: float | None
    address: str
    title: str
    description: str
    priority: Priority
    answers: dict[str, Any]
    answer_on_spot: str | None
    auto_route: bool
    reply: str  # for a question: the answer it gets
    department: Department | None  # where the routing rules send it
    steps: list[Step] = field(default_factory=list)
    case_id: int | None = None  # once registered

    def intake(self) -> dict[str, Any]:
        """The arguments of `open_case` that register this case."""
        return {
            "kind": self.kind,
            "channel": self.channel,
            "actor": self.entered_by,
            "description": self.description,
            "category": self.category,
            "reporter": self.reporter,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "address": self.address,
            "title": self.title,
            "priority": self.priority,
            "answers": self.answers,
            "answer_on_spot": self.answer_on_spot,
            "auto_route": self.auto_route,
            "is_demo": True,
        }

    @property
    def routed_at_registration(self) -> bool:
        return self.auto_route and self.department is not None and not self.department.is_external

    def first(self, kind: StepKind) -> Step | None:
        return next((step for step in self.steps if step.kind == kind), None)


class Story:
    """One case's later steps, written in order, each at a moment after the one before."""

    def __init__(self, plan: CasePlan, rng: random.Random, calendar: WorkCalendar) -> None:
        self.plan = plan
        self.clock = CaseClock(plan.registered_at, rng, calendar)

    @property
    def now(self) -> datetime:
        return self.clock.now

    def then(
        self,
        kind: StepKind,
        actor: User | None,
        after: timedelta,
        hours: Hours,
        text: str = "",
        *,
        department: Department | None = None,
        assignee: User | None = None,
        days: int = 0,
        into: CasePlan | None = None,
        decision: Decision | None = None,
        by: datetime | None = None,
    ) -> Step:
        """Add a step `after` the previous one, when `hours` are kept, and not after `by`."""
        step = Step(
            at=self.clock.after(after, hours, by),
            kind=kind,
            actor=actor,
            text=text,
            department=department,
            assignee=assignee,
            days=days,
            into=into,
            decision=decision,
        )
        self.plan.steps.append(step)
        return step

    def not_before(self, moment: datetime) -> timedelta:
        """The delay that brings the next step to `moment` (or right after the previous one)."""
        return max(moment - self.clock.now, timedelta(0))

    def hours(self, low: float, high: float) -> timedelta:
        return self.clock.hours(low, high)

    def days(self, low: float, high: float) -> timedelta:
        return self.clock.days(low, high)
