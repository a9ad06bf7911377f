"""Who a registration is from, as a channel took it down, and their contact in the register.

An email address or a phone number typed on a form proves nothing: anyone can type a
neighbour's. So a registration joins an existing contact only when its identity was verified —
the resident is signed in with the address (they opened a link mailed to it), or a member of
staff checked who is calling or standing at the desk. Anything else gets a contact of its own,
which staff may merge into a known one after checking.
"""

from __future__ import annotations

from dataclasses import dataclass

from cetate.cases.authorship import Author
from cetate.contacts.merged import root_of
from cetate.contacts.models import AnswerChannel, Contact
from cetate.contacts.services import complete_contact, create_contact


@dataclass(frozen=True)
class Person:
    """What the channel knows of who is asking; all empty for an anonymous registration."""

    name: str = ""
    phone: str = ""
    email: str = ""
    postal_address: str = ""
    preferred_channel: AnswerChannel | str = ""
    kind: Contact.Kind | str = Contact.Kind.PERSON

    @property
    def is_anonymous(self) -> bool:
        return not (self.phone.strip() or self.email.strip() or self.postal_address.strip())

    @property
    def author(self) -> Author:
        """What the person says of themselves, as the rules of who may petition read it."""
        return Author(
            name=self.name, email=self.email, phone=self.phone, postal_address=self.postal_address
        )


def contact_of(
    person: Person, *, language: str, verified: Contact | None = None, filing: bool = False
) -> Contact | None:
    """The person's contact in the register, or None for an anonymous person.

    `verified` is the contact the channel proved the person to be; it is completed with what
    it lacks (never overwritten). Without it the person gets a new contact, whatever email or
    phone it shares with others. `filing` is for a petition on paper filed for lack of what
    identifies its author: whatever it gives is kept, a name alone too, and no way to answer is
    asked for, as nothing is sent. The caller's transaction keeps a new contact only if the
    registration succeeds.
    """
    if verified is not None:
        return complete_contact(
            root_of(verified),
            name=person.name,
            phone=person.phone,
            email=person.email,
            postal_address=person.postal_address,
        )
    if person.is_anonymous:
        if not (filing and person.name.strip()):
            return None
        return create_contact(
            name=person.name,
            kind=person.kind,
            preferred_channel=AnswerChannel.DESK,
            language=language,
        )
    return create_contact(
        name=person.name,
        phone=person.phone,
        email=person.email,
        postal_address=person.postal_address,
        kind=person.kind,
        preferred_channel=None if filing else person.preferred_channel or None,
        language=language,
    )
