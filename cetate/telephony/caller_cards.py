"""What the city knows of a caller: their contact, earlier cases and calls (the 360° view)."""

from __future__ import annotations

from dataclasses import dataclass

from cetate.accounts.access import visible_cases
from cetate.accounts.models import User
from cetate.cases.models import Case
from cetate.contacts.models import Contact
from cetate.telephony.models import Call
from cetate.telephony.services import calls_of

EARLIER_SHOWN = 5


@dataclass(frozen=True)
class CallerCard:
    contact: Contact
    cases: list[Case]
    calls: list[Call]


def caller_card(user: User, contact: Contact, *, besides: Call | None = None) -> CallerCard:
    """The contact's latest cases that `user` may see and their latest calls but `besides`.

    The caller checks that `user` may see the contact, and records that they did.
    """
    cases = (
        visible_cases(user)
        .filter(reporter=contact)
        .select_related("category")
        .order_by("-registered_at")[:EARLIER_SHOWN]
    )
    calls = calls_of(contact)
    if besides is not None:
        calls = calls.exclude(pk=besides.pk)
    return CallerCard(contact, list(cases), list(calls[:EARLIER_SHOWN]))
