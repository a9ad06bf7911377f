"""Triage: the dispatcher corrects what the intake got wrong and sends the case where it must go,
in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cetate.accounts.models import User
from cetate.cases.choices import EventKind, Priority
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.cases.services._core import append_event, authorise, locked_case
from cetate.cases.services.actions import assign, correct_details
from cetate.cases.services.intake import checked_areas
from cetate.cases.workflow import Permission, Status
from cetate.directory.models import Category, Department
from cetate.lib.text import plain_text
from cetate.triage.routing import default_department


@transaction.atomic
def relocate(
    *,
    case_id: int,
    actor: User | None,
    latitude: float | None,
    longitude: float | None,
    address: str = "",
    seen: int | None = None,
) -> Case:
    """Move the case's point and set its address; the area follows from the new point.

    A point outside the city is refused unless the case's category allows one; no point at
    all (both None) leaves the case with its address alone. The old and new values are
    recorded; nothing is recorded when nothing changes.
    """
    case = locked_case(case_id, seen=seen)
    authorise(actor, case, Permission.EDIT)
    areas = checked_areas(case.category, latitude, longitude)
    area = areas[0] if areas else None
    address = plain_text(address).strip()[:300]
    changes: dict[str, Any] = {}
    if (case.latitude, case.longitude) != (latitude, longitude):
        changes["latitude"] = [case.latitude, latitude]
        changes["longitude"] = [case.longitude, longitude]
    if address != case.address:
        changes["address"] = [case.address, address]
    if area != case.area:
        changes["area"] = [case.area_id, area.pk if area else None]
        changes["area_name"] = [case.area.name if case.area else "", area.name if area else ""]
    if changes:
        case.latitude, case.longitude, case.address, case.area = latitude, longitude, address, area
        append_event(case, EventKind.EDITED, actor=actor, data=changes)
        case.save()
    return case


@transaction.atomic
def triage(
    *,
    case_id: int,
    actor: User | None,
    category: Category | None = None,
    priority: Priority | int | None = None,
    title: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str | None = None,
    department: Department | None = None,
    assignee: User | None = None,
    note: str = "",
    seen: int | None = None,
) -> Case:
    """Correct category, priority, summary and place, then route the case, all or nothing.

    `department` None routes by the directory's rules for the (corrected) category and place.
    A case already routed is routed again only if its department or officer changes. Each
    correction and the assignment are recorded as their own events.
    """
    case = locked_case(case_id, seen=seen)
    # The lock is held to the end of the transaction; the services composed below lock the
    # same row again and each sees what the previous one wrote.
    if category is not None or priority is not None or title is not None:
        case = correct_details(
            case_id=case_id, actor=actor, category=category, priority=priority, title=title
        )
    point = _new_point(case, latitude, longitude, address)
    if point is not None:
        case = relocate(case_id=case_id, actor=actor, **point)
    if department is None:
        department = default_department(case)
        if department is None:
            raise DomainError(
                _("No department is responsible for this category here; choose the department.")
            )
    unchanged = department.pk == case.department_id and (
        (assignee.pk if assignee else None) == case.assignee_id
    )
    if case.status == Status.NEW or not unchanged:
        case = assign(
            case_id=case_id, actor=actor, department=department, assignee=assignee, note=note
        )
    return case


def _new_point(
    case: Case, latitude: float | None, longitude: float | None, address: str | None
) -> dict[str, Any] | None:
    """The arguments of `relocate` when triage changes the place, else None."""
    if (latitude is None) != (longitude is None):
        raise DomainError(_("Give both the latitude and the longitude."))
    new_address = case.address if address is None else plain_text(address).strip()
    if latitude is None or longitude is None:
        if new_address == case.address:
            return None
        latitude, longitude = case.latitude, case.longitude
    if (latitude, longitude, new_address) == (case.latitude, case.longitude, case.address):
        return None
    return {"latitude": latitude, "longitude": longitude, "address": new_address}
