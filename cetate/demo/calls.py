"""The dispatch centre's recent calls: the calls the last month's phone cases came by, and a
few calls missed in the last hours, waiting for a call-back. Recorded through the call log's
own service, as the phone exchange would have reported them."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from cetate.accounts.models import User
from cetate.cases.choices import Channel
from cetate.cases.models import Case
from cetate.contacts.models import Contact
from cetate.telephony.models import Call
from cetate.telephony.services import link_case, record_cti_event

CITY_LINE = "0258819462"
CALL_HISTORY = timedelta(days=30)
MISSED_CALLS = 6


def add_demo_calls(rng: random.Random, *, now: datetime, dispatcher: User) -> int:
    """Record the calls; returns how many."""
    recent = Case.objects.filter(
        is_demo=True, channel=Channel.PHONE, registered_at__gte=now - CALL_HISTORY
    ).select_related("reporter")
    calls = 0
    for case in recent.order_by("registered_at"):
        number = case.reporter.phone if case.reporter and case.reporter.phone else _number(rng)
        rang = case.registered_at - timedelta(seconds=rng.randint(90, 300))
        call = _call(
            f"demo-{case.pk}",
            number,
            rang=rang,
            answered=rang + timedelta(seconds=rng.randint(4, 45)),
            ended=case.registered_at - timedelta(seconds=rng.randint(5, 60)),
            extension=dispatcher.phone_extension,
        )
        link_case(call_id=call.pk, case=case)
        calls += 1
    callers = list(Contact.objects.filter(is_demo=True).exclude(phone="").order_by("pk")[:50])
    for index in range(MISSED_CALLS):
        known = callers and rng.random() < 0.5
        number = rng.choice(callers).phone if known else _number(rng)
        rang = now - timedelta(minutes=rng.randint(10, 600))
        _call(
            f"demo-missed-{index}",
            number,
            rang=rang,
            answered=None,
            ended=rang + timedelta(seconds=rng.randint(20, 90)),
            extension="",
        )
        calls += 1
    return calls


def _call(
    call_id: str,
    number: str,
    *,
    rang: datetime,
    answered: datetime | None,
    ended: datetime,
    extension: str,
) -> Call:
    call = record_cti_event(
        event="newCall",
        call_id=call_id,
        from_number=number,
        to_number=CITY_LINE,
        direction="inbound",
        at=rang,
    )
    if answered is not None:
        record_cti_event(event="answer", call_id=call_id, extension=extension, at=answered)
    cause = "NORMAL_CLEARING" if answered is not None else "NO_ANSWER"
    record_cti_event(event="hangup", call_id=call_id, cause=cause, at=max(ended, rang))
    return call


def _number(rng: random.Random) -> str:
    return f"07{rng.randint(20, 89)}{rng.randint(0, 999999):06d}"
