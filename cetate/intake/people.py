"""Who a registration is from, as a channel took it down, and their contact in the register."""

from __future__ import annotations

from dataclasses import dataclass

from cetate.contacts.models import AnswerChannel, Contact
from cetate.contacts.services import complete_contact, create_contact, find_contacts


@dataclass(frozen=True)
class Person:
    """What the channel knows of who is asking; all empty for an anonymous registration."""

    name: str = ""
    phone: str = ""
    email: str = ""
    postal_address: str = ""
    preferred_channel: AnswerChannel | str = ""

    @property
    def is_anonymous(self) -> bool:
        return not (self.phone.strip() or self.email.strip() or self.postal_address.strip())


def contact_of(person: Person, *, language: str) -> Contact | None:
    """The person's contact: the one the register knows by their phone or email, completed
    with what it lacks, or a new one. None for an anonymous person. The caller's transaction
    keeps a new contact only if the registration succeeds."""
    if person.is_anonymous:
        return None
    known = find_contacts(phone=person.phone, email=person.email)
    if known:
        return complete_contact(
            known[0],
            name=person.name,
            phone=person.phone,
            email=person.email,
            postal_address=person.postal_address,
        )
    return create_contact(
        name=person.name,
        phone=person.phone,
        email=person.email,
        postal_address=person.postal_address,
        preferred_channel=person.preferred_channel or None,
        language=language,
    )
