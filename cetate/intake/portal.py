"""Registrations residents make themselves on the web portal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from cetate.cases.choices import Channel, Kind
from cetate.cases.models import Case
from cetate.cases.services import open_case
from cetate.cases.uploads import Upload
from cetate.contacts.models import AnswerChannel, Contact
from cetate.contacts.services import complete_contact, create_contact, find_contacts
from cetate.directory.models import Category


@dataclass(frozen=True)
class Resident:
    """Who reports, as they wrote it on the form; all empty for an anonymous report."""

    name: str = ""
    email: str = ""
    phone: str = ""
    postal_address: str = ""
    preferred_channel: AnswerChannel | str = ""

    @property
    def is_anonymous(self) -> bool:
        return not (self.email.strip() or self.phone.strip() or self.postal_address.strip())


@transaction.atomic
def register_from_portal(
    *,
    kind: Kind | str,
    description: str,
    resident: Resident,
    category: Category | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    answers: Mapping[str, Any] | None = None,
    attachments: Sequence[Upload] = (),
    language: str = "ro",
) -> Case:
    """Register what a resident sends from the portal, with their contact.

    The contact and the case are written together or not at all: a refused submission leaves
    no contact behind and burns no number. A resident known by their email or phone keeps
    their contact; what they type only fills in what the city does not hold yet.
    """
    reporter = None if resident.is_anonymous else _contact_of(resident, language=language)
    return open_case(
        kind=kind,
        channel=Channel.PORTAL,
        actor=None,
        description=description,
        category=category,
        reporter=reporter,
        answer_channel=resident.preferred_channel or None,
        latitude=latitude,
        longitude=longitude,
        address=address,
        answers=answers,
        attachments=attachments,
        language=language,
    )


def _contact_of(resident: Resident, *, language: str) -> Contact:
    known = find_contacts(phone=resident.phone, email=resident.email)
    if known:
        return complete_contact(
            known[0],
            name=resident.name,
            phone=resident.phone,
            email=resident.email,
            postal_address=resident.postal_address,
        )
    return create_contact(
        name=resident.name,
        phone=resident.phone,
        email=resident.email,
        postal_address=resident.postal_address,
        preferred_channel=resident.preferred_channel or None,
        language=language,
    )
