"""What happens to a demo case after it is registered, step by step, by whom and when.

Outcomes are dealt from a deck rather than drawn one by one, so that even a small demo
register has each of them in its share. Triage and the dispatch centre work 7 days out of 7;
departments work office hours, urgent cases excepted.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Sequence
from datetime import timedelta

from cetate.accounts.models import User
from cetate.cases.choices import PETITION_KINDS, Kind, Priority
from cetate.cases.deadlines import INFORMATION_DAYS, PETITION_DAYS, PETITION_EXTENSION_MAX_DAYS
from cetate.demo import texts
from cetate.demo.decisions import decide
from cetate.demo.intake import group_of
from cetate.demo.planning import CasePlan, CityFacts, StepKind, Story
from cetate.demo.timeline import ANY_TIME, DISPATCH, OFFICE, Hours
from cetate.demo.users import DemoStaff
from cetate.directory.models import Category, Department


class Outcome(enum.StrEnum):
    WORKED = "worked"  # resolved, and usually closed
    STALLED = "stalled"  # never finished: overdue once its legal deadline passes
    REJECTED = "rejected"
    REDIRECTED = "redirected"  # to an external organisation
    CANCELLED = "cancelled"


# Of cases other than questions. Categories that an external operator handles are redirected
# whatever their card says.
OUTCOME_SHARES = {
    Outcome.WORKED: 0.82,
    Outcome.STALLED: 0.06,
    Outcome.REJECTED: 0.035,
    Outcome.REDIRECTED: 0.02,
    Outcome.CANCELLED: 0.02,
}
SHARE_REJECTED_AT_TRIAGE = 0.5
SHARE_TRIAGED_LATE = 0.25  # after a weekend or a busy day: the triage queue
SHARE_ASSIGNED_TO_OFFICER = 0.75
SHARE_REROUTED = 0.05
SHARE_NOTED = 0.4
SHARE_MESSAGED = 0.2
SHARE_WAITING = 0.18
SHARE_STALLED_WAITING = 0.5
SHARE_NEVER_STARTED = 0.25  # of stalled cases
SHARE_EXTENDED = 0.07
SHARE_RESOLVED_ON_TARGET = 0.70
SHARE_RESOLVED_IN_TIME = 0.93  # the rest are answered after the legal deadline
SHARE_LEFT_RESOLVED = 0.15  # not closed yet: the resident may still object
SHARE_REOPENED = 0.03
DEFAULT_SERVICE_TIME = timedelta(days=10)


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
        department = self._triage(story, department or staff.main_department)
        if department is None:
            return  # no department could work it: it waits in triage
        if outcome == Outcome.WORKED and self.rng.random() < SHARE_REROUTED:
            department = self._reroute(story, department)
        self._work(story, department, outcome)

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

    def _triage(self, story: Story, department: Department | None) -> Department | None:
        plan, staff = story.plan, self.staff
        if department is None:
            return None
        officer = staff.officers.get(department.pk)
        if officer is not None and self.rng.random() > SHARE_ASSIGNED_TO_OFFICER:
            officer = None
        if plan.routed_at_registration:
            assert plan.department is not None
            department = plan.department
            if officer is None:
                return department
            delay = story.hours(0.5, 20)  # the dispatcher hands it to an officer
        elif plan.priority < Priority.HIGH and self.rng.random() < SHARE_TRIAGED_LATE:
            delay = story.days(1, 5)
        else:
            delay = story.hours(0.1, 4)
        story.then(
            StepKind.ASSIGN,
            staff.dispatcher,
            delay,
            DISPATCH,
            department=department,
            assignee=officer,
        )
        return department

    def _reroute(self, story: Story, department: Department) -> Department:
        """The department finds the case is not theirs and sends it to the competent one."""
        others = [d for d in self.city.internal_departments if d.pk != department.pk]
        if not others:
            return department
        staff = self.staff
        to = self.rng.choice([d for d in others if d.pk in staff.officers] or others)
        story.then(
            StepKind.SEND,
            staff.worker_for(department),
            story.hours(2, 30),
            OFFICE,
            self._pick(texts.REROUTE_REASONS),
            department=to,
        )
        story.then(
            StepKind.ASSIGN,
            staff.dispatcher,
            story.hours(0.5, 8),
            DISPATCH,
            department=to,
            assignee=staff.officers.get(to.pk),
        )
        return to

    def _work(self, story: Story, department: Department, outcome: Outcome) -> None:
        rng, plan, staff = self.rng, story.plan, self.staff
        worker = staff.worker_for(department)
        urgent = plan.priority >= Priority.HIGH
        hours = DISPATCH if urgent else OFFICE  # urgent cases have teams on call
        if outcome == Outcome.STALLED and rng.random() < SHARE_NEVER_STARTED:
            return
        start_delay = story.hours(0.2, 3) if urgent else story.hours(1, 48)
        story.then(StepKind.START, worker, start_delay, hours)
        if rng.random() < SHARE_NOTED:
            story.then(StepKind.NOTE, worker, story.hours(0.5, 30), OFFICE, self._pick(texts.NOTES))
        if plan.reporter is not None and rng.random() < SHARE_MESSAGED:
            story.then(
                StepKind.MESSAGE, worker, story.hours(0.5, 24), OFFICE, self._pick(texts.MESSAGES)
            )
        waits = rng.random() < (
            SHARE_STALLED_WAITING if outcome == Outcome.STALLED else SHARE_WAITING
        )
        if waits:
            story.then(
                StepKind.WAIT, worker, story.hours(1, 48), OFFICE, self._pick(texts.WAIT_REASONS)
            )
        if outcome == Outcome.STALLED:
            return
        if waits:
            story.then(StepKind.RESUME, worker, story.days(1, 10), OFFICE)
        if outcome == Outcome.REJECTED:
            story.then(
                StepKind.REJECT,
                staff.head_for(department),
                story.days(1, 8),
                OFFICE,
                self._pick(texts.REJECT_REASONS),
            )
            return
        # Extensions are decided by the head of the department (or a supervisor).
        extended = self._extend(story, staff.head_for(department))
        self._resolve(story, worker, hours, extended)
        if rng.random() < SHARE_LEFT_RESOLVED:
            return
        self._close(story)
        if rng.random() < SHARE_REOPENED:
            story.then(
                StepKind.REOPEN,
                staff.dispatcher,
                story.days(2, 20),
                DISPATCH,
                self._pick(texts.REOPEN_REASONS),
            )
            again = decide(rng, plan.kind)
            story.then(
                StepKind.RESOLVE,
                worker,
                story.days(1, 7),
                OFFICE,
                again.text or self._answer(plan),
                decision=again.decision,
            )
            self._send(story, worker)
            self._close(story)

    def _extend(self, story: Story, decider: User) -> int:
        """Sometimes extend the legal deadline, before it ends; returns the days added."""
        rng, plan = self.rng, story.plan
        if plan.reporter is None or rng.random() > SHARE_EXTENDED:
            return 0
        if plan.kind == Kind.INFORMATION:
            # Complex requests: the resident is told within the first 10 days.
            days, decided = 20, plan.registered_at + story.days(3, 8)
            notice = texts.INFORMATION_EXTENSION_NOTICE
        elif plan.kind in PETITION_KINDS:
            days = rng.randint(5, PETITION_EXTENSION_MAX_DAYS)
            decided = plan.registered_at + story.days(18, 25)
            notice = self._pick(texts.EXTENSION_NOTICES).format(days=days)
        else:
            return 0
        if story.now >= decided:
            return 0
        story.then(StepKind.EXTEND, decider, story.not_before(decided), OFFICE, notice, days=days)
        return days

    def _resolve(self, story: Story, worker: User, hours: Hours, extended: int) -> None:
        rng, plan = self.rng, story.plan
        legal_days = INFORMATION_DAYS if plan.kind == Kind.INFORMATION else PETITION_DAYS
        answer = decide(rng, plan.kind)
        chance = rng.random()
        if answer.within is not None and not extended:
            took = answer.within  # a refusal of public information has 5 days
        elif extended:
            took = timedelta(days=legal_days + rng.uniform(1, extended))
        elif chance < SHARE_RESOLVED_IN_TIME:
            target = _service_time(plan.category)
            low, high = (0.3, 1.0) if chance < SHARE_RESOLVED_ON_TARGET else (1.0, 2.5)
            took = min(target * rng.uniform(low, high), timedelta(days=legal_days - 2))
        else:
            took = timedelta(days=legal_days + rng.uniform(1, 15))
        story.then(
            StepKind.RESOLVE,
            worker,
            story.not_before(plan.registered_at + took),
            hours,
            answer.text or self._answer(plan),
            decision=answer.decision,
        )
        self._send(story, worker)

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


def _service_time(category: Category | None) -> timedelta:
    """Roughly how much calendar time the category's service target allows."""
    if category is None or not category.service_target:
        return DEFAULT_SERVICE_TIME
    if category.service_target_unit == "h":
        return timedelta(hours=category.service_target)
    return timedelta(days=category.service_target * 7 / 5)
