"""What a resident sees of their case: plain words, public events, no one's personal data."""

from __future__ import annotations

from cetate.cases.choices import PUBLIC_EVENT_KINDS
from cetate.cases.models import Case, Event
from cetate.cases.publication import PLAIN_STATUS
from cetate.cases.workflow import Status

__all__ = ["PLAIN_STATUS", "public_view", "tracked_case"]


def tracked_case(code: str) -> dict[str, object] | None:
    """What the resident holding tracking code `code` may see, or None for an unknown code."""
    case = (
        Case.objects.select_related("category__parent", "redirected_to", "merged_into")
        .filter(tracking_code=code.strip().upper())
        .first()
    )
    return None if case is None else public_view(case)


def public_view(case: Case) -> dict[str, object]:
    events: list[Event] = list(
        case.events.filter(public=True, kind__in=PUBLIC_EVENT_KINDS).order_by("seq")
    )
    return {
        "case": case,
        "plain_status": PLAIN_STATUS[Status(case.status)],
        "events": events,
        "merged_into": case.merged_into if case.status == Status.MERGED else None,
    }
