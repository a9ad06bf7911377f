"""The case list's filters turned into conditions on the cases a user may see."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from cetate.accounts.access import visible_cases
from cetate.accounts.models import User
from cetate.api.serializers.cases import ASSIGNED_TO_ME, ASSIGNED_TO_NOBODY
from cetate.cases.models import Case
from cetate.cases.queries import in_deadline_state
from cetate.directory.lookup import areas_within
from cetate.directory.models import Area, Category


def filtered_cases(user: User, filters: Mapping[str, Any], now: datetime) -> QuerySet[Case]:
    """The cases `user` may see that match every filter given (validated by
    CaseFilterSerializer)."""
    cases = visible_cases(user)
    if filters.get("status"):
        cases = cases.filter(status__in=sorted(filters["status"]))
    for name in ("kind", "channel"):
        if filters.get(name):
            cases = cases.filter(**{name: filters[name]})
    if filters.get("category"):
        family = Category.objects.filter(
            Q(pk=filters["category"]) | Q(parent_id=filters["category"])
        )
        # Ids, not a join: the cases' category index answers alone.
        cases = cases.filter(category_id__in=list(family.values_list("pk", flat=True)))
    if filters.get("department"):
        cases = cases.filter(department_id=filters["department"])
    if filters.get("area"):
        area = Area.objects.filter(pk=filters["area"]).first()
        cases = cases.filter(area_id__in=areas_within(area)) if area else cases.none()
    if filters.get("assignee"):
        cases = cases.filter(_assignee(filters["assignee"], user))
    if filters.get("number"):
        number, _slash, year = filters["number"].partition("/")
        cases = cases.filter(registration_number=int(number))
        if year:
            cases = cases.filter(registration_year=int(year))
    if filters.get("registered_after"):
        cases = cases.filter(registered_at__gte=filters["registered_after"])
    if filters.get("registered_before"):
        cases = cases.filter(registered_at__lt=filters["registered_before"])
    if filters.get("updated_after"):
        cases = cases.filter(updated_at__gte=filters["updated_after"])
    if filters.get("deadline"):
        cases = cases.filter(in_deadline_state(now, filters["deadline"]))
    return cases


def _assignee(choice: str, user: User) -> Q:
    if choice == ASSIGNED_TO_NOBODY:
        return Q(assignee__isnull=True)
    if choice == ASSIGNED_TO_ME:
        return Q(assignee=user)
    return Q(assignee_id=int(choice))
