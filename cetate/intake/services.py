"""Requests for a service of the catalogue, sent online from its page on the portal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cetate.cases.choices import Channel, Kind
from cetate.cases.models import Case
from cetate.cases.services import open_case
from cetate.cases.services.intake import InvalidCase, check_author
from cetate.cases.uploads import CleanFile, Upload
from cetate.contacts.models import Contact
from cetate.intake.people import Person, contact_of
from cetate.knowledge.models import Article


@transaction.atomic
def request_service(
    *,
    service: Article,
    petitioner: Person,
    description: str = "",
    answers: Mapping[str, Any] | None = None,
    attachments: Sequence[Upload | CleanFile] = (),
    language: str = "ro",
    proven_contact: Contact | None = None,
) -> Case:
    """Register a resident's request for `service`, a published article that can be requested
    online: a request (OG 27/2002) with the answers to its fields and its documents, handed at
    once to the article's department, due within the article's legal term.

    The petitioner must be identified (a name and an address to answer to) unless the request
    comes from their signed-in session (`proven_contact`); a refusal writes nothing and burns
    no number. The files are best written to storage before
    (`cetate.cases.filestore.written_first`), each named after the document it was sent as
    (`cetate.cases.receipt.service_document_name`).
    """
    if not (service.online and service.is_published):
        raise InvalidCase(_("This service cannot be requested online."))
    if proven_contact is None:
        check_author(Kind.REQUEST, None, petitioner.author)
    reporter = contact_of(petitioner, language=language, verified=proven_contact)
    title = service.published.label if service.published else service.code
    return open_case(
        kind=Kind.REQUEST,
        channel=Channel.PORTAL,
        actor=None,
        title=title,
        description=description.strip() or title,
        reporter=reporter,
        answer_channel=petitioner.preferred_channel or None,
        answers=answers,
        attachments=attachments,
        language=language,
        service=service,
    )
