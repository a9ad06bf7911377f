"""Open reports near a place, as anyone may see them: before sending a report, a resident is
shown the ones already made about the same problem, to follow instead of repeating.

Only the cases the public may see take part (cetate/cases/publication), the cases whose public
page exists; each is named by its number, category, status, date and a rough distance measured
from its public point, with no one's name, words or exact place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from cetate.cases.deadlines import CITY_TZ
from cetate.cases.publication import PublicView, category_is_public, public_view
from cetate.directory.models import Category
from cetate.lib.geo import distance_m
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
    """Open public reports of the category within 150 m of the point, nearest first."""
    if not category_is_public(category) or latitude is None or longitude is None:
        return []
    assert category is not None
    found = open_cases_near(
        category_id=category.pk, latitude=latitude, longitude=longitude, within_m=WITHIN_M
    )
    views = [public_view(case, category, details=False) for case, _metres in found]
    shown = [
        (view, distance_m(latitude, longitude, view.latitude, view.longitude))
        for view in views
        if view is not None
    ]
    shown.sort(key=lambda pair: pair[1])
    return [_public(view, category, metres) for view, metres in shown[:MAX_SHOWN]]


def _public(view: PublicView, category: Category, metres: float) -> NearbyReport:
    return NearbyReport(
        number=view.label,
        category=category.full_label,
        status=view.plain_status,
        registered_on=view.registered_at.astimezone(CITY_TZ).date(),
        distance_m=max(DISTANCE_STEP_M, round(metres / DISTANCE_STEP_M) * DISTANCE_STEP_M),
        url=reverse("public_case", kwargs={"year": view.year, "number": view.number}),
    )
