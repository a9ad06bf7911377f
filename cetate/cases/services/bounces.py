"""A resident's email that came back undeliverable (cetate/mail/bounces.py reads the report).

The bounce is recorded on the case whose mail bounced, visible to staff only, with the address,
the report's status code and diagnostic and the event the mail told about. The address is marked
as failing on the contacts that hold it, so the outbox mails it no more. The case's officer is
told by email (with nobody holding the case: the department's heads, else the dispatchers).

When the mail that bounced was the answer, and the answer's exit was recorded as that mail, the
exit no longer stands: the case's `sent_at`, `sent_by` and `sent_to` are cleared, so that the
register shows the answer as not sent yet, while the `answer_sent` event stays in the history
and the bounce's event keeps what was withdrawn. The answer then goes by post when the resident
gave a postal address: the card asks for the answer letter to be printed and its exit recorded,
as for any answer by post. Without a postal address the card says there is none to answer to.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cetate.accounts.models import DepartmentMembership, User
from cetate.accounts.roles import Role
from cetate.cases.choices import EventKind
from cetate.cases.models import Case, Event
from cetate.cases.petitioners import contact_ids_of_petitioner, petitioner
from cetate.cases.services._core import append_event, locked_case
from cetate.cases.services.exits import last_answer
from cetate.contacts.failing import mark_failing
from cetate.contacts.models import AnswerChannel, Contact
from cetate.lib import clock

# The events whose recipient is an address Cetate mailed about the case (staff reminders also
# record their recipients, under "recipients": not the resident's).
_MAILED_KINDS = (
    EventKind.NOTIFICATION_SENT,
    EventKind.NOTIFICATION_FAILED,
    EventKind.RECEIPT_MAILED,
    EventKind.ANSWER_SENT,
)


def addresses_mailed(case: Case) -> set[str]:
    """Every address Cetate mailed, or meant to mail, the case's resident at: the resident's
    own, and those the case's mail was recorded as going to."""
    addresses: set[str] = set()
    reporter = petitioner(case.reporter)
    if reporter is not None:
        contacts = Contact.objects.filter(pk__in=contact_ids_of_petitioner(reporter))
        addresses.update(contacts.values_list("email", flat=True))
    events = case.events.filter(kind__in=_MAILED_KINDS).exclude(data__has_key="recipients")
    for kind, data in events.values_list("kind", "data"):
        if kind == EventKind.ANSWER_SENT and data.get("channel") != AnswerChannel.EMAIL:
            continue
        addresses.add(str(data.get("recipient", "")))
    return {address.strip().lower() for address in addresses if "@" in address}


@transaction.atomic
def record_bounce(
    *, case_id: int, recipient: str, status: str, diagnostic: str, about: int | None
) -> Event | None:
    """Record that the case's mail to `recipient` about its event `about` (None: not known)
    bounced, mark the address as failing and tell the officer; None when that bounce was
    recorded already."""
    case = locked_case(case_id)
    recipient = recipient.strip().lower()
    if case.events.filter(
        kind=EventKind.MAIL_BOUNCED, data__recipient=recipient, data__about=about
    ).exists():
        return None
    failure = " ".join(part for part in (status, diagnostic) if part) or _("mail bounced")
    mark_failing(recipient, failure=failure)
    data: dict[str, Any] = {
        "recipient": recipient,
        "status": status,
        "diagnostic": diagnostic,
        "about": about,
        "answer_returned": False,
    }
    data.update(_return_answer(case, about=about, recipient=recipient))
    told = officers_to_tell(case)
    data["recipients"] = [user.pk for user in told]
    event = append_event(case, EventKind.MAIL_BOUNCED, actor=None, data=data)
    case.save()
    if told:
        from cetate.cases.outgoing import owe_staff_mail

        # The officer acts on it now: the answer may be waiting to be posted.
        owe_staff_mail(event, at=clock.now())
    return event


def _return_answer(case: Case, *, about: int | None, recipient: str) -> dict[str, Any]:
    """Withdraw the answer's exit when the bounced mail was it; what the event records."""
    answer = last_answer(case)
    if about is None or answer is None or answer.seq != about:
        return {}
    if case.sent_by != AnswerChannel.EMAIL or case.sent_to.strip().lower() != recipient:
        return {}
    withdrawn = {
        "sent_at": case.sent_at.isoformat() if case.sent_at else None,
        "channel": case.sent_by,
    }
    case.sent_at, case.sent_by, case.sent_to = None, "", ""
    reporter = petitioner(case.reporter)
    if reporter is not None and reporter.postal_address.strip():
        case.answer_channel = AnswerChannel.POST
    return {
        "answer_returned": True,
        "withdrawn_exit": withdrawn,
        "answer_by": case.answer_channel if case.answer_channel == AnswerChannel.POST else "",
    }


def officers_to_tell(case: Case) -> list[User]:
    """Who is told of a bounce: the case's officer; with nobody holding it, the heads of its
    department; without any, the dispatchers."""
    active = User.objects.filter(is_active=True).exclude(email="").order_by("pk")
    if case.assignee_id is not None:
        officer = list(active.filter(pk=case.assignee_id))
        if officer:
            return officer
    if case.department_id is not None:
        heads = DepartmentMembership.objects.filter(department_id=case.department_id, is_head=True)
        found = list(active.filter(pk__in=heads.values_list("user_id", flat=True)))
        if found:
            return found
    return list(active.filter(groups__name=Role.DISPATCHER.value).distinct())


def bounce_mail_text(*, case: Case, data: dict[str, Any], url: str) -> tuple[str, str]:
    """(subject, body) of the mail telling staff of a bounce, in the active language."""
    values = {
        "number": case.number,
        "address": data.get("recipient", ""),
        "status": " ".join(
            part for part in (str(data.get("status", "")), str(data.get("diagnostic", ""))) if part
        )
        or "—",
        "about": data.get("about") or "—",
    }
    subject = _("Case %(number)s: an email to the resident bounced") % values
    lines = [
        _("Case %(number)s: %(title)s")
        % {"number": case.number, "title": case.title or case.get_kind_display()},
        _(
            "The email about no. %(about)s in the case's history did not reach %(address)s "
            "(%(status)s). Nothing more is emailed to this address until the resident writes "
            "from it again or it is corrected."
        )
        % values,
    ]
    if data.get("answer_returned"):
        if data.get("answer_by") == AnswerChannel.POST:
            lines.append(
                _(
                    "It was the answer: print the answer letter from the case card, post it, "
                    "and record that the answer was sent."
                )
            )
        else:
            lines.append(
                _(
                    "It was the answer, and the resident gave no postal address: find another "
                    "way to give them the answer, then record that it was sent."
                )
            )
    else:
        lines.append(_("Tell the resident another way if they need to know."))
    lines.append(_("Open the case: %(url)s") % {"url": url})
    return subject, "\n\n".join(lines) + "\n"
