"""What open_case refuses before it takes a number: the refusal itself, who the author must
be (cetate/cases/authorship.py), and the register's details of a document on paper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cetate.cases.authorship import Author, AuthorRefusal, author_refusal
from cetate.cases.choices import Channel, Kind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import DomainError
from cetate.contacts.models import Contact
from cetate.directory.models import Category
from cetate.lib import clock
from cetate.lib.text import plain_text

SENDER_REFERENCE_LIMIT = 60
PAGES_LIMIT = 32_767
# Where a petition on paper arrives: only there may staff register an unidentifiable one and
# file it at once.
PAPER_CHANNELS = frozenset({Channel.POST, Channel.DESK})


class InvalidCase(DomainError):
    """The submission cannot be registered as it is; nothing was written."""


class UnidentifiedAuthor(InvalidCase):
    """The case does not say of its author what its kind needs: `refusal` names what is
    missing, with the reason to show beside each field."""

    def __init__(self, refusal: AuthorRefusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


@dataclass(frozen=True)
class RegisterDetails:
    """What the register of entries records of a document that came in on paper: the sender's
    own number and date (letters from institutions), its pages and annexes."""

    sender_reference: str = ""
    sender_reference_date: date | None = None
    pages: int | None = None
    annexes: int | None = None


def checked_details(
    sender_reference: str,
    sender_reference_date: date | None,
    pages: int | None,
    annexes: int | None,
) -> RegisterDetails:
    """The register's details as they will be written, or InvalidCase saying what is wrong."""
    sender_reference = " ".join(plain_text(sender_reference).split())
    if len(sender_reference) > SENDER_REFERENCE_LIMIT:
        raise InvalidCase(
            ngettext(
                "The sender's number may have at most %(n)d character.",
                "The sender's number may have at most %(n)d characters.",
                SENDER_REFERENCE_LIMIT,
            )
            % {"n": SENDER_REFERENCE_LIMIT}
        )
    today = clock.now().astimezone(CITY_TZ).date()
    if sender_reference_date is not None and sender_reference_date > today:
        raise InvalidCase(_("The sender's date cannot be later than today."))
    if pages is not None and not 1 <= pages <= PAGES_LIMIT:
        raise InvalidCase(_("A document has at least one page."))
    if annexes is not None and not 0 <= annexes <= PAGES_LIMIT:
        raise InvalidCase(_("The number of annexes cannot be negative."))
    return RegisterDetails(sender_reference, sender_reference_date, pages, annexes)


def check_reporter(
    kind: Kind, category: Category | None, reporter: Contact | None, *, file_unidentified: bool
) -> None:
    """Refuse a case whose author is not identified as its kind needs; when filing, refuse one
    whose author is: only an anonymous or unidentifiable petition is filed."""
    refusal = author_refusal(kind, category, author_of(reporter))
    if file_unidentified:
        if refusal is None:
            raise InvalidCase(
                _(
                    "This petition can be registered as it is, to be considered: only a "
                    "petition that is anonymous or gives no address to answer to is filed."
                )
            )
        return
    if refusal is not None:
        raise UnidentifiedAuthor(refusal)
    if reporter is not None and not author_of(reporter).is_reachable:
        raise InvalidCase(_("Give an email address, a phone number or a postal address."))


def check_author(kind: Kind | str, category: Category | None, author: Author) -> None:
    """UnidentifiedAuthor if `author` cannot be the author of a case of `kind`: for channels
    that hold what a person typed beyond the contact made of it (a name alone makes none)."""
    refusal = author_refusal(kind, category, author)
    if refusal is not None:
        raise UnidentifiedAuthor(refusal)


def author_of(reporter: Contact | None) -> Author:
    """What the register holds of the author, as the rules of who may petition read it."""
    if reporter is None:
        return Author()
    return Author(
        name=reporter.name,
        email=reporter.email,
        phone=reporter.phone or reporter.phone_as_typed,
        postal_address=reporter.postal_address,
    )
