"""A resident's copy of their personal data (GDPR art. 15), as JSON.

It holds what the city keeps about the person and what they can act on: their contact records,
their cases with what they told the city, the public history and the answers, the cases they
follow, and the log of staff who looked at their data. Internal notes and staff working
documents are left out: they are the city's own deliberations, asked for through the data
protection officer (whose address the privacy notice gives) when the law grants them.

While the processing of a person's data is restricted (GDPR art. 18), their records and cases
leave the city only through the data protection officer's export: this one says so instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from cetate.cases.choices import PUBLIC_EVENT_KINDS
from cetate.cases.models import Case
from cetate.cases.workflow import Status
from cetate.contacts.merged import with_merged
from cetate.contacts.models import Contact, PersonalDataView
from cetate.lib import clock
from cetate.portal.models import Follower
from cetate.portal.residents import cases_of, contacts_of
from cetate.portal.tracking import PLAIN_STATUS


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def _contact(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "kind": contact.kind,
        "name": contact.name,
        "email": contact.email,
        "phone": contact.phone,
        "phone_as_typed": contact.phone_as_typed,
        "postal_address": contact.postal_address,
        "preferred_answer_channel": contact.preferred_channel,
        "language": contact.language,
        "merged_into": contact.merged_into_id,
        "created_at": _when(contact.created_at),
        "updated_at": _when(contact.updated_at),
    }


def _case(case: Case, stopped: set[int]) -> dict[str, Any]:
    history = case.events.filter(public=True, kind__in=PUBLIC_EVENT_KINDS).order_by("seq")
    return {
        "number": case.number,
        "tracking_code": case.tracking_code,
        "registered_at": _when(case.registered_at),
        "kind": case.kind,
        "received_through": case.channel,
        "answer_by": case.answer_channel,
        "language": case.language,
        "reporter_contact": case.reporter_id,
        "category": case.category.full_label if case.category else None,
        "address": case.address,
        "latitude": case.latitude,
        "longitude": case.longitude,
        "summary": case.title,
        "description": case.description,
        "answers_to_questions": case.answers,
        "status": case.status,
        "status_in_words": str(PLAIN_STATUS[Status(case.status)]),
        "legal_deadline": _when(case.legal_due),
        "resolved_at": _when(case.resolved_at),
        "answer": case.answer,
        "your_feedback": case.feedback,
        "feedback_at": _when(case.feedback_at),
        "update_mails": case.pk not in stopped,
        "attachments": [
            {
                "name": attachment.original_name,
                "type": attachment.content_type,
                "size": attachment.size,
                "added_at": _when(attachment.created_at),
            }
            for attachment in case.attachments.all()
        ],
        "history": [
            {
                "at": _when(event.at),
                "what": event.kind,
                "status": event.to_status or None,
                "text": event.text,
            }
            for event in history
        ],
    }


def personal_data(email: str) -> dict[str, Any]:
    """Everything the export holds for the resident signed in with `email`."""
    found = contacts_of(email)
    restricted = [contact for contact in found if contact.is_restricted]
    contacts = [contact for contact in found if not contact.is_restricted]
    contact_ids = with_merged(contact.pk for contact in contacts)
    cases = list(
        cases_of(email).filter(reporter__restricted_at__isnull=True).prefetch_related("attachments")
    )
    stopped = set(
        Case.objects.filter(
            pk__in=[case.pk for case in cases], updates_stopped_at__isnull=False
        ).values_list("pk", flat=True)
    )
    views = (
        PersonalDataView.objects.filter(contact_id__in=contact_ids)
        .select_related("user")
        .order_by("at")
    )
    following = Follower.objects.filter(email__iexact=email).select_related("case")
    return {
        "about": {
            "controller": settings.CITY_NAME,
            "data_protection_contact": settings.DATA_PROTECTION_EMAIL,
            "exported_at": clock.now().isoformat(),
            "email": email,
            "contents": _(
                "Your contact details as the city holds them (including records later joined "
                "to them); every case you reported, from any channel, with what you told us, "
                "its public history, the answer and your feedback; the cases you follow by "
                "email; and every time a staff member looked at your personal data, with who "
                "and why (GDPR art. 15)."
            ),
            "left_out": _(
                "Internal notes and working documents of the staff are not included: they are "
                "part of the city's administrative file. Ask the data protection contact above "
                "for them, or for anything else about how your data is used."
            ),
            **(
                {
                    "restricted": _(
                        "The processing of some of your data is restricted (GDPR art. 18): it "
                        "is not in this file. Ask the data protection contact above for it."
                    )
                }
                if restricted
                else {}
            ),
        },
        "contacts": [
            _contact(contact)
            for contact in Contact.objects.filter(
                pk__in=contact_ids, restricted_at__isnull=True
            ).order_by("pk")
        ],
        "cases": [_case(case, stopped) for case in cases],
        "following": [
            {"case": follow.case.number, "email": follow.email, "since": _when(follow.since)}
            for follow in following
        ],
        "views_by_staff": [
            {"at": _when(view.at), "staff_member": str(view.user), "what": view.what}
            for view in views
        ],
    }
