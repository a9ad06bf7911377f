"""Earlier cases a new one may repeat: the same problem reported nearby, or the same resident
asking again. The same petitioner's cases may be merged (OG 27/2002 art. 10), one answer
covering both; reports of one problem by different residents are linked instead, each
answered on its own case.

The database narrows nearby cases by a bounding box on latitude and longitude, within the
dates and among the category's open cases; the exact distance is computed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cetate.cases.models import Case
from cetate.cases.petitioners import contact_ids_of_petitioner
from cetate.cases.workflow import OPEN_STATUSES
from cetate.lib.geo import EARTH_RADIUS_M, distance_m

# Sorted so that the condition reads the same as the indexes' and queries' elsewhere.
OPEN = sorted(OPEN_STATUSES)
# A cluster of reports about one problem rarely exceeds this; beyond it the box is cut short.
MAX_NEARBY_ROWS = 500


@dataclass(frozen=True)
class Candidate:
    """A case the given one may repeat, and why it is suggested."""

    case: Case
    distance_m: float | None  # None: not within the distance searched
    same_resident: bool  # the same petitioner, merged contacts followed: it may be merged

    @property
    def may_merge(self) -> bool:
        """Only the same petitioner's cases are merged; the others are linked."""
        return self.same_resident

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.distance_m is not None:
            reasons.append(_("nearby: %(metres)d m") % {"metres": round(self.distance_m)})
        if self.same_resident:
            reasons.append(_("same resident"))
        return reasons


def _relevance(candidate: Candidate, case: Case) -> tuple[bool, int, float, float]:
    """Earlier cases before later ones (a case is merged into the one registered first); then
    both reasons, then nearby cases by distance, then the resident's other cases; within a
    rank, the case registered closest in time to this one."""
    later = candidate.case.registered_at > case.registered_at
    nearby, resident = candidate.distance_m is not None, candidate.same_resident
    rank = 0 if nearby and resident else 1 if nearby else 2
    apart = abs((candidate.case.registered_at - case.registered_at).total_seconds())
    return later, rank, candidate.distance_m or 0.0, apart


def similar_cases(
    case: Case, *, within_m: float = 150, days: int = 30, limit: int = 10
) -> list[Candidate]:
    """Open cases `case` may repeat, most relevant first.

    - nearby: open cases of the same category registered within `days` days before or after
      it, whose point lies within `within_m` metres of its own;
    - same resident: the open cases of the same petitioner (their contact or one merged with
      it), whatever their category or place.
    """
    petitioner_ids = _petitioner_ids(case)
    nearby = _nearby(case, within_m=within_m, days=days)
    resident = _same_resident(case, petitioner_ids, limit=limit)
    found: dict[int, Candidate] = {}
    for other, metres in nearby:
        found[other.pk] = Candidate(
            other, metres, same_resident=other.reporter_id in petitioner_ids
        )
    for other in resident:
        if other.pk not in found:
            found[other.pk] = Candidate(other, None, same_resident=True)
    ranked = sorted(found.values(), key=lambda candidate: _relevance(candidate, case))
    return ranked[:limit]


def _others(case: Case) -> QuerySet[Case]:
    return (
        Case.objects.filter(status__in=OPEN)
        .exclude(pk=case.pk)
        .select_related("category", "category__parent", "department")
    )


def _nearby(case: Case, *, within_m: float, days: int) -> list[tuple[Case, float]]:
    if case.category_id is None or case.latitude is None or case.longitude is None:
        return []
    window = timedelta(days=days)
    return open_cases_near(
        category_id=case.category_id,
        latitude=case.latitude,
        longitude=case.longitude,
        within_m=within_m,
        registered_from=case.registered_at - window,
        registered_to=case.registered_at + window,
        exclude=case.pk,
    )


def open_cases_near(
    *,
    category_id: int,
    latitude: float,
    longitude: float,
    within_m: float,
    registered_from: datetime | None = None,
    registered_to: datetime | None = None,
    exclude: int | None = None,
) -> list[tuple[Case, float]]:
    """Open cases of the category whose point lies within `within_m` metres, with the distance
    in metres, nearest first; before a case exists too (a resident placing a pin)."""
    # Degrees spanned by `within_m` metres north–south, and east–west at this latitude.
    dlat = math.degrees(within_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(latitude)), 1e-6)
    in_box = (
        Case.objects.filter(status__in=OPEN)
        .select_related("category", "category__parent", "department")
        .filter(
            category_id=category_id,
            latitude__gte=latitude - dlat,
            latitude__lte=latitude + dlat,
            longitude__gte=longitude - dlon,
            longitude__lte=longitude + dlon,
        )
    )
    if exclude is not None:
        in_box = in_box.exclude(pk=exclude)
    if registered_from is not None:
        in_box = in_box.filter(registered_at__gte=registered_from)
    if registered_to is not None:
        in_box = in_box.filter(registered_at__lte=registered_to)
    found = []
    for other in in_box.order_by()[:MAX_NEARBY_ROWS]:
        assert other.latitude is not None and other.longitude is not None
        metres = distance_m(latitude, longitude, other.latitude, other.longitude)
        if metres <= within_m:
            found.append((other, metres))
    return sorted(found, key=lambda pair: pair[1])


def _petitioner_ids(case: Case) -> set[int]:
    """The contacts standing for the case's petitioner; none for an anonymous case."""
    if case.reporter is None:
        return set()
    return contact_ids_of_petitioner(case.reporter)


def _same_resident(case: Case, petitioner_ids: set[int], *, limit: int) -> list[Case]:
    if not petitioner_ids:
        return []
    return list(
        _others(case).filter(reporter_id__in=petitioner_ids).order_by("-registered_at")[:limit]
    )
