"""Registrations residents make themselves on the web portal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from cetate.cases.choices import Channel, Kind
from cetate.cases.models import Case
from cetate.cases.services import open_case
from cetate.cases.services.intake import check_author
from cetate.cases.uploads import CleanFile, Upload
from cetate.contacts.models import Contact
from cetate.directory.models import Category
from cetate.intake.people import Person, contact_of


class Resident(Person):
    """Who reports, as they wrote it on the form; all empty for an anonymous report."""


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
    attachments: Sequence[Upload | CleanFile] = (),
    language: str = "ro",
    proven_contact: Contact | None = None,
) -> Case:
    """Register what a resident sends from the portal, with their contact.

    The contact and the case are written together or not at all: a refused submission leaves
    no contact behind and burns no number. `proven_contact` is the contact of the resident's
    signed-in session, when the report gives the email address they signed in with: the case
    joins it, and what they type only fills in what it lacks. Any other report gets a contact
    of its own, whatever address or number it shares with a known resident. The files are
    best written to storage before (`cetate.cases.filestore.written_first`).
    """
    if proven_contact is None:
        check_author(kind, category, resident.author)
    reporter = contact_of(resident, language=language, verified=proven_contact)
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
