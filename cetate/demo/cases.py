"""A year of demo cases, registered and worked through the case services only.

Each step is replayed at its own moment (`cetate.lib.clock.replaying_at`) and all steps of all
cases run in the order of time, so registration numbers rise with dates, deadlines are those of
the day a case came in, and every case's history reads in order. The deadline sweep runs among
them every morning, as it would have then: the reminders and escalations of the past are
recorded on their cases and, replayed, owe no mail (`cetate.outbox.posting.post`); the last
sweep runs at the end of the load, so that the server mails staff only about what falls due
after it. The whole load is one transaction: it happens completely or not at all, and running
it again changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from cetate.accounts.models import User
from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.cases.services.exits import last_answer, record_answer_mailed
from cetate.cases.services.reminders import sweep_deadlines
from cetate.cases.workflow import OPEN_STATUSES, Action
from cetate.contacts.models import AnswerChannel
from cetate.demo.calls import add_demo_calls
from cetate.demo.intake import group_of
from cetate.demo.mode import DemoDataError, require_demo_mode
from cetate.demo.places import Places
from cetate.demo.planning import CasePlan, CityFacts, Step, StepKind
from cetate.demo.plans import plan_cases
from cetate.demo.residents import create_demo_residents
from cetate.demo.users import ensure_demo_users
from cetate.directory.lookup import areas_at, city_boundary, department_for, work_calendar
from cetate.directory.models import Category, Department, RoutingRule, Street
from cetate.lib import clock
from cetate.lib.geo import parse_polygon

DEFAULT_COUNT = 2000
CASES_PER_RESIDENT = 3
# When the replayed deadline sweep runs each day (the server's runs every 15 minutes): it
# records the day's reminders and escalations; mail to staff waits for working hours anyway.
SWEEP_AT = time(7, 30)


@dataclass(frozen=True)
class DemoCasesReport:
    already_loaded: bool
    cases: int
    residents: int = 0
    first: datetime | None = None
    last: datetime | None = None
    statuses: dict[str, int] = field(default_factory=dict)
    extended: int = 0
    overdue: int = 0
    # Steps the services refused; the rest of those cases' stories was left out.
    refused: list[str] = field(default_factory=list)
    calls: int = 0


def load_demo_cases(
    *, count: int = DEFAULT_COUNT, seed: int | None = None, now: datetime | None = None
) -> DemoCasesReport:
    """Register about `count` demo cases spread over the year before `now`."""
    require_demo_mode()
    existing = Case.objects.filter(is_demo=True).count()
    if existing:
        return DemoCasesReport(already_loaded=True, cases=existing)
    if Case.objects.exists():
        raise DemoDataError(
            _(
                "The register already holds cases. Demo cases go only into an empty register, "
                "so that their numbers follow their dates."
            )
        )
    now = now or timezone.now()
    rng = random.Random(seed)
    with transaction.atomic():
        city, places = _city(rng)
        staff = ensure_demo_users()
        residents = create_demo_residents(
            rng,
            count=max(10, count // CASES_PER_RESIDENT),
            addresses=places.streets,
            city_name=settings.CITY_NAME,
        )
        plans = plan_cases(
            count=count,
            rng=rng,
            city=city,
            places=places,
            staff=staff,
            residents=residents,
            now=now,
        )
        refused = replay(plans, sweep_until=now)
        calls = add_demo_calls(rng, now=now, dispatcher=staff.dispatcher)
    return _report(residents=len(residents.everyone), refused=refused, today=now, calls=calls)


def _city(rng: random.Random) -> tuple[CityFacts, Places]:
    boundary = city_boundary()
    if boundary is None:
        raise DemoDataError(
            _("The city has no boundary (area “%(code)s”): load the demo city first.")
            % {"code": settings.CITY_AREA_CODE}
        )
    categories = list(
        Category.objects.filter(is_active=True, parent__isnull=False)
        .select_related("parent", "department")
        .prefetch_related("questions")
        .order_by("order", "code")
    )
    if not categories:
        raise DemoDataError(_("The city has no categories: load the demo city first."))
    departments = list(Department.objects.filter(is_active=True).order_by("code"))
    streets = sorted({street.full_name for street in Street.objects.only("street_type", "name")})
    has_routing_rules = RoutingRule.objects.exists()

    def route(
        category: Category | None, latitude: float | None, longitude: float | None
    ) -> Department | None:
        if category is None:
            return None
        if has_routing_rules and latitude is not None and longitude is not None:
            return department_for(category, areas_at(latitude=latitude, longitude=longitude))
        return category.department

    external_by_group: dict[str, list[Department]] = {}
    for category in categories:
        if category.department is not None and category.department.is_external:
            organisations = external_by_group.setdefault(group_of(category), [])
            if category.department not in organisations:
                organisations.append(category.department)
    city = CityFacts(
        categories=categories,
        internal_departments=[d for d in departments if not d.is_external],
        external_organisations=[d for d in departments if d.is_external],
        external_by_group=external_by_group,
        calendar=work_calendar(),
        route=route,
    )
    return city, Places(parse_polygon(boundary.geometry), streets, rng)


def replay(plans: Sequence[CasePlan], *, sweep_until: datetime | None = None) -> list[str]:
    """Run every plan's registration and steps, all in the order of time, and the deadline
    sweep every morning until `sweep_until`.

    A step the services refuse stops that case's story; the refusals are returned.
    """
    agenda: list[tuple[datetime, int, int, CasePlan | None, Step | None]] = []
    for index, each in enumerate(plans):
        agenda.append((each.registered_at, index, 0, each, None))
        agenda += [(step.at, index, n, each, step) for n, step in enumerate(each.steps, 1)]
    if plans and sweep_until is not None:
        # After the steps of the same moment.
        agenda += [(moment, len(plans), 0, None, None) for moment in _sweeps(plans, sweep_until)]
    agenda.sort(key=lambda item: item[:3])
    refused: list[str] = []
    broken: set[int] = set()
    for moment, index, _n, plan, step in agenda:
        if index in broken:
            continue
        if plan is None:
            with clock.replaying_at(moment):
                sweep_deadlines(now=moment)
            continue
        try:
            with clock.replaying_at(moment):
                if step is None:
                    plan.case_id = services.open_case(**plan.intake()).pk
                else:
                    _perform(step, plan)
        except DomainError as error:
            broken.add(index)
            what = step.kind if step else "open"
            refused.append(f"{moment:%Y-%m-%d %H:%M} {plan.kind} {what}: {error}")
    return refused


def _sweeps(plans: Sequence[CasePlan], until: datetime) -> list[datetime]:
    """The moments of the replayed sweeps: each morning before work, and at `until` itself,
    so that only what falls due after the load is mailed."""
    day = min(plan.registered_at for plan in plans).astimezone(CITY_TZ).date()
    moments = []
    while (moment := datetime.combine(day, SWEEP_AT, tzinfo=CITY_TZ)) < until:
        moments.append(moment)
        day += timedelta(days=1)
    return [*moments, until]


STATUS_ACTIONS = {
    StepKind.START: Action.START,
    StepKind.WAIT: Action.WAIT,
    StepKind.RESUME: Action.RESUME,
    StepKind.RESOLVE: Action.RESOLVE,
    StepKind.CLOSE: Action.CLOSE,
    StepKind.REJECT: Action.REJECT,
    StepKind.ANSWER: Action.ANSWER_ON_SPOT,
}


def _perform(step: Step, plan: CasePlan) -> None:
    """Take one step through the case service that makes it."""
    assert plan.case_id is not None
    case_id, actor, text = plan.case_id, step.actor, step.text
    match step.kind:
        case StepKind.ASSIGN:
            assert step.department is not None
            services.assign(
                case_id=case_id, actor=actor, department=step.department, assignee=step.assignee
            )
        case StepKind.SEND:
            assert step.department is not None
            services.redirect(case_id=case_id, actor=actor, to=step.department, reason=text)
        case StepKind.MERGE:
            if step.into is None or step.into.case_id is None:
                raise DomainError("the case to merge into was not registered")
            services.merge(
                case_id=case_id, into_case_id=step.into.case_id, actor=actor, reason=text
            )
        case StepKind.REOPEN:
            services.reopen(case_id=case_id, actor=actor, reason=text)
        case StepKind.CANCEL:
            services.cancel_registration(case_id=case_id, actor=actor, reason=text)
        case StepKind.EXTEND:
            services.extend_deadline(case_id=case_id, actor=actor, days=step.days, notice=text)
        case StepKind.MESSAGE:
            services.message_resident(case_id=case_id, actor=actor, text=text)
        case StepKind.NOTE:
            services.add_note(case_id=case_id, actor=actor, text=text)
        case StepKind.SENT:
            _record_exit(case_id, actor)
        case _:
            services.change_status(
                case_id=case_id,
                actor=actor,
                action=STATUS_ACTIONS[step.kind],
                text=text,
                decision=step.decision,
            )


def _record_exit(case_id: int, actor: User | None) -> None:
    """The answer's exit: mailed (recorded as the outbox records it), else posted or handed
    over by the officer."""
    case = Case.objects.select_related("reporter").get(pk=case_id)
    answer, contact = last_answer(case), case.reporter
    if answer is None or contact is None:
        return
    if actor is None:
        record_answer_mailed(about=answer, recipient=contact.email)
        return
    by_hand = case.answer_channel in {AnswerChannel.DESK, AnswerChannel.PHONE}
    services.record_answer_sent(
        case_id=case_id,
        actor=actor,
        channel=case.answer_channel if by_hand else AnswerChannel.POST,
        recipient=", ".join(part for part in [contact.name, contact.postal_address] if part),
    )


def _report(*, residents: int, refused: list[str], today: datetime, calls: int) -> DemoCasesReport:
    cases = Case.objects.filter(is_demo=True)
    span = cases.aggregate(first=Min("registered_at"), last=Max("registered_at"))
    statuses = dict(cases.values_list("status").annotate(n=Count("id")).order_by("status"))
    return DemoCasesReport(
        already_loaded=False,
        cases=cases.count(),
        residents=residents,
        first=span["first"],
        last=span["last"],
        statuses=statuses,
        extended=cases.filter(legal_extended_days__gt=0).count(),
        overdue=cases.filter(
            status__in=OPEN_STATUSES, legal_due__lt=today.astimezone(CITY_TZ).date()
        ).count(),
        refused=refused,
        calls=calls,
    )
