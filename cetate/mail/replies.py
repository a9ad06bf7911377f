"""Which case a reply belongs to, and who wrote it, told from the mail Cetate sent about it.

Every mail about a case asks for replies at the case's signed address and carries a signed
Message-ID (cetate/cases/mail_identity.py): a message to that address, or naming such a
Message-ID in In-Reply-To or References, answers Cetate's mail about that case, whoever sends
it. Mail sent before Message-IDs were signed named the case alone; those identifiers can be
guessed, so an answer naming one is trusted only from the case's own resident.

Who wrote is told by the sender's address: the case's resident, the organisation the case was
redirected to (or whoever answers the mail forwarding the case, which went to it alone), or
someone else, such as a follower of the case or someone the resident passed the mail on to.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses

from cetate.cases.choices import ReplyAuthor
from cetate.cases.mail_identity import case_of_address, references_in
from cetate.cases.models import Case
from cetate.cases.services import author_of_reply
from cetate.directory.models import Department


@dataclass(frozen=True)
class Reply:
    """A message answering Cetate's mail: the case it is about and who wrote it."""

    case: Case
    author: ReplyAuthor
    organisation: Department | None = None


def reply_of(message: EmailMessage, sender: str) -> Reply | None:
    """The case `message` replies to and who wrote it, or None when it is no reply to
    Cetate's mail; a case merged since is the case it was merged into."""
    named = _named_case(message, sender)
    if named is None:
        return None
    case, answers_forwarding = named
    # Who wrote is told by the case whose mail they answer: its resident, its organisation.
    author, organisation = author_of_reply(case, sender, answers_forwarding=answers_forwarding)
    seen = set()
    while case.merged_into_id is not None and case.pk not in seen:
        seen.add(case.pk)
        assert case.merged_into is not None
        case = case.merged_into
    return Reply(case, author, organisation)


def case_replied_to(message: EmailMessage, sender: str) -> Case | None:
    """The case `message` replies to (see reply_of), or None."""
    reply = reply_of(message, sender)
    return reply.case if reply is not None else None


def _named_case(message: EmailMessage, sender: str) -> tuple[Case, bool] | None:
    """The case the message answers Cetate's mail about, and whether it answers the mail
    forwarding the case to an organisation."""
    referred = " ".join(
        str(value) for name in ("In-Reply-To", "References") for value in message.get_all(name, [])
    )
    references = references_in(referred)

    def answers_forwarding(case: Case) -> bool:
        return any(
            reference.answers_forwarding
            and (reference.year, reference.number)
            == (case.registration_year, case.registration_number)
            for reference in references
        )

    recipients = [
        str(value)
        for name in ("To", "Cc", "Delivered-To", "X-Original-To")
        for value in message.get_all(name, [])
    ]
    for _name, address in getaddresses(recipients):
        case_id = case_of_address(address)
        if case_id is not None:
            case = Case.objects.filter(pk=case_id).first()
            if case is not None:
                return case, answers_forwarding(case)
    for reference in references:
        case = (
            Case.objects.select_related("reporter")
            .filter(registration_year=reference.year, registration_number=reference.number)
            .first()
        )
        if case is None:
            continue
        if reference.signed or _from_its_resident(case, sender):
            return case, answers_forwarding(case)
    return None


def _from_its_resident(case: Case, sender: str) -> bool:
    author, _organisation = author_of_reply(case, sender)
    return bool(sender) and author == ReplyAuthor.RESIDENT
