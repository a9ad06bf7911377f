"""Intake throughput: open_case against raw SQL writing the same rows, on the same database.

Every sampled submission is registered three times: through open_case, through raw SQL with
one transaction per case (the baseline: the same number, tracking code, deadlines, case row and
events), and through raw SQL in batches. Services and baseline alternate in small chunks so
that both meet the same table size, caches and background work of the database.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from cetate.accounts.models import User
from cetate.cases.choices import Channel, Kind
from cetate.cases.deadlines import CITY_TZ, earliest_due
from cetate.cases.models import RegistrationCounter
from cetate.cases.services import open_case
from cetate.cases.services.intake import new_tracking_code
from cetate.cases.workflow import Action, Status
from cetate.contacts.models import AnswerChannel, Contact
from cetate.directory.lookup import work_calendar
from cetate.directory.models import Category
from cetate.ops.bench.city import BenchCity
from cetate.ops.bench.rows import (
    DESCRIPTIONS,
    STREETS,
    PlannedCase,
    created_event,
    deadlines,
    status_event,
)
from cetate.ops.bench.writer import RawWriter

CHUNK = 100
BATCH = 500
WARM_UP = 20
PROFILE_LINES = 35


@dataclass(frozen=True)
class Submission:
    """What a channel hands to open_case."""

    kind: Kind
    channel: Channel
    actor: User | None
    description: str
    category: Category | None = None
    reporter: Contact | None = None
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    answer_on_spot: str | None = None
    auto_route: bool = False

    def open(self) -> None:
        open_case(
            kind=self.kind,
            channel=self.channel,
            actor=self.actor,
            description=self.description,
            category=self.category,
            reporter=self.reporter,
            latitude=self.latitude,
            longitude=self.longitude,
            address=self.address,
            answers=self.answers,
            answer_on_spot=self.answer_on_spot,
            auto_route=self.auto_route,
        )


@dataclass(frozen=True)
class IntakeFigures:
    cases: int
    services_per_s: float
    raw_per_s: float
    batched_per_s: float
    profile: str


def submissions(city: BenchCity, contacts: Sequence[Contact], count: int) -> list[Submission]:
    """A day's mix: portal reports routed at once, calls, questions answered on the phone,
    petitions at the front desk."""
    rng = random.Random(2)
    located = [c for c in city.categories if c.department is not None]
    result = []
    for index in range(count):
        draw = rng.random()
        description = rng.choice(DESCRIPTIONS)
        if draw < 0.4:
            category = rng.choice(located)
            latitude, longitude = city.random_point(rng)
            anonymous = category.anonymous_allowed and rng.random() < 0.3
            result.append(
                Submission(
                    kind=Kind.REPORT,
                    channel=Channel.PORTAL,
                    actor=None,
                    description=description,
                    category=category,
                    reporter=None if anonymous else rng.choice(contacts),
                    latitude=latitude,
                    longitude=longitude,
                    answers={"pole": f"S{index}"} if category.code == "lighting.lamp" else {},
                    auto_route=True,
                )
            )
        elif draw < 0.75:
            category = rng.choice(city.categories)
            latitude, longitude = city.random_point(rng)
            result.append(
                Submission(
                    kind=rng.choice([Kind.REPORT, Kind.REPORT, Kind.COMPLAINT]),
                    channel=Channel.PHONE,
                    actor=city.dispatcher,
                    description=description,
                    category=category,
                    reporter=rng.choice(contacts),
                    latitude=latitude,
                    longitude=longitude,
                    address=f"{rng.choice(STREETS)} nr. {rng.randint(1, 120)}",
                )
            )
        elif draw < 0.9:
            result.append(
                Submission(
                    kind=Kind.INQUIRY,
                    channel=Channel.PHONE,
                    actor=city.dispatcher,
                    description=description,
                    answer_on_spot="Programul ghișeului este 8–16, de luni până vineri.",
                )
            )
        else:
            result.append(
                Submission(
                    kind=rng.choice([Kind.REQUEST, Kind.INFORMATION, Kind.PROPOSAL]),
                    channel=Channel.DESK,
                    actor=city.clerk,
                    description=description,
                    category=rng.choice([None, *city.categories[-3:]]),
                    reporter=rng.choice(contacts),
                )
            )
    return result


class Baseline:
    """The rows open_case writes for a submission, computed without asking the database."""

    def __init__(self, city: BenchCity) -> None:
        self.city = city
        self.calendar = work_calendar()

    def plan(self, submission: Submission) -> PlannedCase:
        s = submission
        now = timezone.now()
        actor_id = s.actor.pk if s.actor else None
        legal_due, internal_due, service_due_at = deadlines(s.kind, s.category, now, self.calendar)
        area_id = (
            self.city.area_at(s.latitude, s.longitude)
            if s.latitude is not None and s.longitude is not None
            else None
        )
        events = [
            created_event(at=now, actor_id=actor_id, channel=s.channel.value, kind=s.kind.value)
        ]
        status, department_id, answer, resolved_at = Status.NEW, None, "", None
        if s.answer_on_spot is not None:
            status, answer, resolved_at = Status.CLOSED, s.answer_on_spot, now
            events.append(
                status_event(
                    seq=2,
                    at=now,
                    actor_id=actor_id,
                    to_status=status,
                    text=answer,
                    data={"action": Action.ANSWER_ON_SPOT.value},
                )
            )
        elif s.auto_route and s.category and s.category.department:
            department = s.category.department
            if not department.is_external:
                status, department_id = Status.ASSIGNED, department.pk
                events.append(
                    status_event(
                        seq=2,
                        at=now,
                        actor_id=None,
                        to_status=status,
                        public=False,
                        data={
                            "action": Action.ASSIGN.value,
                            "department": department.pk,
                            "department_name": department.name,
                        },
                    )
                )
        answer_channel = s.reporter.preferred_channel if s.reporter else AnswerChannel.EMAIL
        case = {
            "registration_year": now.astimezone(CITY_TZ).year,
            "registered_at": now,
            "tracking_code": new_tracking_code(),
            "kind": s.kind.value,
            "channel": s.channel.value,
            "answer_channel": str(answer_channel),
            "entered_by_id": actor_id,
            "reporter_id": s.reporter.pk if s.reporter else None,
            "category_id": s.category.pk if s.category else None,
            "department_id": department_id,
            "latitude": s.latitude,
            "longitude": s.longitude,
            "address": s.address,
            "area_id": area_id,
            "description": s.description,
            "answers": s.answers,
            "status": status.value,
            "status_changed_at": now,
            "legal_due": legal_due,
            "internal_due": internal_due,
            "service_due": service_due_at,
            "due_at": earliest_due(
                internal_due=internal_due, legal_due=legal_due, service_due=service_due_at
            ),
            "resolved_at": resolved_at,
            "answer": answer,
            "last_event_seq": len(events),
            "updated_at": now,
        }
        return PlannedCase(case=case, events=events)


def measure_intake(
    city: BenchCity,
    contacts: Sequence[Contact],
    count: int,
    *,
    profile: bool,
    progress: Callable[[str], None],
) -> IntakeFigures:
    RegistrationCounter.objects.get_or_create(year=timezone.now().astimezone(CITY_TZ).year)
    sample = submissions(city, contacts, count + WARM_UP)
    warm_up, sample = sample[:WARM_UP], sample[WARM_UP:]
    baseline = Baseline(city)
    writer = RawWriter()
    for submission in warm_up:
        submission.open()
        writer.insert_one(baseline.plan(submission))
    services = raw = 0.0
    for start in range(0, len(sample), CHUNK):
        chunk = sample[start : start + CHUNK]
        started = time.perf_counter()
        for submission in chunk:
            submission.open()
        services += time.perf_counter() - started
        started = time.perf_counter()
        for submission in chunk:
            # The baseline computes its values on the clock too: a minimal register would.
            writer.insert_one(baseline.plan(submission))
        raw += time.perf_counter() - started
        progress(f"intake: {start + len(chunk):,} / {len(sample):,} cases each way")
    started = time.perf_counter()
    for start in range(0, len(sample), BATCH):
        writer.insert_batch([baseline.plan(s) for s in sample[start : start + BATCH]])
    batched = time.perf_counter() - started
    return IntakeFigures(
        cases=len(sample),
        services_per_s=len(sample) / services,
        raw_per_s=len(sample) / raw,
        batched_per_s=len(sample) / batched,
        profile=_profiled(sample[: min(len(sample), 500)]) if profile else "",
    )


def _profiled(sample: Sequence[Submission]) -> str:
    """cProfile of open_case on extra submissions (kept out of the measured figures)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for submission in sample:
        submission.open()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(f"open_case × {len(sample)}, by cumulative time\n")
    stats.sort_stats("cumulative").print_stats(PROFILE_LINES)
    out.write("\nby own time\n")
    stats.sort_stats("tottime").print_stats(PROFILE_LINES // 2)
    return out.getvalue()
