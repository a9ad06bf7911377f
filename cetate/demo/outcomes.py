"""What happens to a demo case after it is registered, step by step, by whom and when.

Outcomes are dealt from a deck rather than drawn one by one, so that even a small demo
register has each of them in its share. Triage and the dispatch centre work 7 days out of 7;
departments work office hours, urgent cases excepted.

The city is a well-run one: each answer is planned first (`Terms`), within the category's
service target for most cases and before the internal due date for nearly all, and the steps
before it fit in the time left, out of hours if they must. The few late answers come a few
working days after their due date, and only in cases whose service target is long or absent,
so that an open case is late by days, never by months.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings

from cetate.accounts.models import User
from cetate.cases.choices import PETITION_KINDS, Kind, Priority
from cetate.cases.deadlines import (
    CITY_TZ,
    INFORMATION_COMPLEX_DAYS,
    INFORMATION_DAYS,
    PETITION_EXTENSION_MAX_DAYS,
    internal_deadline,
    service_due,
)
from cetate.demo import texts
from cetate.demo.decisions import DemoAnswer, decide
from cetate.demo.intake import group_of
from cetate.demo.planning import CasePlan, CityFacts, StepKind, Story
from cetate.demo.timeline import ANY_TIME, DISPATCH, OFFICE
from cetate.demo.users import DemoStaff
from cetate.directory.models import Department


class Outcome(enum.StrEnum):
    WORKED = "worked"  # answered within its terms, and usually closed
    LATE = "late"  # answered a few working days after its due date
    REJECTED = "rejected"
    REDIRECTED = "redirected"  # to an external organisation
    CANCELLED = "cancelled"


# Of cases other than questions. Categories that an external operator handles are redirected
# whatever their card says. A well-run city hall answers nearly everything in time: the few
# late answers come days, not months, after their due date.
OUTCOME_SHARES = {
    Outcome.WORKED: 0.855,
    Outcome.LATE: 0.055,
    Outcome.REJECTED: 0.035,
    Outcome.REDIRECTED: 0.025,
    Outcome.CANCELLED: 0.02,
}
SHARE_REJECTED_AT_TRIAGE = 0.5
SHARE_TRIAGED_LATE = 0.25  # after a weekend or a busy day: the triage queue
SHARE_ASSIGNED_TO_OFFICER = 0.75
SHARE_REROUTED = 0.04  # triage sent it to the wrong department, which passes it on
SHARE_NOTED = 0.4
SHARE_MESSAGED = 0.2
SHARE_WAITING = 0.15  # of cases answered in time with days to spare
SHARE_EXTENDED = 0.04
SHARE_ON_TARGET = 0.92  # answered within the category's service target
LATE_WORKING_DAYS = (1, 6)  # how late a late answer comes, after its due date
SHARE_LEFT_RESOLVED = 0.05  # not closed yet: the resident may still object
SHARE_REOPENED = 0.02
ANSWER_HOUR = time(15, 30)  # the latest an answer due on a day leaves the office
SHORT_TERM = timedelta(days=2)
DEFAULT_TERM_WORKING_DAYS = (
    20  # for a case the law gives no term  # no waiting on anyone for a case due this soon
)


@dataclass(frozen=True)
class Terms:
    """When a case's answer is planned, and the latest moment its steps may take."""

    answer_at: datetime
    latest: datetime
    extended_days: int = 0
    # Until when the case may wait on someone without missing its service target.
    may_wait_until: datetime | None = None


class Outcomes:
    def __init__(self, *, rng: random.Random, city: CityFacts, staff: DemoStaff) -> None:
        self.rng = rng
        self.city = city
        self.staff = staff

    def write(self, plan: CasePlan, outcome: Outcome) -> None:
        """The steps that lead `plan` to `outcome`."""
        story = Story(plan, self.rng, self.city.calendar)
        staff, department = self.staff, plan.department
        if outcome == Outcome.CANCELLED:
            story.then(
                StepKind.CANCEL,
                staff.dispatcher,
                story.hours(0.1, 1.5),
                DISPATCH,
                self._pick(texts.CANCEL_REASONS),
            )
            return
        if department is not None and department.is_external:
            self._redirect(story, department)
            return
        organisations = self._competent_elsewhere(plan)
        if outcome == Outcome.REDIRECTED and organisations:
            self._redirect(story, self.rng.choice(organisations))
            return
        if outcome == Outcome.REJECTED and self.rng.random() < SHARE_REJECTED_AT_TRIAGE:
            # A case routed at registration is already with a department: its head decides.
            actor = staff.head_for(department) if plan.routed_at_registration else staff.dispatcher
            story.then(
                StepKind.REJECT,
                actor,
                story.hours(0.5, 24),
                DISPATCH,
                self._pick(texts.REJECT_REASONS),
            )
            return
        answer = decide(self.rng, plan.kind)
        terms = self._terms(plan, outcome, answer)
        department = self._triage(story, department or staff.main_department, terms)
        if department is None:
            return  # no department could work it: it waits in triage
        self._work(story, department, outcome, terms, answer)

    def answer_question(self, plan: CasePlan) -> None:
        """A question that came in writing is answered by the dispatch centre."""
        if plan.answer_on_spot is not None:
            return
        story = Story(plan, self.rng, self.city.calendar)
        story.then(
            StepKind.ANSWER, self.staff.dispatcher, story.hours(0.2, 6), DISPATCH, plan.reply
        )

    def merge(self, duplicate: CasePlan, into: CasePlan) -> bool:
        """Triage merges `duplicate` into `into`, if it can before `into` is resolved."""
        resolved = into.first(StepKind.RESOLVE)
        story = Story(duplicate, self.rng, self.city.calendar)
        step = story.then(
            StepKind.MERGE,
            self.staff.dispatcher,
            story.hours(0.2, 12),
            DISPATCH,
            texts.MERGE_REASON,
            into=into,
        )
        if resolved is not None and step.at >= resolved.at - timedelta(minutes=30):
            duplicate.steps.clear()
            return False
        return True

    def _competent_elsewhere(self, plan: CasePlan) -> Sequence[Department]:
        """Organisations a case may be redirected to: those handling its category group when
        the directory says so, any of them when it routes nothing outside the city hall."""
        city = self.city
        if city.external_by_group:
            group = group_of(plan.category) if plan.category else ""
            return city.external_by_group.get(group, [])
        return city.external_organisations

    def _redirect(self, story: Story, to: Department) -> None:
        """Triage sends the case to the competent organisation within the 5 days."""
        story.then(
            StepKind.SEND,
            self.staff.dispatcher,
            story.hours(0.5, 48),
            DISPATCH,
            self._pick(texts.REDIRECT_REASONS),
            department=to,
        )

    def _terms(self, plan: CasePlan, outcome: Outcome, answer: DemoAnswer) -> Terms:
        """When the case will be answered: well before its internal due date and, mostly,
        within its category's service target; a late one a few working days after its due
        date; an extended one within its extension."""
        rng, calendar = self.rng, self.city.calendar
        registered = plan.registered_at
        registered_on = registered.astimezone(CITY_TZ).date()
        extended = self._extension_days(plan) if outcome == Outcome.WORKED else 0
        rule = settings.INTERNAL_DUE_RULE
        due = self._due(plan)
        answer_by = _on(due, ANSWER_HOUR)
        if extended:
            extended_due = internal_deadline(
                plan.kind, registered_on, calendar, rule=rule, extended_days=extended
            )
            assert extended_due is not None
            latest = _on(extended_due, ANSWER_HOUR)
            return Terms(answer_by + (latest - answer_by) * rng.uniform(0.2, 0.8), latest, extended)
        if outcome == Outcome.LATE:
            late_day = calendar.add_working_days(due, rng.randint(*LATE_WORKING_DAYS))
            answer_at = _on(late_day, ANSWER_HOUR) - timedelta(hours=rng.uniform(0, 7))
            return Terms(answer_at, answer_at + timedelta(hours=1))
        if answer.within is not None:
            # A refusal of public information has its own 5 days.
            answer_at = registered + answer.within
            return Terms(answer_at, answer_at + timedelta(hours=12))
        goal = answer_by
        target = self._service_due(plan)
        if target is not None and target < answer_by:
            if rng.random() >= SHARE_ON_TARGET:
                # The service target is missed, by a fraction of it; the answer is in time.
                late = min((target - registered) * rng.uniform(0.1, 0.4), answer_by - target)
                return Terms(target + late, answer_by)
            goal = target
        answer_at = registered + (goal - registered) * rng.uniform(0.3, 0.9)
        return Terms(answer_at, goal, may_wait_until=min(answer_at, target or answer_at))

    def settle(self, plans: Sequence[CasePlan], dealt: Sequence[Outcome]) -> list[Outcome]:
        """The dealt outcomes, each late answer moved to a case that may run late without
        missing its service target for weeks: a long target, or none."""
        outcomes = list(dealt)
        spare = [
            n
            for n, (plan, outcome) in enumerate(zip(plans, outcomes, strict=True))
            if outcome == Outcome.WORKED and self._may_run_late(plan)
        ]
        self.rng.shuffle(spare)
        for n, plan in enumerate(plans):
            if outcomes[n] == Outcome.LATE and not self._may_run_late(plan) and spare:
                m = spare.pop()
                outcomes[n], outcomes[m] = Outcome.WORKED, Outcome.LATE
        return outcomes

    def _may_run_late(self, plan: CasePlan) -> bool:
        target = self._service_due(plan)
        return target is None or target >= _on(self._due(plan), ANSWER_HOUR)

    def _due(self, plan: CasePlan) -> date:
        """The case's internal due date, as registration gives it."""
        calendar = self.city.calendar
        registered_on = plan.registered_at.astimezone(CITY_TZ).date()
        rule = settings.INTERNAL_DUE_RULE
        due = internal_deadline(plan.kind, registered_on, calendar, rule=rule)
        return due or calendar.add_working_days(registered_on, DEFAULT_TERM_WORKING_DAYS)

    def _service_due(self, plan: CasePlan) -> datetime | None:
        category = plan.category
        if category is None:
            return None
        return service_due(
            registered_at=plan.registered_at,
            target=category.service_target,
            unit=category.service_target_unit,
            paused=timedelta(0),
            calendar=self.city.calendar,
        )

    def _extension_days(self, plan: CasePlan) -> int:
        """Sometimes the legal deadline is extended: the days it gains."""
        if plan.reporter is None or self.rng.random() > SHARE_EXTENDED:
            return 0
        if plan.kind == Kind.INFORMATION:
            return INFORMATION_COMPLEX_DAYS - INFORMATION_DAYS
        if plan.kind in PETITION_KINDS:
            return self.rng.randint(5, PETITION_EXTENSION_MAX_DAYS)
        return 0

    def _triage(
        self, story: Story, department: Department | None, terms: Terms
    ) -> Department | None:
        plan, staff, rng = story.plan, self.staff, self.rng
        if department is None:
            return None
        by = terms.answer_at
        officer = staff.officers.get(department.pk)
        if officer is not None and rng.random() > SHARE_ASSIGNED_TO_OFFICER:
            officer = None
        if plan.routed_at_registration:
            assert plan.department is not None
            department = plan.department
            if officer is None:
                return department
            delay = story.hours(0.5, 20)  # the dispatcher hands it to an officer
        elif plan.priority < Priority.HIGH and rng.random() < SHARE_TRIAGED_LATE:
            delay = story.days(1, 5)
        else:
            delay = story.hours(0.1, 4)
        first, first_officer = department, officer
        others = [d for d in self.city.internal_departments if d.pk != department.pk]
        if not plan.routed_at_registration and others and rng.random() < SHARE_REROUTED:
            # Triage chose the wrong department, which passes the case on.
            first = rng.choice([d for d in others if d.pk in staff.officers] or others)
            first_officer = staff.officers.get(first.pk)
        story.then(
            StepKind.ASSIGN,
            staff.dispatcher,
            delay,
            DISPATCH,
            department=first,
            assignee=first_officer,
            by=by,
        )
        if first != department:
            story.then(
                StepKind.SEND,
                staff.worker_for(first),
                story.hours(2, 30),
                OFFICE,
                self._pick(texts.REROUTE_REASONS),
                department=department,
                by=by,
            )
            story.then(
                StepKind.ASSIGN,
                staff.dispatcher,
                story.hours(0.5, 8),
                DISPATCH,
                department=department,
                assignee=officer,
                by=by,
            )
        return department

    def _work(
        self,
        story: Story,
        department: Department,
        outcome: Outcome,
        terms: Terms,
        answer: DemoAnswer,
    ) -> None:
        rng, plan, staff = self.rng, story.plan, self.staff
        worker, head = staff.worker_for(department), staff.head_for(department)
        urgent = plan.priority >= Priority.HIGH
        hours = DISPATCH if urgent else OFFICE  # urgent cases have teams on call
        by = terms.answer_at  # everything before the answer comes before it
        start_delay = story.hours(0.2, 3) if urgent else story.hours(1, 48)
        story.then(StepKind.START, worker, start_delay, hours, by=by)
        if terms.extended_days:
            # Extensions are decided by the head of the department (or a supervisor).
            self._extend(story, head, terms.extended_days)
        if rng.random() < SHARE_NOTED:
            note = self._pick(texts.NOTES)
            story.then(StepKind.NOTE, worker, story.hours(0.5, 30), OFFICE, note, by=by)
        if plan.reporter is not None and rng.random() < SHARE_MESSAGED:
            message = self._pick(texts.MESSAGES)
            story.then(StepKind.MESSAGE, worker, story.hours(0.5, 24), OFFICE, message, by=by)
        wait_by = terms.may_wait_until
        if wait_by and wait_by - story.now > SHORT_TERM and rng.random() < SHARE_WAITING:
            # Waiting on the resident or a third party, back to work before anything is due.
            reason = self._pick(texts.WAIT_REASONS)
            story.then(StepKind.WAIT, worker, story.hours(1, 48), OFFICE, reason, by=wait_by)
            story.then(StepKind.RESUME, worker, story.days(1, 10), OFFICE, by=wait_by)
        if outcome == Outcome.REJECTED:
            story.then(
                StepKind.REJECT,
                head,
                story.not_before(terms.answer_at),
                OFFICE,
                self._pick(texts.REJECT_REASONS),
                by=terms.latest,
            )
            return
        story.then(
            StepKind.RESOLVE,
            worker,
            story.not_before(terms.answer_at),
            hours,
            answer.text or self._answer(plan),
            decision=answer.decision,
            by=terms.latest,
        )
        self._send(story, worker)
        if rng.random() < SHARE_REOPENED:
            # The resident writes back that the problem came back; it is looked at again.
            story.then(
                StepKind.REOPEN,
                staff.dispatcher,
                story.days(1, 4),
                DISPATCH,
                self._pick(texts.REOPEN_REASONS),
            )
            again = decide(rng, plan.kind)
            story.then(
                StepKind.RESOLVE,
                worker,
                story.days(0.5, 3),
                OFFICE,
                again.text or self._answer(plan),
                decision=again.decision,
            )
            self._send(story, worker)
        if rng.random() >= SHARE_LEFT_RESOLVED:
            self._close(story)

    def _extend(self, story: Story, decider: User, days: int) -> None:
        """Extend the legal deadline, well before it ends, with the notice the law requires."""
        plan = story.plan
        if plan.kind == Kind.INFORMATION:
            # Complex requests: the resident is told within the first 10 days.
            decided = plan.registered_at + story.days(3, 7)
            notice = texts.INFORMATION_EXTENSION_NOTICE
        else:
            decided = plan.registered_at + story.days(15, 22)
            notice = self._pick(texts.EXTENSION_NOTICES).format(days=days)
        story.then(StepKind.EXTEND, decider, story.not_before(decided), OFFICE, notice, days=days)

    def _send(self, story: Story, worker: User) -> None:
        """The answer leaves: its mail within minutes, a letter within a working day or two."""
        reporter = story.plan.reporter
        if reporter is None:
            return
        if reporter.email:
            story.then(StepKind.SENT, None, story.hours(0.02, 0.3), ANY_TIME)
        else:
            story.then(StepKind.SENT, worker, story.hours(2, 30), OFFICE)

    def _close(self, story: Story) -> None:
        """After the satisfaction period, the system or the dispatch centre closes the case."""
        if self.rng.random() < 0.6:
            story.then(StepKind.CLOSE, None, story.days(3, 10), ANY_TIME)
        else:
            story.then(StepKind.CLOSE, self.staff.dispatcher, story.days(3, 10), DISPATCH)

    def _answer(self, plan: CasePlan) -> str:
        answer = texts.answer_for(self.rng, plan.kind, plan.category)
        return texts.fill(
            answer, where=plan.address, located=plan.latitude is not None, category=plan.category
        )

    def _pick(self, choices: list[str]) -> str:
        return self.rng.choice(choices)


def _on(day: date, moment: time) -> datetime:
    """`moment` of `day`, city time, as a UTC datetime."""
    return datetime.combine(day, moment, tzinfo=CITY_TZ).astimezone(UTC)
