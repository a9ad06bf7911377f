"""Forwarding a redirected case to the external organisation competent for it.

OG 27/2002 art. 6 (2): a petition the city is not competent for goes to the competent
authority within 5 days of registration. `redirect` records the decision and owes the mail
(cetate/cases/outgoing.py); once it commits, the worker emails the organisation the forwarding
letter, the facts and the case's documents, and records that it did, once. An organisation
without an email address gets the letter by post: the case card lists it to print.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from cetate.cases.choices import EventKind
from cetate.cases.letter import (
    attachments_summary,
    forwarding_facts,
    forwarding_language,
    forwarding_pdf,
    forwarding_text,
)
from cetate.cases.mail_identity import FORWARDING_PART, message_id, reply_address, thread_id
from cetate.cases.models import Case, Event
from cetate.cases.services._core import append_event, locked_case
from cetate.directory.models import Department

# Mail servers commonly refuse messages past 10-25 MB; documents over this stay with the city.
FORWARD_ATTACHMENTS_MAX_BYTES = 10 * 1024 * 1024


def forward_on_commit(event: Event) -> None:
    """Owe the email forwarding the case of this REDIRECTED event, sent once it commits."""
    from cetate.cases.outgoing import owe_forwarding

    owe_forwarding(event)


def organisation_of(redirected: Event) -> Department | None:
    return Department.objects.filter(pk=redirected.data.get("department")).first()


@transaction.atomic
def record_forwarding(*, about: Event, recipient: str) -> Event | None:
    """Record the case of a REDIRECTED event as FORWARDED by email; None if it was already."""
    case = locked_case(about.case_id)
    if case.events.filter(kind=EventKind.FORWARDED, data__about=about.seq).exists():
        return None
    event = append_event(
        case,
        EventKind.FORWARDED,
        actor=None,
        data={"about": about.seq, "channel": "email", "recipient": recipient},
    )
    case.save(update_fields=["last_event_seq", "updated_at"])
    return event


def forwarding_message(case: Case, organisation: Department) -> EmailMessage:
    """The email to the organisation: the facts in the body, the letter and documents attached."""
    documents = list(case.attachments.order_by("created_at", "pk"))
    total = sum(document.size for document in documents)
    attach = total < FORWARD_ATTACHMENTS_MAX_BYTES
    with translation.override(forwarding_language()):
        forwarding = forwarding_facts(case)
        subject = _("%(city)s: case %(number)s forwarded to you as the competent authority") % {
            "city": settings.CITY_NAME,
            "number": case.number,
        }
        body = forwarding_text(forwarding)
        summary = attachments_summary(len(documents), total, attached=attach)
    message = EmailMessage(
        subject=subject,
        body=f"{body}\n{summary}\n" if summary else body,
        to=[organisation.email],
        headers={
            # One forwarding per case: a second sending of it is the same message. Its
            # Message-ID tells an answer to it from the organisation (cetate/mail/replies.py).
            "Message-ID": message_id(case, FORWARDING_PART),
            "References": thread_id(case),
            "Reply-To": reply_address(case),
        },
    )
    filename = f"forwarding-{case.number.replace('/', '-')}.pdf"
    message.attach(filename, forwarding_pdf(case), "application/pdf")
    if attach:
        for document in documents:
            with document.file.open("rb") as file:
                message.attach(document.original_name, file.read(), document.content_type)
    return message
