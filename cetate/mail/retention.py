"""How long the messages the city received are kept, whole, with the personal data they hold.

A message as received names its sender and says what they wrote: it is personal data, kept as
long as what it serves.

- A message tied to a case (it opened the case, or was a reply on it) goes with the case's
  personal data: once the case is anonymised its bytes are deleted from storage and its
  sender, subject and Message-ID blanked (`forget_messages_of_anonymised_cases`).
- A message tied to no case (a delivery report, an automatic reply, a loop, a duplicate, an
  abuse feedback report) is kept MAIL_KEEP_UNLINKED_DAYS days after it came, then forgotten
  the same way (`forget_unlinked_messages`).
- A held message stays until a person decides on it; once discarded, its bytes go
  DISCARDED_KEPT_DAYS later (cetate/mail/quarantine.py), and its personal details with them.

The row itself stays, with its outcome, reason and dates, for the statistics. Each file is
deleted before its row is blanked, outside any transaction: a storage failure leaves the row
as it was, and the next daily run tries again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from cetate.lib import clock
from cetate.mail.models import InboundMessage, Outcome

logger = logging.getLogger(__name__)

# Outcomes of messages that never joined a case.
UNLINKED = (
    Outcome.BOUNCE,
    Outcome.AUTO_REPLY,
    Outcome.FEEDBACK_REPORT,
    Outcome.LOOP,
    Outcome.DUPLICATE,
)


def forget_messages_of_anonymised_cases(*, case_id: int | None = None) -> int:
    """Forget the messages of anonymised cases (of one case with `case_id`); how many."""
    messages = InboundMessage.objects.filter(case__anonymised_at__isnull=False)
    if case_id is not None:
        messages = messages.filter(case_id=case_id)
    return forget(messages)


def forget_unlinked_messages() -> int:
    """Forget the messages tied to no case received more than MAIL_KEEP_UNLINKED_DAYS ago;
    how many."""
    oldest = clock.now() - timedelta(days=settings.MAIL_KEEP_UNLINKED_DAYS)
    return forget(
        InboundMessage.objects.filter(
            outcome__in=UNLINKED, case__isnull=True, received_at__lt=oldest
        )
    )


def forget(messages: QuerySet[InboundMessage]) -> int:
    """Delete the bytes of these messages and blank their personal details; how many."""
    remembered = ~Q(raw="") | ~Q(sender="") | ~Q(subject="") | ~Q(message_id="")
    forgotten = 0
    for message in messages.filter(remembered).only("pk", "raw").iterator():
        if message.raw.name:
            try:
                message.raw.storage.delete(message.raw.name)
            except Exception:
                logger.warning("incoming message %s left in storage", message.pk, exc_info=True)
                continue
        InboundMessage.objects.filter(pk=message.pk).update(
            raw="", sender="", subject="", message_id=""
        )
        forgotten += 1
    return forgotten
