"""One way in for every message that reaches the city's mailbox, however it is delivered.

`receive` first stores the message's bytes and its row, in a short transaction of their own:
once it returns, the message is never lost, whatever happens next. A message already stored
(the same bytes, or the same Message-ID from the same sender) is a `duplicate`, stored once.
Then it decides, and records on the row, what the message is: an automatic message (a delivery
report, an abuse feedback report, an out-of-office or list mail), never answered; a message
from a sender caught in a mail loop, or from the city's own address, never answered; one too
large or unreadable, held for a person to look at (`quarantined`), as is one that looks like
spam (cetate/mail/spam.py); a reply to Cetate's mail about a case (cetate/mail/replies.py),
added to that case and never answered (`reply`), or a new case linked to it when that case
takes no more replies; otherwise a new case, whose receipt goes to the sender.
Anything unexpected after storing holds the message in quarantine, with the error's name.

Whoever decides a message holds it for MAIL_DECIDING_SECONDS (`deciding_until`), from the
moment it is stored; its outcome is recorded once, by the first to decide it. A message whose
handling was cut short (the process stopped between storing and deciding) is decided, from
its bytes in storage, by the worker's sweep (`decide_undecided`) once that time has passed, or
at once by a new delivery of it arriving after that time, which the sender's server makes when
it got no answer.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from flufl.bounce import scan_message

from cetate.cases.errors import DomainError
from cetate.cases.filestore import written_first
from cetate.cases.models import Case
from cetate.cases.services import FINISHED, link_cases, record_reply, reply_opens_new_case
from cetate.contacts.failing import mark_working
from cetate.intake.email import Sender, register_from_email
from cetate.lib import clock
from cetate.mail.bounces import handle_bounce
from cetate.mail.models import InboundMessage, Outcome, Source
from cetate.mail.reading import Headline, Letter, Unreadable, headline, letter_of, parse
from cetate.mail.replies import Reply, reply_of
from cetate.mail.spam import spam_score

logger = logging.getLogger(__name__)

# Precedence values of mail sent to many or by machines (RFC 2076; RFC 3834 section 3.1.8).
AUTOMATIC_PRECEDENCE = frozenset({"bulk", "junk", "list"})


class NotStored(Exception):
    """The message could not be stored: the sender's mail server is to keep it and retry."""


@dataclass(frozen=True)
class Received:
    """What became of a message: its outcome, the case it opened (or, for a duplicate, the
    case its first delivery opened) and its Message-ID."""

    outcome: Outcome
    case: str | None
    message_id: str


class AlreadyDecided(Exception):
    """Someone else recorded the message's outcome first: what this decision did is undone."""


@dataclass(frozen=True)
class _Undecided:
    """An earlier delivery of the message, stored but left undecided, now claimed."""

    row: InboundMessage


def receive(raw: bytes, *, source: Source | str) -> Received:
    """Store the message, then decide what it is; NotStored if it could not be stored."""
    stored = _store(raw, Source(source))
    if isinstance(stored, Received):
        return stored
    if isinstance(stored, _Undecided):
        return _decide_stored(stored.row)
    return _decide_or_hold(stored, raw)


def decide_undecided(*, limit: int = 20) -> int:
    """Decide the messages stored but left undecided past MAIL_DECIDING_SECONDS, oldest
    first, each from its bytes in storage; how many this call decided. Any number of workers
    may run it: each message is claimed by one of them."""
    waiting = (
        InboundMessage.objects.filter(_claimable())
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    decided = 0
    for message_id in list(waiting):
        row = _claim(message_id)
        if row is not None:
            _decide_stored(row)
            decided += 1
    return decided


def _lease_end() -> datetime:
    return clock.now() + timedelta(seconds=settings.MAIL_DECIDING_SECONDS)


def _claimable() -> Q:
    return Q(outcome="") & (Q(deciding_until__isnull=True) | Q(deciding_until__lt=clock.now()))


def _claim(message_id: int) -> InboundMessage | None:
    """The message, now held by the caller, if it is undecided and no one holds it."""
    claimed = InboundMessage.objects.filter(_claimable(), pk=message_id).update(
        deciding_until=_lease_end()
    )
    return InboundMessage.objects.get(pk=message_id) if claimed else None


def _decide_stored(row: InboundMessage) -> Received:
    """Decide a claimed message from its bytes as stored."""
    try:
        with row.raw.open("rb") as stored:
            raw = stored.read()
    except Exception:
        logger.exception("incoming message %s could not be read from storage", row.pk)
        return _record_or_hold(row, _("The message as received cannot be read from storage."))
    return _decide_or_hold(row, raw)


def _decide_or_hold(row: InboundMessage, raw: bytes) -> Received:
    try:
        return _decide(row, raw)
    except AlreadyDecided:
        return _as_decided(row)
    except Exception as error:
        logger.exception("incoming message %s could not be handled", row.pk)
        return _record_or_hold(row, type(error).__name__)


def _record_or_hold(row: InboundMessage, reason: str) -> Received:
    try:
        return _record(row, Outcome.QUARANTINED, reason=reason)
    except AlreadyDecided:
        return _as_decided(row)
    except Exception:
        logger.exception("incoming message %s: its outcome could not be recorded", row.pk)
        return Received(Outcome.QUARANTINED, None, row.message_id)


def _as_decided(row: InboundMessage) -> Received:
    decided = InboundMessage.objects.select_related("case").get(pk=row.pk)
    return Received(
        Outcome(decided.outcome),
        decided.case.number if decided.case is not None else None,
        decided.message_id,
    )


def _store(raw: bytes, source: Source) -> InboundMessage | Received | _Undecided:
    digest = hashlib.sha256(raw).hexdigest()
    head = _headline(raw)
    try:
        earlier = _earlier(digest, head)
        if earlier is not None:
            return _delivered_before(earlier, head)
        now = clock.now()
        name = f"mail/inbound/{now:%Y/%m}/{digest}.eml"
        # The file first, outside any transaction: the storage may be across the network.
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(raw))
        with transaction.atomic():
            return InboundMessage.objects.create(
                raw=name,
                sha256=digest,
                size=len(raw),
                message_id=head.message_id,
                sender=head.sender,
                subject=head.subject,
                received_at=now,
                source=source,
                # Held by this delivery while it decides: the sweep leaves it alone.
                deciding_until=_lease_end(),
            )
    except IntegrityError:
        # Another delivery of the same bytes was stored first.
        earlier = _earlier(digest, head)
        if earlier is not None:
            return _delivered_before(earlier, head)
        raise NotStored("the message's row could not be written") from None
    except Exception as error:
        raise NotStored(f"{type(error).__name__}: {error}") from error


def _headline(raw: bytes) -> Headline:
    try:
        return headline(BytesParser(policy=policy.default).parsebytes(raw, headersonly=True))
    except Exception:
        return Headline()


def _earlier(digest: str, head: Headline) -> InboundMessage | None:
    # Asked of every message: the case (many columns) is read only for a duplicate.
    earlier = InboundMessage.objects.filter(sha256=digest).first()
    if earlier is None and head.message_id and head.sender:
        earlier = InboundMessage.objects.filter(
            message_id=head.message_id, sender=head.sender
        ).first()
    return earlier


def _delivered_before(earlier: InboundMessage, head: Headline) -> Received | _Undecided:
    """A duplicate; or, when the earlier delivery was left undecided past its time, that
    delivery, to be decided now rather than answered as already received."""
    if not earlier.outcome:
        claimed = _claim(earlier.pk)
        if claimed is not None:
            return _Undecided(claimed)
    return _duplicate(earlier, head)


def _duplicate(earlier: InboundMessage, head: Headline) -> Received:
    return Received(
        Outcome.DUPLICATE,
        earlier.case.number if earlier.case is not None else None,
        head.message_id or earlier.message_id,
    )


def _decide(row: InboundMessage, raw: bytes) -> Received:
    if row.size > settings.MAIL_MAX_BYTES:
        return _record(
            row,
            Outcome.QUARANTINED,
            reason=_("The message is %(size)s; messages may be at most %(limit)s.")
            % {
                "size": filesizeformat(row.size),
                "limit": filesizeformat(settings.MAIL_MAX_BYTES),
            },
        )
    message = parse(raw)
    automatic = automatic_kind(message)
    if automatic is not None and automatic[0] == Outcome.BOUNCE:
        return _bounce(row, message, automatic[1])
    if automatic is not None:
        return _record(row, automatic[0], reason=automatic[1])
    spam = spam_score(row, message)
    if spam.held:
        return _record(row, Outcome.QUARANTINED, reason=spam.reason)
    if row.sender and row.sender == _own_address():
        return _record(
            row, Outcome.LOOP, reason=_("The message comes from the city's own address.")
        )
    if row.sender and _in_a_loop(row.sender):
        return _record(
            row,
            Outcome.LOOP,
            reason=ngettext(
                "The sender opened %(n)d case in the last hour; no more are opened.",
                "The sender opened %(n)d cases in the last hour; no more are opened.",
                settings.MAIL_LOOP_LIMIT,
            )
            % {"n": settings.MAIL_LOOP_LIMIT},
        )
    try:
        letter = letter_of(message)
    except Unreadable as unreadable:
        return _record(row, Outcome.QUARANTINED, reason=str(unreadable))
    # The letter's files go to storage before a case's transaction opens; a refused one is
    # named by the case service.
    with written_first(letter.attachments, keep_refused=True) as files:
        letter = replace(letter, attachments=files)
        replied = reply_of(message, row.sender)
        if replied is not None:
            if not reply_opens_new_case(replied.case, replied.author):
                return _reply(row, replied, letter)
            return _new_case_for_reply(row, replied.case, letter)
        return _opening(row, Outcome.CASE, lambda: _register(letter, row.message_id))


def _bounce(row: InboundMessage, message: EmailMessage, recognised: str) -> Received:
    """A delivery report: what it means for the case whose mail bounced (cetate/mail/bounces.py)
    is done with the outcome, in one transaction."""
    with transaction.atomic():
        handled = handle_bounce(message, recognised=recognised)
        case = handled.case
        return _record(
            row,
            Outcome.BOUNCE,
            reason=handled.reason,
            case_id=case.pk if case else None,
            number=case.number if case else None,
        )


def _reply(row: InboundMessage, reply: Reply, letter: Letter) -> Received:
    """The reply joins its case as who wrote it; nothing is mailed back."""
    return _opening(
        row,
        Outcome.REPLY,
        lambda: record_reply(
            case_id=reply.case.pk,
            author=reply.author,
            organisation=reply.organisation,
            sender=letter.sender_address,
            subject=letter.subject,
            text=letter.text,
            shown=letter.shown,
            attachments=letter.attachments,
        ),
    )


def _new_case_for_reply(row: InboundMessage, replied: Case, letter: Letter) -> Received:
    """A reply about a case that takes no more replies: a new case, linked to it."""

    def register_and_link() -> Case:
        case = _register(letter, row.message_id)
        if replied.status in FINISHED:
            link_cases(
                case_id=case.pk,
                other_case_id=replied.pk,
                actor=None,
                reason=_("A reply by email about case %(number)s.") % {"number": replied.number},
            )
        return case

    reason = _("A reply about case %(number)s.") % {"number": replied.number}
    return _opening(row, Outcome.CASE, register_and_link, reason=reason)


def _register(letter: Letter, message_id: str) -> Case:
    return register_from_email(
        message_id=message_id,
        sender=Sender(name=letter.sender_name, email=letter.sender_address),
        subject=letter.subject,
        text=letter.text,
        shown=letter.shown,
        attachments=letter.attachments,
    )


def _opening(
    row: InboundMessage, outcome: Outcome, act: Callable[[], Case], *, reason: str = ""
) -> Received:
    """Do what the message asks of a case and record the outcome, in one transaction; a
    refusal (the petition rule, a case that takes no reply) holds the message with it."""
    try:
        with transaction.atomic():
            case = act()
            # Mail came from the address: it works, whatever bounced before.
            mark_working(row.sender)
            return _record(row, outcome, reason=reason, case_id=case.pk, number=case.number)
    except DomainError as refusal:
        return _record(row, Outcome.QUARANTINED, reason=str(refusal))


def automatic_kind(message: EmailMessage) -> tuple[Outcome, str] | None:
    """(outcome, reason) for a message no person wrote to the city, or None."""
    if message.get_content_type() == "multipart/report":
        report_type = str(message.get_param("report-type", "") or "").lower()
        if report_type == "feedback-report":
            return Outcome.FEEDBACK_REPORT, _("Abuse feedback report (RFC 5965).")
        if report_type == "delivery-status":
            return Outcome.BOUNCE, _("Delivery status report (RFC 3464).")
    if _bounced_addresses(message):
        return Outcome.BOUNCE, _("Delivery failure report.")
    auto_submitted = str(message.get("Auto-Submitted", "") or "").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return Outcome.AUTO_REPLY, _("Sent automatically (Auto-Submitted: %(value)s).") % {
            "value": auto_submitted
        }
    for name in ("X-Autoreply", "X-Autorespond"):
        if message.get(name) is not None:
            return Outcome.AUTO_REPLY, _("Sent automatically (%(header)s).") % {"header": name}
    precedence = str(message.get("Precedence", "") or "").strip().lower()
    if precedence in AUTOMATIC_PRECEDENCE:
        return Outcome.AUTO_REPLY, _("Sent to many (Precedence: %(value)s).") % {
            "value": precedence
        }
    if message.get("List-Id") is not None:
        return Outcome.AUTO_REPLY, _("Sent by a mailing list (List-Id).")
    if message.get_content_type() == "multipart/report":
        return Outcome.AUTO_REPLY, _("An automatic report.")
    return None


def _bounced_addresses(message: EmailMessage) -> frozenset[bytes]:
    """The addresses a non-standard bounce says failed; a detector's error is no bounce.

    The detectors read the message as the classic `email.message.Message` they were written
    for: on a message of `policy.default`, which parses a header at each reading, their many
    readings take ten times as long."""
    try:
        return scan_message(message_from_bytes(message.as_bytes(policy=policy.compat32)))
    except Exception:
        logger.warning("the bounce detector failed on a message", exc_info=True)
        return frozenset()


def _own_address() -> str:
    """The address Cetate's own mail comes from: mail from it is Cetate's, come back."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].strip().lower()


def _in_a_loop(sender: str) -> bool:
    since = clock.now() - timedelta(hours=1)
    opened = InboundMessage.objects.filter(
        sender=sender, outcome=Outcome.CASE, received_at__gte=since
    ).count()
    return opened >= settings.MAIL_LOOP_LIMIT


def _record(
    row: InboundMessage,
    outcome: Outcome,
    *,
    reason: str = "",
    case_id: int | None = None,
    number: str | None = None,
) -> Received:
    # Only the first outcome counts: inside a case's transaction, AlreadyDecided undoes it.
    recorded = InboundMessage.objects.filter(pk=row.pk, outcome="").update(
        outcome=outcome, reason=reason, case_id=case_id, deciding_until=None
    )
    if not recorded:
        raise AlreadyDecided(row.pk)
    return Received(outcome, number, row.message_id)
