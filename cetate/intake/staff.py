"""Registrations made by staff at the console: calls to the dispatch centre and walk-ins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from cetate.accounts.models import User
from cetate.cases.choices import Channel, Kind, Priority
from cetate.cases.models import Case
from cetate.cases.services import open_case
from cetate.cases.services.intake import RegisterDetails, check_author
from cetate.cases.uploads import CleanFile, Upload
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
    attachments: Sequence[Upload | CleanFile] = (),
    answer_on_spot: str | None = None,
    route_now: bool = False,
    call_id: int | None = None,
    known_contact: Contact | None = None,
    language: str = "ro",
    contests: Case | None = None,
    details: RegisterDetails | None = None,
    file_unidentified: bool = False,
) -> Case:
    """Register what a caller or visitor asks, with their contact and the call it came by.

    The contact, the case and the call's link are written together or not at all: a refused
    registration leaves no new contact behind and burns no number. `known_contact` is the
    contact the member of staff checked the caller is; without it the caller gets a contact of
    their own, whatever number or address they share with others. `details` are the register's
    details of a document on paper; `file_unidentified` registers an anonymous or
    unidentifiable petition on paper and files it at once (OG 27/2002 art. 7). The files are
    best written to storage before (`cetate.cases.filestore.written_first`).
    """
    details = details or RegisterDetails()
    if known_contact is None and not file_unidentified:
        check_author(kind, category, caller.author)
    reporter = contact_of(
        caller, language=language, verified=known_contact, filing=file_unidentified
    )
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
        sender_reference=details.sender_reference,
        sender_reference_date=details.sender_reference_date,
        pages=details.pages,
        annexes=details.annexes,
        file_unidentified=file_unidentified,
    )
    if call_id is not None:
        link_case(call_id=call_id, case=case)
    return case
