"""The city's mailbox read into Cetate: every message of MAIL_IMAP_URL through the one pipeline
(`pipeline.receive`), then filed in the mailbox's processed folder. Run by the worker every
MAIL_POLL_SECONDS under `serve`, and by `manage.py fetch_mail`."""

from __future__ import annotations

from django.conf import settings

from cetate.mail.imap import FetchResult, fetch
from cetate.mail.models import Source
from cetate.mail.pipeline import receive


def store_from_imap(raw: bytes) -> None:
    # NotStored leaves the message in the mailbox, for the next poll.
    receive(raw, source=Source.IMAP)


def poll_mailbox(*, limit: int | None = None) -> FetchResult | None:
    """Read the city's mailbox once; None when no mailbox is configured. MailboxUnavailable
    when it cannot be read."""
    if not settings.MAIL_IMAP_URL:
        return None
    return fetch(settings.MAIL_IMAP_URL, store_from_imap, limit=limit)
