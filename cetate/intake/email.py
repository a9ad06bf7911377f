"""Registrations from letters residents send to the city's mailbox.

A letter by email is a petition (OG 27/2002): its author's name and the address it came from
are the name and the address to answer to. A letter without a name is refused here, as the
rules of who may petition refuse it, and the mail channel holds it for a person to look at.
The address a message comes from proves nothing of who wrote it: the sender gets a contact of
their own, never someone else's known record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cetate.cases.choices import Channel, Kind
from cetate.cases.filestore import checked
from cetate.cases.models import Case
from cetate.cases.services import open_case
from cetate.cases.services.intake import DESCRIPTION_LIMIT, check_author
from cetate.cases.uploads import FILES_PER_SUBMISSION, CleanFile, RejectedUpload, Upload
from cetate.contacts.models import AnswerChannel
from cetate.directory.models import Category
from cetate.intake.people import Person, contact_of


class Sender(Person):
    """Who a letter is from, as its From header names them."""


def register_from_email(
    *,
    sender: Sender,
    subject: str,
    text: str,
    shown: str = "",
    attachments: Sequence[Upload | CleanFile] = (),
    language: str = "ro",
    kind: Kind | str = Kind.REQUEST,
    category: Category | None = None,
    answers: Mapping[str, Any] | None = None,
) -> Case:
    """Register a letter by email: its subject and text as the description, its files checked
    as the portal checks them. A letter is a request until someone reads it: the pipeline
    leaves `kind`, `category` and its questions' `answers` to triage, a dispatcher who
    registers a held letter may give them.

    `shown` is the text without what it quotes and its signature, put first; files that are
    refused (not a photo or PDF, too large, too many) are named next with the reason, and the
    rest is registered all the same; the whole `text` follows when it says more.
    """
    accepted, refused = _checked(attachments)
    description = _description(subject=subject, text=text, shown=shown, refused=refused)
    return _register(
        sender=sender,
        description=description,
        attachments=accepted,
        language=language,
        kind=Kind(kind),
        category=category,
        answers=answers,
    )


@transaction.atomic
def _register(
    *,
    sender: Sender,
    description: str,
    attachments: Sequence[Upload | CleanFile],
    language: str,
    kind: Kind,
    category: Category | None,
    answers: Mapping[str, Any] | None,
) -> Case:
    sender = Sender(
        name=sender.name,
        email=sender.email,
        kind=sender.kind,
        preferred_channel=sender.preferred_channel or AnswerChannel.EMAIL,
    )
    check_author(kind, category, sender.author)
    reporter = contact_of(sender, language=language)
    return open_case(
        kind=kind,
        category=category,
        answers=answers,
        channel=Channel.EMAIL,
        actor=None,
        description=description,
        reporter=reporter,
        answer_channel=AnswerChannel.EMAIL,
        attachments=attachments,
        language=language,
    )


def _checked(
    attachments: Sequence[Upload | CleanFile],
) -> tuple[list[Upload | CleanFile], list[str]]:
    accepted: list[Upload | CleanFile] = []
    refused: list[str] = []
    for upload in attachments:
        if len(accepted) >= FILES_PER_SUBMISSION:
            refused.append(
                ngettext(
                    "“%(name)s”: at most %(n)d file is kept with a case.",
                    "“%(name)s”: at most %(n)d files are kept with a case.",
                    FILES_PER_SUBMISSION,
                )
                % {"name": upload.name, "n": FILES_PER_SUBMISSION}
            )
            continue
        try:
            checked(upload)
        except RejectedUpload as refusal:
            refused.append(str(refusal))
        else:
            accepted.append(upload)
    return accepted, refused


def _description(*, subject: str, text: str, shown: str, refused: list[str]) -> str:
    shown = shown.strip() or text.strip()
    parts = [subject.strip(), shown]
    if refused:
        parts.append(
            _("Files of the message not kept with the case:")
            + "\n"
            + "\n".join(f"- {reason}" for reason in refused)
        )
    if text.strip() and text.strip() != shown:
        parts.append(_("The whole message:") + "\n" + text.strip())
    description = "\n\n".join(part for part in parts if part)
    if len(description) > DESCRIPTION_LIMIT:
        cut = _("[…] The rest is in the message as received, kept with the case.")
        description = description[: DESCRIPTION_LIMIT - len(cut) - 2].rstrip() + "\n\n" + cut
    return description
