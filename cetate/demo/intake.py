"""How demo cases come in: of what kind, through which channel, when, about what, from whom."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime
from typing import Any

from cetate.accounts.models import User
from cetate.cases.authorship import anonymity_allowed
from cetate.cases.choices import Channel, Kind, Priority
from cetate.cases.deadlines import CITY_TZ
from cetate.contacts.models import Contact
from cetate.demo import texts
from cetate.demo.places import Places
from cetate.demo.planning import CasePlan, CityFacts
from cetate.demo.residents import Residents
from cetate.demo.timeline import registration_moment
from cetate.demo.users import DemoStaff
from cetate.directory.models import Category, CategoryQuestion, QuestionDatatype

KIND_SHARES = {
    Kind.REPORT: 62,
    Kind.INQUIRY: 12,
    Kind.REQUEST: 10,
    Kind.COMPLAINT: 7,
    Kind.INFORMATION: 6,
    Kind.PROPOSAL: 3,
}
CHANNEL_SHARES = {
    Kind.REPORT: {"portal": 32, "phone": 30, "api": 14, "email": 10, "kiosk": 6, "desk": 8},
    Kind.REQUEST: {"desk": 40, "email": 25, "portal": 30, "phone": 5},
    Kind.COMPLAINT: {"desk": 30, "email": 35, "portal": 30, "phone": 5},
    Kind.PROPOSAL: {"email": 45, "portal": 40, "desk": 15},
    Kind.INFORMATION: {"email": 55, "portal": 30, "desk": 15},
    Kind.INQUIRY: {"phone": 65, "desk": 25, "kiosk": 5, "portal": 5},
}
# How often each group of problems is reported; groups of other cities weigh the same.
REPORT_GROUP_WEIGHTS = {
    "roads": 22,
    "sanitation": 16,
    "lighting": 12,
    "green": 10,
    "parking": 9,
    "order": 8,
    "animals": 6,
    "utilities": 5,
    "mobility": 4,
    "planning": 4,
    "social": 2,
}
OTHER_GROUP_WEIGHT = 3
NOT_REPORTED_GROUPS = ("administration", "taxes")
# The categories other kinds of case usually come under, where the city has them.
KIND_CATEGORIES = {
    Kind.REQUEST: (
        "lighting.new",
        "parking.application",
        "green.pruning",
        "sanitation.pests",
        "taxes.query",
        "administration.gdpr",
    ),
    Kind.COMPLAINT: (
        "administration.complaint",
        "administration.staff",
        "sanitation.missed",
        "utilities.heating",
        "order.noise",
        "parking.resident",
    ),
    Kind.PROPOSAL: ("administration.proposal", "mobility.bike", "green.furniture"),
    Kind.INFORMATION: ("administration.information",),
    Kind.INQUIRY: ("taxes.query", "mobility.route", "sanitation.missed"),
}
SHARE_PREFERRED_CATEGORY = 0.8
SEASONS = {
    "roads.snow": (12, 1, 2),
    "utilities.heating": (10, 11, 12, 1, 2, 3, 4),
    "green.pruning": (4, 5, 6, 7, 8, 9),
}
SHARE_ANONYMOUS = 0.15  # of reports in categories that accept anonymous ones
SHARE_ANONYMOUS_QUESTIONS = 0.5
SHARE_AUTO_ROUTED = 0.6  # of cases that arrive without a person registering them
SHARE_LOCATED = {Kind.REPORT: 1.0, Kind.COMPLAINT: 1.0, Kind.REQUEST: 0.7, Kind.PROPOSAL: 0.7}
SECOND_REPORT_CHANNELS = (Channel.PORTAL, Channel.API, Channel.EMAIL)


class Intake:
    def __init__(
        self,
        *,
        rng: random.Random,
        city: CityFacts,
        places: Places,
        staff: DemoStaff,
        residents: Residents,
        start: datetime,
        end: datetime,
    ) -> None:
        self.rng = rng
        self.city = city
        self.places = places
        self.staff = staff
        self.residents = residents
        self.start = start
        self.end = end

    def new_case(self, kind: Kind) -> CasePlan:
        rng = self.rng
        shares = CHANNEL_SHARES[kind]
        channel = Channel(rng.choices(list(shares), weights=list(shares.values()))[0])
        registered_at = registration_moment(
            rng, channel, start=self.start, end=self.end, calendar=self.city.calendar
        )
        category = self._category(kind, registered_at)
        located = rng.random() < SHARE_LOCATED.get(kind, 0)
        latitude, longitude = self.places.point() if located else (None, None)
        return self._plan(
            kind=kind,
            channel=channel,
            registered_at=registered_at,
            category=category,
            latitude=latitude,
            longitude=longitude,
            address=self.places.address() if located else "",
        )

    def second_report(self, original: CasePlan, registered_at: datetime) -> CasePlan:
        """The resident of `original` reports the same problem again, from a few metres away:
        their second petition is merged into the first (OG 27/2002 art. 10)."""
        assert original.latitude is not None and original.longitude is not None
        latitude, longitude = self.places.near(original.latitude, original.longitude)
        second = self._plan(
            kind=Kind.REPORT,
            channel=self.rng.choice(SECOND_REPORT_CHANNELS),
            registered_at=registered_at,
            category=original.category,
            latitude=latitude,
            longitude=longitude,
            address=original.address,
        )
        second.reporter = original.reporter
        return second

    def _plan(
        self,
        *,
        kind: Kind,
        channel: Channel,
        registered_at: datetime,
        category: Category | None,
        latitude: float | None,
        longitude: float | None,
        address: str,
    ) -> CasePlan:
        rng = self.rng
        template = texts.template_for(rng, kind, category)
        entered_by = self._entered_by(channel)
        return CasePlan(
            registered_at=registered_at,
            kind=kind,
            channel=channel,
            entered_by=entered_by,
            category=category,
            reporter=self._reporter(kind, channel, category),
            latitude=latitude,
            longitude=longitude,
            address=address,
            title=texts.fill(
                template.title, where=address, located=latitude is not None, category=category
            ),
            description=texts.fill(
                template.text, where=address, located=latitude is not None, category=category
            ),
            priority=self._priority(category),
            answers=self._answers(category, registered_at),
            # A question asked on the phone or at the desk is answered there and then.
            answer_on_spot=template.answer if kind == Kind.INQUIRY and entered_by else None,
            # Questions are answered, never routed to a department.
            auto_route=(
                entered_by is None and kind != Kind.INQUIRY and rng.random() < SHARE_AUTO_ROUTED
            ),
            reply=template.answer,
            department=self.city.route(category, latitude, longitude),
        )

    def _entered_by(self, channel: Channel) -> User | None:
        """Staff register calls and walk-ins; the other channels register themselves."""
        if channel == Channel.PHONE:
            return self.staff.dispatcher
        if channel == Channel.DESK:
            return self.staff.clerk
        return None

    def _category(self, kind: Kind, moment: datetime) -> Category | None:
        rng = self.rng
        in_season = [
            category
            for category in self.city.categories
            if moment.astimezone(CITY_TZ).month in SEASONS.get(category.code, range(1, 13))
        ] or list(self.city.categories)
        preferred = [c for c in in_season if c.code in KIND_CATEGORIES.get(kind, ())]
        if kind == Kind.INFORMATION:
            # Not about a problem in the city: no category rather than a misleading one.
            return rng.choice(preferred) if preferred else None
        if kind != Kind.REPORT and preferred and rng.random() < SHARE_PREFERRED_CATEGORY:
            return rng.choice(preferred)
        if kind == Kind.INQUIRY:
            return None
        reported = [c for c in in_season if group_of(c) not in NOT_REPORTED_GROUPS] or in_season
        # Each group gets its weight, shared among its categories.
        group_sizes = Counter(group_of(c) for c in reported)
        weights = [
            REPORT_GROUP_WEIGHTS.get(group_of(c), OTHER_GROUP_WEIGHT) / group_sizes[group_of(c)]
            for c in reported
        ]
        return rng.choices(reported, weights=weights)[0]

    def _reporter(self, kind: Kind, channel: Channel, category: Category | None) -> Contact | None:
        rng, residents = self.rng, self.residents
        if kind == Kind.INQUIRY and rng.random() < SHARE_ANONYMOUS_QUESTIONS:
            return None
        # Only reports are ever anonymous, where their category allows; every demo resident has
        # a name and a postal address, so any petition can be answered (OG 27/2002 art. 7).
        anonymous_report = kind == Kind.REPORT and anonymity_allowed(kind, category)
        if anonymous_report and channel != Channel.DESK and rng.random() < SHARE_ANONYMOUS:
            return None
        if channel == Channel.EMAIL:
            return residents.pick(rng, residents.with_email)
        if channel == Channel.PHONE:
            return residents.pick(rng, residents.with_phone)
        return residents.pick(rng)

    def _priority(self, category: Category | None) -> Priority:
        urgent = (
            category is not None
            and category.service_target_unit == "h"
            and (category.service_target or 99) <= 24
        )
        if urgent:
            choices, weights = [Priority.NORMAL, Priority.HIGH, Priority.URGENT], [25, 60, 15]
        else:
            choices, weights = [Priority.LOW, Priority.NORMAL, Priority.HIGH], [5, 90, 5]
        return self.rng.choices(choices, weights=weights)[0]

    def _answers(self, category: Category | None, moment: datetime) -> dict[str, Any]:
        """Answers to the category's extra questions: the required ones and some others."""
        if category is None:
            return {}
        return {
            question.code: _answer(self.rng, question, moment)
            for question in category.questions.all()
            if question.required or self.rng.random() < 0.5
        }


def group_of(category: Category) -> str:
    return category.parent.code if category.parent else category.code


def _answer(rng: random.Random, question: CategoryQuestion, moment: datetime) -> Any:
    datatype = QuestionDatatype(question.datatype)
    keys = sorted(question.value_keys)
    if datatype == QuestionDatatype.SINGLE and keys:
        return rng.choice(keys)
    if datatype == QuestionDatatype.MULTI and keys:
        return rng.sample(keys, rng.randint(1, len(keys)))
    if datatype == QuestionDatatype.NUMBER:
        return rng.randint(1, 20)
    if datatype == QuestionDatatype.DATETIME:
        return moment.isoformat()
    if datatype == QuestionDatatype.TEXT:
        return "Detalii la fața locului."
    return str(rng.randint(1, 300))
