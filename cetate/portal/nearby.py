"""Open reports near a place, as anyone may see them: before sending a report, a resident is
shown the ones already made about the same problem, to follow instead of repeating.

Only reports of problems in categories shown on the public map take part, the cases whose
public page exists; each is named by its number, category, status, date and rough distance,
with no one's name, words or exact place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from cetate.cases.choices import Kind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.cases.workflow import Status
from cetate.directory.models import Category
from cetate.portal.tracking import PLAIN_STATUS
from cetate.triage.duplicates import open_cases_near

WITHIN_M = 150
MAX_SHOWN = 10
# Distances are told in steps this long, so that they do not pinpoint the earlier report.
DISTANCE_STEP_M = 10


@dataclass(frozen=True)
class NearbyReport:
    number: str
    category: str
    status: str
    registered_on: date
    distance_m: int
    url: str

    def as_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "category": self.category,
            "status": self.status,
            "registered_on": self.registered_on.isoformat(),
            "distance_m": self.distance_m,
            "url": self.url,
        }


def nearby_reports(
    category: Category | None, latitude: float | None, longitude: float | None
) -> list[NearbyReport]:
    """Open reports of a public category within 150 m of the point, nearest first."""
    if category is None or not category.public_map or latitude is None or longitude is None:
        return []
    found = open_cases_near(
        category_id=category.pk, latitude=latitude, longitude=longitude, within_m=WITHIN_M
    )
    reports = [(case, metres) for case, metres in found if case.kind == Kind.REPORT]
    return [_public(case, metres) for case, metres in reports[:MAX_SHOWN]]


def _public(case: Case, metres: float) -> NearbyReport:
    return NearbyReport(
        number=case.number,
        category=case.category.full_label if case.category else "",
        status=str(PLAIN_STATUS[Status(case.status)]),
        registered_on=case.registered_at.astimezone(CITY_TZ).date(),
        distance_m=max(DISTANCE_STEP_M, round(metres / DISTANCE_STEP_M) * DISTANCE_STEP_M),
        url=reverse(
            "public_case",
            kwargs={"year": case.registration_year, "number": case.registration_number},
        ),
    )
