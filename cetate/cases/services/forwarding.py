"""Forwarding a redirected case to the external organisation competent for it.

OG 27/2002 art. 6 (2): a petition the city is not competent for goes to the competent
authority within 5 days of registration. `redirect` records the decision; after it commits, a
job emails the organisation the forwarding letter, the facts and the case's documents, and
records that it did, once. An organisation without an email address gets the letter by post:
the case card lists it to print.
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
from cetate.cases.models import Case, Event
from cetate.cases.notifications import thread_id
from cetate.cases.services._core import append_event, enqueue_with_case, locked_case
from cetate.directory.models import Department

# Mail servers commonly refuse messages past 10-25 MB; documents over this stay with the city.
FORWARD_ATTACHMENTS_MAX_BYTES = 10 * 1024 * 1024


def forward_on_commit(event: Event) -> None:
    """Queue the email forwarding the case of this REDIRECTED event, to run once it commits."""
    from cetate.cases.tasks import forward_case

    enqueue_with_case(forward_case, event)


@transaction.atomic
def send_forwarding(event_id: int) -> Event | None:
    """Email the organisation the case of a REDIRECTED event and record it as FORWARDED.

    None when there is nothing to send: the organisation has no email address, or the
    forwarding was sent already. The case stays locked while the mail goes, so that two runs
    of the job cannot both send it.
    """
    about = Event.objects.get(pk=event_id, kind=EventKind.REDIRECTED)
    case = locked_case(about.case_id)
    already = case.events.filter(kind=EventKind.FORWARDED, data__about=about.seq)
    organisation = Department.objects.filter(pk=about.data.get("department")).first()
    if already.exists() or organisation is None or not organisation.email:
        return None
    forwarding_message(case, organisation).send()
    event = append_event(
        case,
        EventKind.FORWARDED,
        actor=None,
        data={"about": about.seq, "channel": "email", "recipient": organisation.email},
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
    thread = thread_id(case)
    message = EmailMessage(
        subject=subject,
        body=f"{body}\n{summary}\n" if summary else body,
        to=[organisation.email],
        headers={
            # One forwarding per case: a second sending of it is the same message.
            "Message-ID": thread.replace("@", ".forwarded@", 1),
            "References": thread,
        },
    )
    filename = f"forwarding-{case.number.replace('/', '-')}.pdf"
    message.attach(filename, forwarding_pdf(case), "application/pdf")
    if attach:
        for document in documents:
            with document.file.open("rb") as file:
                message.attach(document.original_name, file.read(), document.content_type)
    return message
