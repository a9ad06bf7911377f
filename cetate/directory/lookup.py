"""Where a point lies and who is responsible there: the routing rule of the directory."""

from __future__ import annotations

from django.conf import settings

from cetate.directory.models import Area, Category, Department, NonWorkingDay, RoutingRule
from cetate.lib.calendar import WorkCalendar
from cetate.lib.geo import contains


def areas_at(*, latitude: float, longitude: float) -> list[Area]:
    """Active areas covering the point, smallest kind first (neighbourhood before city)."""
    candidates = Area.objects.filter(
        is_active=True,
        min_lat__lte=latitude,
        max_lat__gte=latitude,
        min_lon__lte=longitude,
        max_lon__gte=longitude,
    )
    found = [a for a in candidates if contains(a.geometry, latitude=latitude, longitude=longitude)]
    order = {Area.Kind.NEIGHBOURHOOD: 0, Area.Kind.DISTRICT: 1, Area.Kind.MUNICIPALITY: 2}
    return sorted(found, key=lambda area: order.get(Area.Kind(area.kind), 3))


def city_boundary() -> Area | None:
    return Area.objects.filter(code=settings.CITY_AREA_CODE, is_active=True).first()


def department_for(category: Category | None, areas: list[Area]) -> Department | None:
    """The category's department, unless a routing rule names another one for the area."""
    if category is None:
        return None
    if areas:
        rules = {
            rule.area_id: rule.department
            for rule in RoutingRule.objects.filter(
                category=category, area__in=areas
            ).select_related("department")
        }
        for area in areas:
            if area.pk in rules:
                return rules[area.pk]
    return category.department


def work_calendar() -> WorkCalendar:
    return WorkCalendar.with_days_off(NonWorkingDay.objects.values_list("date", flat=True))
