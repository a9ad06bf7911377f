"""Email addresses whose mail comes back undeliverable.

A delivery failure report about Cetate's mail marks the address as failing on every contact
that holds it: the outbox mails it no more, and staff see the mark beside the address. A new
message from the address proves it receives mail again and clears the mark, as does a corrected
address.

Contacts keep their addresses in lower case (cetate/contacts/services.py), so an address is
looked up as it is written there.
"""

from __future__ import annotations

from django.db.models import Q

from cetate.contacts.models import Contact
from cetate.lib import clock

FAILURE_LENGTH = 300


def _holding(address: str) -> Q:
    return Q(email=address.strip().lower()) & ~Q(email="")


def is_failing(address: str) -> bool:
    """Whether mail to `address` came back undeliverable and nothing has cleared it since."""
    if not address.strip():
        return False
    return Contact.objects.filter(_holding(address), email_failed_at__isnull=False).exists()


def mark_failing(address: str, *, failure: str) -> int:
    """Mark `address` as failing, with what the report said; a mark already there keeps its
    date. Returns how many contacts hold it."""
    failure = " ".join(failure.split())[:FAILURE_LENGTH]
    holders = Contact.objects.filter(_holding(address), anonymised_at__isnull=True)
    now = clock.now()
    holders.filter(email_failed_at__isnull=True).update(email_failed_at=now, updated_at=now)
    return holders.update(email_failure=failure, updated_at=now)


def mark_working(address: str) -> int:
    """Clear the failing mark of `address`: mail came from it. Returns how many were cleared."""
    if not address.strip():
        return 0
    return Contact.objects.filter(_holding(address), email_failed_at__isnull=False).update(
        email_failed_at=None, email_failure="", updated_at=clock.now()
    )


def forget_failure(contact: Contact) -> None:
    """A contact's address was corrected: what failed was the old one. The caller saves."""
    contact.email_failed_at = None
    contact.email_failure = ""
