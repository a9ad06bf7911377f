"""Cases of every kind, status and category setting, made through the case services."""

from __future__ import annotations

from typing import Any

from cetate.cases import services
from cetate.cases.choices import Kind
from cetate.cases.models import Case
from cetate.cases.workflow import Action, Status
from cetate.directory.models import Category, PublicLocation, PublicText
from cetate.test import GRANTED, City

# A category's publication settings, by name: (public, location, text, sensitive).
SETTINGS: dict[str, tuple[bool, str, str, bool]] = {
    "public, exact, description masked": (True, PublicLocation.EXACT, PublicText.MASKED, False),
    "public, rounded, no text": (True, PublicLocation.ROUNDED, PublicText.NONE, False),
    "public, rounded, summary": (True, PublicLocation.ROUNDED, PublicText.SUMMARY, False),
    "not public": (False, PublicLocation.EXACT, PublicText.MASKED, False),
    "sensitive": (False, PublicLocation.EXACT, PublicText.MASKED, True),
}

# The statuses each kind can reach, and how.
STATUSES = [
    Status.NEW,
    Status.IN_PROGRESS,
    Status.RESOLVED,
    Status.CLOSED,
    Status.REDIRECTED,
    Status.REJECTED,
    Status.CANCELLED,
    Status.MERGED,
]
INQUIRY_STATUSES = [Status.NEW, Status.CLOSED, Status.CANCELLED]


def configure(category: Category, setting: str) -> Category:
    public, location, text, sensitive = SETTINGS[setting]
    category.public_map = public
    category.public_location = location
    category.public_text = text
    category.sensitive = sensitive
    category.save()
    return category


def bring_to(city: City, case: Case, status: Status) -> Case:
    """Move `case` (new) to `status` as staff would."""
    pk = case.pk
    worked = case.kind != Kind.INQUIRY
    if worked and status in {Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED}:
        services.assign(case_id=pk, actor=city.dispatcher, department=city.technical)
        services.change_status(case_id=pk, actor=city.officer, action=Action.START)
    if worked and status in {Status.RESOLVED, Status.CLOSED}:
        services.change_status(
            case_id=pk,
            actor=city.officer,
            action=Action.RESOLVE,
            text="Răspuns pentru Ion.",
            decision=GRANTED,
        )
    if status == Status.CLOSED and not worked:
        services.change_status(
            case_id=pk, actor=city.dispatcher, action=Action.ANSWER_ON_SPOT, text="Răspuns."
        )
    elif status == Status.CLOSED:
        services.change_status(case_id=pk, actor=city.officer, action=Action.CLOSE)
    if status == Status.REDIRECTED:
        services.redirect(
            case_id=pk, actor=city.dispatcher, to=city.water_operator, reason="Nu e al nostru."
        )
    if status == Status.REJECTED:
        services.change_status(
            case_id=pk, actor=city.dispatcher, action=Action.REJECT, text="Inadmisibil."
        )
    if status == Status.CANCELLED:
        services.cancel_registration(case_id=pk, actor=city.dispatcher, reason="Greșeală.")
    if status == Status.MERGED:
        earlier = city.report(category=case.category, kind=case.kind, latitude=46.09)
        services.merge(
            case_id=pk, into_case_id=earlier.pk, actor=city.dispatcher, reason="Același."
        )
    case = Case.objects.select_related("category", "reporter").get(pk=pk)
    assert case.status == status
    return case


def combinations() -> list[tuple[str, str, str]]:
    """kind × status × category setting, for every status the kind can reach."""
    kinds = [Kind.REPORT, Kind.COMPLAINT, Kind.REQUEST, Kind.INQUIRY]
    return [
        (kind, status, setting)
        for kind in kinds
        for status in (INQUIRY_STATUSES if kind == Kind.INQUIRY else STATUSES)
        for setting in SETTINGS
    ]


def open_case_of(city: City, kind: str, **fields: Any) -> Case:
    return city.report(kind=kind, **fields)
