"""What a resident sees of their case: plain words, public events, no one's personal data.

No page shows another resident's case: a case merged into another points at it only because
both are the same petitioner's; a case linked to other residents' reports of the same problem
says only that it is handled together with them.

The resident's receipt and tracking page also show what they sent: the place and their own
photos (never a photo staff added), served only to whoever holds the tracking code. While the
processing of the resident's data is restricted (GDPR art. 18), and once the case is
anonymised, they show neither. The public sees a case only as `cases/publication/` decides.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from cetate.cases.choices import PUBLIC_EVENT_KINDS
from cetate.cases.models import Attachment, Case, Event, linked_cases
from cetate.cases.petitioners import same_petitioner
from cetate.cases.publication import PLAIN_STATUS
from cetate.cases.workflow import Status

__all__ = [
    "PLAIN_STATUS",
    "case_by_code",
    "own_photo",
    "public_view",
    "tracked_case",
    "tracking_code",
    "what_was_sent",
]

# How close the small map of the place starts (a street and its neighbours).
PLACE_ZOOM = 17

# Codes are letters and digits (cetate/cases/services/intake.py); older ones were as long as
# the field allows.
_CODE_FORM = re.compile(r"[0-9A-Z]{1,12}", re.ASCII)


def tracking_code(text: str) -> str | None:
    """The tracking code a resident typed, as the register holds it (capitals, spaces and
    hyphens dropped), or None when the text cannot be one."""
    code = "".join(text.replace("-", " ").split()).upper()
    return code if _CODE_FORM.fullmatch(code) else None


def case_by_code(code: str) -> Case | None:
    """The case with this tracking code, or None: an unknown code and text that is no code
    alike."""
    normal = tracking_code(code)
    if normal is None:
        return None
    return (
        Case.objects.select_related("category__parent", "redirected_to", "merged_into", "reporter")
        .filter(tracking_code=normal)
        .first()
    )


def tracked_case(code: str) -> dict[str, object] | None:
    """What the resident holding tracking code `code` may see, or None for an unknown code."""
    case = case_by_code(code)
    return None if case is None else public_view(case)


def public_view(case: Case) -> dict[str, object]:
    events: list[Event] = list(
        case.events.filter(public=True, kind__in=PUBLIC_EVENT_KINDS).order_by("seq")
    )
    return {
        "case": case,
        "plain_status": PLAIN_STATUS[Status(case.status)],
        "events": events,
        "merged_into": _merged_into(case),
        "handled_together": linked_cases(case).exists(),
        **what_was_sent(case),
    }


def what_was_sent(case: Case) -> dict[str, Any]:
    """The place and the photos the resident sent, for their receipt and tracking page."""
    if not _shown_to_resident(case):
        return {"place": None, "photos": []}
    return {"place": _place(case), "photos": list(_own_photos(case))}


def own_photo(code: str, attachment_id: int) -> Attachment | None:
    """A photo the resident holding tracking code `code` sent with their case, or None."""
    case = case_by_code(code)
    if case is None or not _shown_to_resident(case):
        return None
    return _own_photos(case).filter(pk=attachment_id).first()


def _shown_to_resident(case: Case) -> bool:
    reporter = case.reporter
    return case.anonymised_at is None and (reporter is None or not reporter.is_restricted)


def _own_photos(case: Case) -> QuerySet[Attachment]:
    # What the resident sent came through a channel without a member of staff: the portal,
    # mail, Open311. Staff's attachments (their working documents among them) are not shown.
    return case.attachments.filter(
        uploaded_by__isnull=True, content_type__startswith="image/"
    ).order_by("created_at", "pk")


def _place(case: Case) -> dict[str, Any] | None:
    located = case.latitude is not None and case.longitude is not None
    if not located and not case.address:
        return None
    place: dict[str, Any] = {"address": case.address, "map": None, "coordinates": ""}
    if located:
        place["coordinates"] = f"{case.latitude:.5f}, {case.longitude:.5f}"
    if located and settings.MAP_TILE_URL:
        # Without tiles a map of one point would show nothing the words do not.
        place["map"] = {
            "tile_url": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "centre": [case.latitude, case.longitude],
            "zoom": PLACE_ZOOM,
        }
    return place


def _merged_into(case: Case) -> Case | None:
    """The case to follow instead, when it is the same petitioner's own."""
    target = case.merged_into if case.status == Status.MERGED else None
    if target is None or not same_petitioner(case, target):
        return None
    return target
