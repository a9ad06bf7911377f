"""What each purpose of mail is made of: how it is composed and what its sending records.

The apps that owe mail register their kinds when they load (`AppConfig.ready`), so that this
app knows nothing of cases or of the portal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.mail import EmailMessage

from cetate.outbox.models import OutgoingMail


def _nothing(*_args: object) -> None:
    return None


class Withheld(Exception):
    """Raised by a composer when the mail must not go (its address is failing): the mail is
    dropped with the exception's text as its error, and its kind's `given_up` records it."""


@dataclass(frozen=True)
class Kind:
    # The message to send now, or None when there is nothing to send any more.
    compose: Callable[[OutgoingMail], EmailMessage | None]
    # Called in the transaction that marks the mail sent.
    sent: Callable[[OutgoingMail, EmailMessage], None] = _nothing
    # Called in the transaction that sets the mail aside after its last attempt, or drops a
    # mail that was withheld.
    given_up: Callable[[OutgoingMail], None] = _nothing
    # A ready message's text is forgotten once sent (a portal link is a key).
    forget_when_sent: bool = False


_kinds: dict[str, Kind] = {}


def register(purpose: str, kind: Kind) -> None:
    _kinds[purpose] = kind


def kind_of(purpose: str) -> Kind:
    return _kinds[purpose]


def compose_ready(mail: OutgoingMail) -> EmailMessage:
    """A message rendered when it was posted: its subject, body and headers are in params."""
    params = mail.params
    return EmailMessage(
        subject=params["subject"],
        body=params["body"],
        to=[params["to"]],
        headers=params.get("headers") or {},
    )
