"""The story of every demo case, decided before anything is written: how it came in and what
happened to it afterwards. Steps that would fall after `now` are left out, so recent cases are
still being worked, as in a real register."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from cetate.cases.choices import Kind
from cetate.demo.intake import KIND_SHARES, Intake
from cetate.demo.outcomes import OUTCOME_SHARES, Outcomes
from cetate.demo.places import Places
from cetate.demo.planning import CasePlan, CityFacts, StepKind, deal
from cetate.demo.residents import Residents
from cetate.demo.users import DemoStaff

SHARE_SECOND_REPORTS = 0.03  # problems reported twice by one resident: the second is merged
SECOND_REPORT_WINDOW = timedelta(days=5)


def plan_cases(
    *,
    count: int,
    rng: random.Random,
    city: CityFacts,
    places: Places,
    staff: DemoStaff,
    residents: Residents,
    now: datetime,
    days: int = 365,
) -> list[CasePlan]:
    """`count` case plans over the `days` before `now`, in the order of their registration."""
    intake = Intake(
        rng=rng,
        city=city,
        places=places,
        staff=staff,
        residents=residents,
        start=now - timedelta(days=days),
        end=now,
    )
    outcomes = Outcomes(rng=rng, city=city, staff=staff)
    second_reports = round(count * SHARE_SECOND_REPORTS)
    plans = [intake.new_case(kind) for kind in deal(KIND_SHARES, count - second_reports, rng)]
    worked = [plan for plan in plans if plan.kind != Kind.INQUIRY]
    dealt = outcomes.settle(worked, deal(OUTCOME_SHARES, len(worked), rng))
    for plan, outcome in zip(worked, dealt, strict=True):
        outcomes.write(plan, outcome)
    for plan in plans:
        if plan.kind == Kind.INQUIRY:
            outcomes.answer_question(plan)
    plans += _second_reports(plans, second_reports, rng, intake, outcomes)
    plans = [plan for plan in plans if plan.registered_at <= now]
    for plan in plans:
        plan.steps = [step for step in plan.steps if step.at <= now]
    return sorted(plans, key=lambda plan: plan.registered_at)


def _second_reports(
    plans: list[CasePlan],
    count: int,
    rng: random.Random,
    intake: Intake,
    outcomes: Outcomes,
) -> list[CasePlan]:
    """Residents reporting again a problem they reported and is still open: the second report
    is merged into the first."""
    originals = [plan for plan in plans if _open_for_a_while(plan)]
    rng.shuffle(originals)
    found: list[CasePlan] = []
    for original in originals:
        if len(found) == count:
            break
        resolved = original.first(StepKind.RESOLVE)
        assert resolved is not None
        window = min(resolved.at - original.registered_at, SECOND_REPORT_WINDOW)
        registered_at = original.registered_at + window * rng.uniform(0.1, 0.6)
        second = intake.second_report(original, registered_at.replace(microsecond=0))
        if outcomes.merge(second, into=original):
            found.append(second)
    return found


def _open_for_a_while(plan: CasePlan) -> bool:
    resolved = plan.first(StepKind.RESOLVE)
    return (
        plan.kind == Kind.REPORT
        # Only a known petitioner's reports are merged: an anonymous one is nobody's twice.
        and plan.reporter is not None
        and plan.latitude is not None
        and plan.category is not None
        and resolved is not None
        and resolved.at - plan.registered_at > timedelta(days=1)
    )
