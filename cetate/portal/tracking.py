"""What a resident sees of their case: plain words, public events, no one's personal data.

No page shows another resident's case: a case merged into another points at it only because
both are the same petitioner's; a case linked to other residents' reports of the same problem
says only that it is handled together with them.
"""

from __future__ import annotations

import re

from cetate.cases.choices import PUBLIC_EVENT_KINDS
from cetate.cases.models import Case, Event, linked_cases
from cetate.cases.petitioners import same_petitioner
from cetate.cases.publication import PLAIN_STATUS
from cetate.cases.workflow import Status

__all__ = ["PLAIN_STATUS", "case_by_code", "public_view", "tracked_case", "tracking_code"]

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
        Case.objects.select_related("category__parent", "redirected_to", "merged_into")
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
    }


def _merged_into(case: Case) -> Case | None:
    """The case to follow instead, when it is the same petitioner's own."""
    target = case.merged_into if case.status == Status.MERGED else None
    if target is None or not same_petitioner(case, target):
        return None
    return target
