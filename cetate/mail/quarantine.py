"""Messages held for a person to look at: what they say, and the two decisions on each.

A held message is registered as a case, through the same intake as the pipeline, once a
dispatcher has confirmed its sender's name and chosen its kind and, if they can, its category;
or it is discarded, with a reason, and its bytes as received are removed `DISCARDED_KEPT_DAYS`
days later by the daily retention job. Either decision is recorded on the message: who, when
and what.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage, Message
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cetate.accounts.access import access_quarantine
from cetate.accounts.models import User
from cetate.cases.choices import Kind
from cetate.cases.errors import DomainError
from cetate.cases.filestore import written_first
from cetate.cases.models import Case
from cetate.directory.models import Category
from cetate.intake.email import Sender, register_from_email
from cetate.lib import clock
from cetate.mail.models import InboundMessage, Outcome
from cetate.mail.reading import Unreadable, html_to_text, letter_of, parse, sender_of
from cetate.mail.retention import forget

logger = logging.getLogger(__name__)

DISCARDED_KEPT_DAYS = 30

# The headers a person needs to judge a message, in this order.
SHOWN_HEADERS = (
    "From",
    "Reply-To",
    "To",
    "Cc",
    "Date",
    "Subject",
    "Message-ID",
    "Authentication-Results",
)


class NotHeld(DomainError):
    """The message is no longer held: someone has decided on it already."""


@dataclass(frozen=True)
class HeldFile:
    name: str
    content_type: str
    size: int


@dataclass(frozen=True)
class HeldReading:
    """A held message as a person reads it: never its HTML, only text."""

    headers: list[tuple[str, str]]
    sender_name: str
    sender_address: str
    text: str
    files: list[HeldFile] = field(default_factory=list)
    unreadable: str = ""


def held_messages() -> QuerySet[InboundMessage]:
    """The messages held, newest first."""
    return InboundMessage.objects.filter(outcome=Outcome.QUARANTINED).order_by(
        "-received_at", "-pk"
    )


def read_held(message: InboundMessage) -> HeldReading:
    """What the message says, as far as it can be read."""
    try:
        with message.raw.open("rb") as raw:
            data = raw.read()
    except (FileNotFoundError, OSError):
        return HeldReading([], "", message.sender, "", unreadable=_("The message is not kept."))
    try:
        parsed = parse(data)
    except Exception:
        return HeldReading(
            [],
            "",
            message.sender,
            data.decode("utf-8", errors="replace"),
            unreadable=_("The message cannot be parsed."),
        )
    headers = [(name, _header(parsed, name)) for name in SHOWN_HEADERS]
    headers = [(name, value) for name, value in headers if value]
    try:
        letter = letter_of(parsed)
    except Unreadable as unreadable:
        return HeldReading(
            headers,
            sender_of(parsed)[0],
            message.sender,
            _best_text(parsed),
            files=_files(parsed),
            unreadable=str(unreadable),
        )
    except Exception as error:
        logger.warning("held message %s could not be read", message.pk, exc_info=True)
        return HeldReading(
            headers,
            sender_of(parsed)[0],
            message.sender,
            _best_text(parsed),
            files=_files(parsed),
            unreadable=type(error).__name__,
        )
    return HeldReading(
        headers,
        letter.sender_name,
        letter.sender_address,
        letter.text,
        files=_files(parsed),
    )


def _header(message: Message, name: str) -> str:
    try:
        values = message.get_all(name) or []
        return " ".join(" ".join(str(value).split()) for value in values)
    except Exception:
        return ""


def _best_text(message: EmailMessage) -> str:
    """The text parts of a message whose structure is broken, each as far as it decodes."""
    texts: list[str] = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        try:
            payload = part.get_payload(decode=True)
            charset = part.get_content_charset() or "utf-8"
            text = (
                payload.decode(charset, errors="replace")
                if isinstance(payload, bytes)
                else str(part.get_payload())
            )
        except (LookupError, ValueError):
            text = str(part.get_payload())
        if part.get_content_subtype() == "html":
            text = html_to_text(text)
        texts.append(text.strip())
    return "\n\n".join(text for text in texts if text)


def _files(message: EmailMessage) -> list[HeldFile]:
    files: list[HeldFile] = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() not in ("attachment", "inline"):
            continue
        if part.get_content_maintype() == "text" and not part.get_filename():
            continue
        payload = part.get_payload(decode=True)
        files.append(
            HeldFile(
                part.get_filename() or _("(unnamed)"),
                part.get_content_type(),
                len(payload) if isinstance(payload, bytes) else 0,
            )
        )
    return files


def _held_for_update(message_id: int) -> InboundMessage:
    message = InboundMessage.objects.select_for_update().get(pk=message_id)
    if message.outcome != Outcome.QUARANTINED:
        raise NotHeld(_("Someone has already decided on this message."))
    return message


def register_held(
    *,
    message_id: int,
    actor: User,
    name: str,
    email: str,
    kind: Kind | str = Kind.REQUEST,
    category: Category | None = None,
    answers: Mapping[str, Any] | None = None,
) -> Case:
    """Register a held message as a case with channel email, of the kind and category the
    dispatcher read in it; its sender gets the receipt. Who may petition is as for every case:
    a request, complaint, proposal or public-information request names its author."""
    access_quarantine(actor)
    name = " ".join(name.split())
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Enter the email address to answer to.")) from None
    message = InboundMessage.objects.get(pk=message_id)
    try:
        letter = letter_of(parse(_bytes_of(message)))
    except Exception:
        letter = None
    text = letter.text if letter else read_held(message).text
    # The files go to storage before the transaction; those refused are named by the intake.
    with (
        written_first(letter.attachments if letter else (), keep_refused=True) as files,
        transaction.atomic(),
    ):
        message = _held_for_update(message_id)
        case = register_from_email(
            sender=Sender(name=name, email=email),
            subject=letter.subject if letter else message.subject,
            text=text,
            shown=letter.shown if letter else "",
            attachments=files,
            kind=kind,
            category=category,
            answers=answers,
            message_id=message.message_id,
        )
        message.outcome = Outcome.CASE
        message.case = case
        message.decided_by = actor
        message.decided_at = clock.now()
        message.decision = _("Registered as case %(number)s.") % {"number": case.number}
        message.save(update_fields=["outcome", "case", "decided_by", "decided_at", "decision"])
    return case


def _bytes_of(message: InboundMessage) -> bytes:
    with message.raw.open("rb") as raw:
        data: bytes = raw.read()
    return data


def discard_held(*, message_id: int, actor: User, reason: str) -> InboundMessage:
    """Discard a held message, with the reason; its bytes go after DISCARDED_KEPT_DAYS."""
    access_quarantine(actor)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the message is discarded."))
    with transaction.atomic():
        message = _held_for_update(message_id)
        message.outcome = Outcome.DISCARDED
        message.decided_by = actor
        message.decided_at = clock.now()
        message.decision = reason
        message.save(update_fields=["outcome", "decided_by", "decided_at", "decision"])
    return message


def forget_discarded() -> int:
    """Remove the bytes of messages discarded more than DISCARDED_KEPT_DAYS ago, and their
    sender, subject and Message-ID; how many."""
    oldest = clock.now() - timedelta(days=DISCARDED_KEPT_DAYS)
    return forget(InboundMessage.objects.filter(outcome=Outcome.DISCARDED, decided_at__lt=oldest))
