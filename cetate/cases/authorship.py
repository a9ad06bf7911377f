"""Who may petition: what a case must say of its author before it is registered.

- A request, complaint or proposal names its petitioner and an address to answer to, postal
  or email: a petition that is anonymous or gives no such address is not considered, only
  filed (OG 27/2002 art. 7). Its answer is written, so a phone number is no address.
- A request for public information names its requester and the address the information is
  sent to (Law 544/2001 art. 6 (3)), postal or email alike.
- A report of a problem in the city is acted on whoever sends it: a category may accept it
  anonymously (`Category.anonymous_allowed`); otherwise it gives a way to reach its author,
  a phone number being enough.
- A question is answered on the spot and needs nothing.

Pure rules, no database: every channel asks them through `open_case`, and the forms ask them
again to put the reason beside the fields before anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _

from cetate.cases.choices import Kind
from cetate.directory.models import Category

# The kinds whose author must be identified: a name and an address to answer to.
IDENTIFIED_KINDS = frozenset({Kind.REQUEST, Kind.COMPLAINT, Kind.PROPOSAL, Kind.INFORMATION})


class Missing(StrEnum):
    """What of its author a case lacks; channels put the reason beside that field."""

    NAME = "name"
    # A postal or email address to answer to.
    ADDRESS = "address"
    # Any way to reach the author of a report: email, phone or postal address.
    CONTACT = "contact"


@dataclass(frozen=True)
class Author:
    """What a registration says of its author; all empty when anonymous."""

    name: str = ""
    email: str = ""
    phone: str = ""
    postal_address: str = ""

    @property
    def has_address(self) -> bool:
        return bool(self.email.strip() or self.postal_address.strip())

    @property
    def is_reachable(self) -> bool:
        return self.has_address or bool(self.phone.strip())


@dataclass(frozen=True)
class AuthorRefusal:
    """Why a case cannot be registered as it is, what of its author is missing, and the
    reason to put beside each missing thing's field."""

    message: str
    missing: frozenset[Missing]
    reasons: Mapping[Missing, str] = field(default_factory=dict)


def anonymity_allowed(kind: Kind | str, category: Category | None) -> bool:
    """Whether a case may be registered without anything of its author: a question, or a
    report of a problem in a category that accepts anonymous reports."""
    if kind == Kind.INQUIRY:
        return True
    return kind == Kind.REPORT and category is not None and category.anonymous_allowed


def needs_identified_author(kind: Kind | str) -> bool:
    """Whether the kind needs its author's name and an address to answer to."""
    return kind in IDENTIFIED_KINDS


def author_refusal(
    kind: Kind | str, category: Category | None, author: Author
) -> AuthorRefusal | None:
    """Why `author` cannot be the author of a case of `kind` in `category`, or None."""
    if needs_identified_author(kind):
        missing = frozenset(
            what
            for what, lacking in (
                (Missing.NAME, not author.name.strip()),
                (Missing.ADDRESS, not author.has_address),
            )
            if lacking
        )
        if not missing:
            return None
        reason = _information_reason if kind == Kind.INFORMATION else _petition_reason
        return AuthorRefusal(
            reason(missing), missing, {what: reason(frozenset({what})) for what in missing}
        )
    if author.is_reachable or anonymity_allowed(kind, category):
        return None
    message = _(
        "Anonymous petitions are not considered (OG 27/2002 art. 7): give your name and "
        "an email address, phone number or postal address."
    )
    return AuthorRefusal(message, frozenset({Missing.CONTACT}), {Missing.CONTACT: message})


def _petition_reason(missing: frozenset[Missing]) -> str:
    if missing == {Missing.NAME}:
        return _(
            "Give the petitioner's name: anonymous petitions are not considered "
            "(OG 27/2002 art. 7)."
        )
    if missing == {Missing.ADDRESS}:
        return _(
            "Give a postal or email address to answer to: petitions without one are not "
            "considered (OG 27/2002 art. 7). A phone number alone is not enough."
        )
    return _(
        "Give the petitioner's name and a postal or email address to answer to: anonymous "
        "petitions and petitions without an address are not considered (OG 27/2002 art. 7). "
        "A phone number alone is not enough."
    )


def _information_reason(missing: frozenset[Missing]) -> str:
    if missing == {Missing.NAME}:
        return _(
            "Give the requester's name: a request for public information must state it "
            "(Law 544/2001 art. 6)."
        )
    if missing == {Missing.ADDRESS}:
        return _(
            "Give a postal or email address to send the information to (Law 544/2001 "
            "art. 6). A phone number alone is not enough."
        )
    return _(
        "Give the requester's name and a postal or email address to send the information to: "
        "a request for public information must state them (Law 544/2001 art. 6). A phone "
        "number alone is not enough."
    )
