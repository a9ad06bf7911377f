"""Read the city's mailbox over IMAP: each message is handed to a storer, then filed away.

`fetch(url, store)` logs in to the mailbox named by a `MAIL_IMAP_URL`-style URL, and for each
message of its folder (oldest first) takes the message's exact bytes, calls `store(raw)` and,
only once `store` has returned, moves the message to the processed folder (created when
missing). Messages are read with BODY.PEEK, so one not yet stored stays unread in the folder.

- `store` raises: the message stays where it is and the next poll offers it again. The other
  messages are still read: one message that cannot be stored must not hold up the whole
  mailbox. Only an interruption (KeyboardInterrupt, SystemExit, a worker being stopped) ends
  the poll at once.
- The process dies, or the server fails, between `store` returning and the move: the message
  is still in the folder and is stored a second time at the next poll, with the very same
  bytes. The storer therefore recognises a message it already has by the hash of its bytes and
  does not make a second case of it.

No database transaction may be open while the mail server is being talked to; each call of
`store` opens its own.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from imap_tools import BaseMailBox, MailBox, MailBoxUnencrypted
from imap_tools.errors import (
    ImapToolsError,
    MailboxFetchError,
    MailboxFolderSelectError,
    MailboxLoginError,
)
from imap_tools.utils import check_command_status

from cetate.lib.env import ImapSettings, imap_from_url

logger = logging.getLogger(__name__)

# Seconds the mail server may take over one exchange.
TIMEOUT = 30.0


class MailboxUnavailable(Exception):
    """The mailbox could not be read: unreachable server, refused login, missing folder."""


@dataclass
class FetchResult:
    # UIDs (in the folder read) of the messages stored and moved to the processed folder.
    stored: list[str] = field(default_factory=list)
    # UIDs of the messages `store` refused; they stay in the folder for the next poll.
    failed: list[str] = field(default_factory=list)
    # Messages left in the folder unread because of `limit`.
    remaining: int = 0


def fetch(
    url: str,
    store: Callable[[bytes], object],
    *,
    processed_folder: str = "Processed",
    limit: int | None = None,
) -> FetchResult:
    """Store each message of the mailbox at `url`, then move it to `processed_folder`.

    Reads at most `limit` messages (all when None). Raises MailboxUnavailable when the server
    cannot be reached, refuses the login or lacks the folder, or fails during the poll."""
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("fetch() talks to the mail server: call it outside any transaction")
    mailbox = imap_from_url(url)
    try:
        with _connect(mailbox) as client:
            if not client.folder.exists(processed_folder):
                client.folder.create(processed_folder)
            return _file_messages(client, store, processed_folder, limit)
    except MailboxLoginError:
        raise MailboxUnavailable(
            _("The mail server %(host)s refused the user name or password in MAIL_IMAP_URL.")
            % {"host": mailbox.host}
        ) from None
    except MailboxFolderSelectError:
        raise MailboxUnavailable(
            _("The mail server %(host)s has no folder %(folder)s.")
            % {"host": mailbox.host, "folder": mailbox.folder}
        ) from None
    except (ImapToolsError, imaplib.IMAP4.error) as error:
        raise MailboxUnavailable(
            _("The mail server %(host)s answered in a way Cetate cannot use: %(error)s")
            % {"host": mailbox.host, "error": error}
        ) from error
    except OSError as error:
        raise MailboxUnavailable(
            _("Cannot reach the mail server %(host)s:%(port)s: %(error)s")
            % {"host": mailbox.host, "port": mailbox.port, "error": error}
        ) from error


def _connect(mailbox: ImapSettings) -> BaseMailBox:
    client: BaseMailBox
    if mailbox.use_ssl:
        client = MailBox(
            mailbox.host, mailbox.port, timeout=TIMEOUT, ssl_context=ssl.create_default_context()
        )
    else:
        client = MailBoxUnencrypted(mailbox.host, mailbox.port, timeout=TIMEOUT)
    try:
        return client.login(mailbox.user, mailbox.password, initial_folder=mailbox.folder)
    except BaseException:
        client.client.shutdown()
        raise


def _file_messages(
    client: BaseMailBox,
    store: Callable[[bytes], object],
    processed_folder: str,
    limit: int | None,
) -> FetchResult:
    result = FetchResult()
    uids = client.uids("ALL")
    if limit is not None:
        result.remaining = max(len(uids) - limit, 0)
        uids = uids[:limit]
    for uid in uids:
        raw = _raw_message(client, uid)
        if raw is None:
            continue  # expunged by someone else since the search
        try:
            store(raw)
        except Exception:
            logger.exception(
                "message %s of the mailbox was not stored; it stays for the next poll", uid
            )
            result.failed.append(uid)
            continue
        client.move(uid, processed_folder)
        result.stored.append(uid)
    return result


def _raw_message(client: BaseMailBox, uid: str) -> bytes | None:
    """The message's bytes exactly as the server keeps them, leaving it unread."""
    response = client.client.uid("FETCH", uid, "(BODY.PEEK[])")
    check_command_status(response, MailboxFetchError)
    for part in response[1]:
        if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], bytes):
            return part[1]
    return None
