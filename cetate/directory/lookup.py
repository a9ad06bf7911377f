"""Where a point lies and who is responsible there: the routing rule of the directory."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from cetate.directory.models import Area, Category, Department, NonWorkingDay
from cetate.lib.calendar import WorkCalendar
from cetate.lib.geo import contains, parse_polygon


@dataclass(frozen=True)
class Placement:
    """Where a point lies: the areas covering it, and whether that is inside the city."""

    areas: list[Area]
    boundary: Area | None

    @property
    def inside_city(self) -> bool:
        return self.boundary is None or self.boundary in self.areas


def place(*, latitude: float, longitude: float) -> Placement:
    """Active areas covering the point, smallest kind first (neighbourhood before city).

    One query fetches the areas whose bounding box holds the point and the city boundary.
    """
    in_box = Q(
        min_lat__lte=latitude,
        max_lat__gte=latitude,
        min_lon__lte=longitude,
        max_lon__gte=longitude,
    )
    candidates = list(Area.objects.filter(in_box | Q(code=settings.CITY_AREA_CODE), is_active=True))
    boundary = next((a for a in candidates if a.code == settings.CITY_AREA_CODE), None)
    found = [
        area
        for area in candidates
        if area.min_lat <= latitude <= area.max_lat
        and area.min_lon <= longitude <= area.max_lon
        and contains(area.geometry, latitude=latitude, longitude=longitude)
    ]
    order = {Area.Kind.NEIGHBOURHOOD: 0, Area.Kind.DISTRICT: 1, Area.Kind.MUNICIPALITY: 2}
    found.sort(key=lambda area: order.get(Area.Kind(area.kind), 3))
    return Placement(areas=found, boundary=boundary)


def areas_at(*, latitude: float, longitude: float) -> list[Area]:
    return place(latitude=latitude, longitude=longitude).areas


def city_boundary() -> Area | None:
    return Area.objects.filter(code=settings.CITY_AREA_CODE, is_active=True).first()


def department_for(category: Category | None, areas: list[Area]) -> Department | None:
    """The category's department, unless a routing rule names another one for the area."""
    if category is None:
        return None
    if areas:
        # Through the related manager, so that a category fetched with its rules costs no query.
        rules = {rule.area_id: rule for rule in category.routing_rules.all()}
        for area in areas:
            if area.pk in rules:
                return rules[area.pk].department
    return category.department


def work_calendar() -> WorkCalendar:
    return WorkCalendar.with_days_off(NonWorkingDay.objects.values_list("date", flat=True))


def areas_within(area: Area) -> list[int]:
    """The area and every active area it covers: a case records only the smallest area it
    lies in, so the city's boundary holds the cases of all its neighbourhoods."""
    outer = parse_polygon(area.geometry)
    candidates = Area.objects.filter(
        is_active=True,
        min_lat__gte=area.min_lat,
        max_lat__lte=area.max_lat,
        min_lon__gte=area.min_lon,
        max_lon__lte=area.max_lon,
    )
    inside = [c.pk for c in candidates if outer.covers(parse_polygon(c.geometry))]
    return sorted({area.pk, *inside})
