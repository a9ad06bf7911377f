"""Who a case is from: changed only when staff checked that two contacts are one person."""

from __future__ import annotations

from django.db import transaction

from cetate.accounts.models import User
from cetate.cases.choices import EventKind
from cetate.cases.models import Case
from cetate.cases.services._core import append_event, authorise, locked_case
from cetate.cases.workflow import Permission


@transaction.atomic
def move_cases_to_contact(*, from_contact_id: int, to_contact_id: int, actor: User) -> int:
    """Every case of one contact now names another, each with an event saying who joined them.

    The caller has checked, on a call or at the desk, that both contacts are the same person.
    Returns how many cases moved.
    """
    case_ids = list(
        Case.objects.filter(reporter_id=from_contact_id).order_by("pk").values_list("pk", flat=True)
    )
    for case_id in case_ids:
        case = locked_case(case_id)
        authorise(actor, case, Permission.MERGE_CONTACTS)
        case.reporter_id = to_contact_id
        append_event(
            case,
            EventKind.CONTACT_MERGED,
            actor=actor,
            data={"from_contact": from_contact_id, "to_contact": to_contact_id},
        )
        case.save()
    return len(case_ids)
