"""One attempt at an owed mail: claim it, send it, record what happened.

No transaction is open and no row is locked while the mail server is being talked to (up to
EMAIL_TIMEOUT per exchange). The claim marks the mail as being sent until its lease ends, so a
second worker leaves it alone meanwhile; a worker that died mid-send leaves a claim that
expires, and the mail is taken again. The result is recorded in a transaction of its own,
together with what the sending means for the case (e.g. its `notification_sent` event).

A mail server that accepted a message from a worker that then died before recording it gets
the message again after the lease: the same Message-ID lets the mailbox show it once.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from cetate.outbox.kinds import Withheld, kind_of
from cetate.outbox.models import OutgoingMail

logger = logging.getLogger(__name__)

BACKOFF_CAP_MINUTES = 60
PERMANENT_SMTP_CODES = range(500, 600)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes, at most
    an hour."""
    return timedelta(minutes=min(2 ** (max(attempts, 1) - 1), BACKOFF_CAP_MINUTES))


@dataclass(frozen=True)
class Claim:
    mail_id: int
    until: datetime


@dataclass(frozen=True)
class Failure:
    reason: str
    # The server refused the message for good (a 5xx answer): trying again changes nothing.
    permanent: bool


def send(mail_id: int) -> str | None:
    """Send the mail if it is due and nobody is sending it; its status afterwards, or None
    when there was nothing to do."""
    claim = _claim(mail_id)
    if claim is None:
        return None
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        message = kind_of(mail.purpose).compose(mail)
        if message is not None:
            message.send()
    except Withheld as withheld:
        return _record_withheld(claim, str(withheld))
    except Exception as error:  # any failure is an attempt; the next one may succeed
        return _record_failure(claim, _failure(error))
    if message is None:
        return _record_dropped(claim)
    try:
        return _record_sent(claim, message)
    except DatabaseError:
        raise  # the database is away: the claim lapses and the mail is sent again
    except Exception:
        # Sent, but what it means for the case could not be recorded: never send it again.
        logger.exception("mail %s was sent; recording it failed", mail_id)
        OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMail.Status.PENDING).update(
            status=OutgoingMail.Status.SENT,
            sent_at=timezone.now(),
            claimed_until=None,
            last_error="sent; not recorded on the case",
        )
        return OutgoingMail.Status.SENT


def due(limit: int) -> list[int]:
    """The owed mail that may be sent now, the longest waiting first."""
    now = timezone.now()
    return list(
        OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def send_due(limit: int = 10) -> int:
    """Try the mail that is due now, up to `limit`; how many were tried."""
    tried = 0
    for mail_id in due(limit):
        if send(mail_id) is not None:
            tried += 1
    return tried


def send_again(mails: list[OutgoingMail]) -> int:
    """Send set-aside or waiting mail again at once, as if new; how many."""
    return OutgoingMail.objects.filter(
        pk__in=[mail.pk for mail in mails],
        status__in=[OutgoingMail.Status.PARKED, OutgoingMail.Status.PENDING],
    ).update(
        status=OutgoingMail.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_until=None,
    )


def _claim(mail_id: int) -> Claim | None:
    now = timezone.now()
    until = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    # One conditional UPDATE: atomic on every database, no lock held afterwards.
    claimed = (
        OutgoingMail.objects.filter(
            pk=mail_id, status=OutgoingMail.Status.PENDING, next_attempt_at__lte=now
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=until, attempts=F("attempts") + 1)
    )
    return Claim(mail_id, until) if claimed else None


def _failure(error: Exception) -> Failure:
    """The kind of failure, never its text: an SMTP error's text may hold the address."""
    reason = type(error).__name__
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        permanent = bool(codes) and all(code in PERMANENT_SMTP_CODES for code in codes)
        return Failure(f"{reason} {' '.join(map(str, codes))}", permanent)
    if isinstance(error, smtplib.SMTPResponseException):
        return Failure(f"{reason} {error.smtp_code}", error.smtp_code in PERMANENT_SMTP_CODES)
    return Failure(reason, permanent=False)


def _locked(claim: Claim) -> OutgoingMail | None:
    mail = OutgoingMail.objects.select_for_update().filter(pk=claim.mail_id).first()
    if mail is None or mail.status != OutgoingMail.Status.PENDING:
        return None
    return mail


def _status(mail_id: int) -> str:
    return str(OutgoingMail.objects.filter(pk=mail_id).values_list("status", flat=True).get())


def _record_sent(claim: Claim, message: EmailMessage) -> str:
    with transaction.atomic():
        mail = _locked(claim)
        if mail is None:
            return _status(claim.mail_id)
        kind = kind_of(mail.purpose)
        mail.status = OutgoingMail.Status.SENT
        mail.sent_at = timezone.now()
        mail.claimed_until = None
        mail.last_error = ""
        if kind.forget_when_sent:
            mail.params = {}
        mail.save(update_fields=["status", "sent_at", "claimed_until", "last_error", "params"])
        kind.sent(mail, message)
    return OutgoingMail.Status.SENT


def _record_dropped(claim: Claim) -> str:
    with transaction.atomic():
        mail = _locked(claim)
        if mail is None:
            return _status(claim.mail_id)
        mail.status = OutgoingMail.Status.DROPPED
        mail.claimed_until = None
        mail.params = {}
        mail.save(update_fields=["status", "claimed_until", "params"])
    return OutgoingMail.Status.DROPPED


def _record_withheld(claim: Claim, reason: str) -> str:
    """The mail is not to go at all: dropped, its reason kept, its kind's failure recorded."""
    with transaction.atomic():
        mail = _locked(claim)
        if mail is None:
            return _status(claim.mail_id)
        mail.status = OutgoingMail.Status.DROPPED
        mail.claimed_until = None
        mail.last_error = reason[:300]
        mail.save(update_fields=["status", "claimed_until", "last_error"])
        kind_of(mail.purpose).given_up(mail)
    return OutgoingMail.Status.DROPPED


def _record_failure(claim: Claim, failure: Failure) -> str:
    logger.warning("mail %s not sent: %s", claim.mail_id, failure.reason)
    with transaction.atomic():
        mail = _locked(claim)
        # Another worker took it over after this one's lease ended: theirs is the last word.
        if mail is None or mail.claimed_until != claim.until:
            return _status(claim.mail_id)
        mail.last_error = failure.reason[:300]
        mail.claimed_until = None
        kind = kind_of(mail.purpose)
        if (failure.permanent or mail.attempts >= settings.MAIL_MAX_ATTEMPTS) and (
            kind.forget_when_sent
        ):
            # A portal link has lapsed by then; the resident asks for a new one. Its text is a
            # key and an address: not kept.
            mail.status = OutgoingMail.Status.DROPPED
            mail.params = {}
        elif failure.permanent or mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
            mail.status = OutgoingMail.Status.PARKED
            kind.given_up(mail)
        else:
            mail.next_attempt_at = timezone.now() + backoff(mail.attempts)
            _retry_later(mail)
        mail.save(
            update_fields=["last_error", "claimed_until", "status", "next_attempt_at", "params"]
        )
        return mail.status


def _retry_later(mail: OutgoingMail) -> None:
    """Queue the retry on a job queue that can hold it; the database queue's worker polls."""
    from django_tasks_db.backend import DatabaseBackend

    from cetate.outbox.tasks import send_mail

    backend = send_mail.get_backend()
    if isinstance(backend, DatabaseBackend) or not backend.supports_defer:
        return
    mail_id, at = mail.pk, mail.next_attempt_at
    transaction.on_commit(lambda: send_mail.using(run_after=at).enqueue(mail_id))
