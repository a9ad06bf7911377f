"""The internal due date of a case that comes back to work."""

from __future__ import annotations

from django.conf import settings

from cetate.cases.deadlines import CITY_TZ, internal_deadline
from cetate.cases.models import Case
from cetate.directory.lookup import work_calendar


def restore_internal_due(case: Case) -> None:
    """Give a reopened case its internal due date if it has none: cases that left work
    before the city kept that date were not given one (migration cases 0012). The caller
    saves the case."""
    if case.internal_due is not None or case.legal_due is None:
        return
    case.internal_due = internal_deadline(
        case.kind,
        case.registered_at.astimezone(CITY_TZ).date(),
        work_calendar(),
        rule=settings.INTERNAL_DUE_RULE,
        administrative_complaint=case.contests_id is not None,
        extended_days=case.legal_extended_days,
    )
