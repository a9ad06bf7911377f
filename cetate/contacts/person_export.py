"""The data protection officer's complete export of one person's data, as one ZIP file.

`personal-data.json` holds the person's contact records (merged ones included), each of their
cases with every event, public or internal, the calls from or to their numbers, the messages
and notifications the city sent them, the messages the city received by mail from their
addresses or about their cases, their feedback, the cases they follow by email and the log of
staff who looked at their data; `attachments/` holds the files of their cases and `mail/` those
messages as received (.eml). Nothing
of another person's cases or calls is in it. The resident's own export (the portal's JSON)
stays as it is; this one also works while the person's data is restricted.

Every export is recorded: an event on each of the person's cases and a row in the log of views
of personal data. The files are read from storage after that record has committed.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils.text import get_valid_filename

from cetate.accounts.models import User
from cetate.cases.choices import EventKind
from cetate.cases.models import Case, Event
from cetate.cases.services.anonymisation import record_data_protection
from cetate.contacts.models import Contact, PersonalDataView
from cetate.contacts.protection import DataProtectionAction, Person, check_officer, person_of
from cetate.contacts.services import record_personal_data_view
from cetate.lib import clock


@dataclass(frozen=True)
class PersonExport:
    filename: str
    content: bytes


def export_person(*, contact_id: int, actor: User, note: str = "") -> PersonExport:
    """Record the export on each of the person's cases, then build the ZIP."""
    check_officer(actor)
    with transaction.atomic():
        person = person_of(contact_id)
        for case in person.cases().filter(anonymised_at__isnull=True):
            record_data_protection(
                case_id=case.pk,
                actor=actor,
                action=DataProtectionAction.EXPORTED,
                note=note.strip()[:300],
            )
        record_personal_data_view(
            user=actor, contact=person.contact, what="data protection: complete export"
        )
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    return PersonExport(
        filename=f"personal-data-{person.contact.pk}-{stamp}.zip",
        content=person_zip(person, exported_by=actor),
    )


def person_zip(person: Person, *, exported_by: User) -> bytes:
    cases = list(person.cases().prefetch_related("attachments"))
    files: list[tuple[str, FieldFile]] = []
    data = {
        "about": {
            "controller": settings.CITY_NAME,
            "data_protection_contact": settings.DATA_PROTECTION_EMAIL,
            "exported_at": clock.now().isoformat(),
            "exported_by": str(exported_by),
            "contents": (
                "The person's contact records, every case they reported with all its events, "
                "the calls from or to their numbers, the messages and notifications sent to "
                "them, their feedback, the cases they follow and the log of staff who looked "
                "at their data, and the messages received by mail from their addresses or about "
                "their cases; the cases' documents are in attachments/, the messages as received "
                "in mail/."
            ),
        },
        "contacts": [_contact(contact) for contact in person.contacts],
        "cases": [_case(case, files) for case in cases],
        "calls": [_call(call) for call in _calls(person)],
        "messages": _messages(cases),
        "mail_received": _mail_received(person, cases, files),
        "notifications": _notifications(cases),
        "feedback": _feedback(cases),
        "following": _following(person),
        "views_by_staff": _views(person),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "personal-data.json", json.dumps(data, ensure_ascii=False, indent=2, default=_json)
        )
        for path, file in files:
            try:
                with file.open("rb") as handle:
                    archive.writestr(path, handle.read())
            except OSError:
                archive.writestr(f"{path}.missing.txt", "The file is no longer in storage.\n")
    return buffer.getvalue()


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


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
        "restricted_since": contact.restricted_at,
        "restriction_note": contact.restriction_note,
        "created_at": contact.created_at,
        "updated_at": contact.updated_at,
    }


def _case(case: Case, files: list[tuple[str, FieldFile]]) -> dict[str, Any]:
    folder = f"attachments/{case.registration_number}-{case.registration_year}"
    attachments = []
    for attachment in case.attachments.all():
        path = f"{folder}/{attachment.pk}-{get_valid_filename(attachment.original_name) or 'file'}"
        files.append((path, attachment.file))
        attachments.append(
            {
                "name": attachment.original_name,
                "type": attachment.content_type,
                "size": attachment.size,
                "added_at": attachment.created_at,
                "published": attachment.public,
                "file": path,
            }
        )
    return {
        "number": case.number,
        "tracking_code": case.tracking_code,
        "registered_at": case.registered_at,
        "kind": case.kind,
        "received_through": case.channel,
        "answer_by": case.answer_channel,
        "language": case.language,
        "reporter_contact": case.reporter_id,
        "category": case.category.full_label if case.category else None,
        "department": case.department.label if case.department else None,
        "status": case.status,
        "status_changed_at": case.status_changed_at,
        "legal_deadline": case.legal_due,
        "resolved_at": case.resolved_at,
        "summary": case.title,
        "description": case.description,
        "answers_to_questions": case.answers,
        "address": case.address,
        "latitude": case.latitude,
        "longitude": case.longitude,
        "answer": case.answer,
        "feedback": case.feedback,
        "feedback_at": case.feedback_at,
        "attachments": attachments,
        "events": [_event(event) for event in case.events.select_related("actor")],
    }


def _event(event: Event) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at,
        "what": event.kind,
        "by": str(event.actor) if event.actor else None,
        "shown_to_the_resident": event.public,
        "from_status": event.from_status or None,
        "to_status": event.to_status or None,
        "text": event.text,
        "details": event.data,
    }


def _calls(person: Person) -> list[Any]:
    """Calls recorded against the person, and calls from or to their numbers recorded against
    no one: never a call of another person about one of their cases."""
    mine = Q(contact_id__in=person.ids)
    if person.phones:
        mine |= Q(contact__isnull=True, resident_phone__in=person.phones)
    calls = apps.get_model("telephony", "Call").objects.filter(mine)
    return list(calls.select_related("staff", "case").order_by("started_at", "pk"))


def _call(call: Any) -> dict[str, Any]:
    return {
        "started_at": call.started_at,
        "direction": call.direction,
        "number": call.resident_number,
        "answered_at": call.answered_at,
        "ended_at": call.ended_at,
        "extension": call.extension,
        "answered_by": str(call.staff) if call.staff else None,
        "case": call.case.number if call.case else None,
    }


def _messages(cases: list[Case]) -> list[dict[str, Any]]:
    """What the city wrote to the person: every text of their cases' public history."""
    events = Event.objects.filter(case__in=cases, public=True).exclude(text="")
    return [
        {"case": event.case.number, "at": event.at, "what": event.kind, "text": event.text}
        for event in events.select_related("case").order_by("at", "pk")
    ]


def _mail_received(
    person: Person, cases: list[Case], files: list[tuple[str, FieldFile]]
) -> list[dict[str, Any]]:
    """The messages that came from the person's addresses, or about their cases, each with
    its file as received while it is kept."""
    mine = Q(case__in=cases)
    for email in person.emails:
        mine |= Q(sender__iexact=email)
    messages = apps.get_model("mail", "InboundMessage").objects.filter(mine)
    received = []
    for message in messages.select_related("case").order_by("received_at", "pk"):
        path = None
        if message.raw.name:
            path = f"mail/{message.received_at:%Y%m%d-%H%M%S}-{message.pk}.eml"
            files.append((path, message.raw))
        received.append(
            {
                "received_at": message.received_at,
                "sender": message.sender,
                "subject": message.subject,
                "message_id": message.message_id,
                "what_became_of_it": message.outcome,
                "case": message.case.number if message.case else None,
                "file": path,
            }
        )
    return received


def _notifications(cases: list[Case]) -> list[dict[str, Any]]:
    events = Event.objects.filter(case__in=cases, kind=EventKind.NOTIFICATION_SENT)
    return [
        {
            "case": event.case.number,
            "at": event.at,
            "channel": event.data.get("channel"),
            "recipient": event.data.get("recipient"),
        }
        for event in events.select_related("case").order_by("at", "pk")
    ]


def _feedback(cases: list[Case]) -> list[dict[str, Any]]:
    events = Event.objects.filter(case__in=cases, kind=EventKind.FEEDBACK)
    return [
        {
            "case": event.case.number,
            "at": event.at,
            "answer": event.data.get("feedback"),
            "comment": event.text,
        }
        for event in events.select_related("case").order_by("at", "pk")
    ]


def _following(person: Person) -> list[dict[str, Any]]:
    if not person.emails:
        return []
    emails = Q()
    for email in person.emails:
        emails |= Q(email__iexact=email)
    follows = apps.get_model("portal", "Follower").objects.filter(emails)
    return [
        {"case": follow.case.number, "email": follow.email, "since": follow.since}
        for follow in follows.select_related("case").order_by("since", "pk")
    ]


def _views(person: Person) -> list[dict[str, Any]]:
    views = PersonalDataView.objects.filter(contact_id__in=person.ids).select_related("user")
    return [
        {"at": view.at, "staff_member": str(view.user), "what": view.what}
        for view in views.order_by("at", "pk")
    ]
