"""Registrations made by staff at the console: calls to the dispatch centre and walk-ins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from cetate.accounts.models import User
from cetate.cases.choices import Channel, Kind, Priority
from cetate.cases.models import Case
from cetate.cases.services import open_case
from cetate.cases.uploads import Upload
from cetate.contacts.models import Contact
from cetate.directory.models import Category
from cetate.intake.people import Person, contact_of
from cetate.telephony.services import link_case


class Caller(Person):
    """Who called or walked in, as the member of staff took it down."""


@transaction.atomic
def register_at_console(
    *,
    actor: User,
    channel: Channel,
    kind: Kind | str,
    description: str,
    caller: Caller,
    category: Category | None = None,
    title: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    priority: Priority | int = Priority.NORMAL,
    answers: Mapping[str, Any] | None = None,
    attachments: Sequence[Upload] = (),
    answer_on_spot: str | None = None,
    route_now: bool = False,
    call_id: int | None = None,
    known_contact: Contact | None = None,
    language: str = "ro",
    contests: Case | None = None,
) -> Case:
    """Register what a caller or visitor asks, with their contact and the call it came by.

    The contact, the case and the call's link are written together or not at all: a refused
    registration leaves no new contact behind and burns no number. `known_contact` is the
    contact the member of staff checked the caller is; without it the caller gets a contact of
    their own, whatever number or address they share with others.
    """
    reporter = contact_of(caller, language=language, verified=known_contact)
    case = open_case(
        kind=kind,
        channel=channel,
        actor=actor,
        description=description,
        category=category,
        reporter=reporter,
        answer_channel=caller.preferred_channel or None,
        latitude=latitude,
        longitude=longitude,
        address=address,
        title=title,
        priority=priority,
        answers=answers,
        attachments=attachments,
        language=language,
        answer_on_spot=answer_on_spot,
        auto_route=route_now,
        identity_checked=known_contact is not None,
        contests=contests,
    )
    if call_id is not None:
        link_case(call_id=call_id, case=case)
    return case
