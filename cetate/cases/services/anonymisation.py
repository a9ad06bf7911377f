"""Removing a resident's personal data from a closed case, and recording the data protection
officer's other actions on it.

Anonymising keeps what the statistics and the register need — number, kind, category,
department, area, channel, dates, statuses, deadlines and a location rounded to about 50 m —
and removes the rest: the reporter, the summary, description and answers, the answer's text,
the address past the street, every event's free text and the details of events that hold
personal data, the attachments (their files deleted from storage once the change commits),
the numbers of the calls about the case, the emails of its followers, the messages it came
by as received (their sender and subject at once, their bytes with the files) and whatever the
integrations kept of it. The reporter's contact is anonymised too when no case still holding
personal data needs it (`cetate.contacts.retention`).

Events are append-only; anonymisation alone rewrites their text and details, through
`Event.objects.redact_for_anonymisation`, and records an `anonymised` event. A case already
anonymised is left as it is: running again changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cetate.accounts.models import User
from cetate.cases import thumbnails
from cetate.cases.choices import EventKind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import DomainError
from cetate.cases.models import Attachment, Case, Event
from cetate.cases.publication.place import rounded
from cetate.cases.publication.text import street_only
from cetate.cases.services._core import append_event, authorise, locked_case
from cetate.cases.workflow import FINAL_STATUSES, Permission, Status
from cetate.contacts.retention import release_contact
from cetate.directory.retention import Retention, held_until, retention_of
from cetate.lib import clock


class Reason:
    RETENTION = "retention"
    ERASURE = "erasure"


# Event details that say how the work went, not who asked or what they said: they stay.
KEPT_DETAILS = frozenset(
    {
        "about",
        "action",
        "area",
        "area_name",
        "assignee",
        "assignee_name",
        "attachment",
        "case",
        "category",
        "channel",
        "closed",
        "data_protection",
        "deadline",
        "department",
        "department_name",
        "feedback",
        "file_code",
        "forward_by",
        "from",
        "into",
        "into_number",
        "answered_on_time",
        "information_topic",
        "kind",
        "late",
        "legal_basis",
        "legal_basis_citation",
        "number",
        "outcome",
        "priority",
        "reason",
        "sent_at",
        "service_due",
        "to",
        "type",
        "years",
    }
)
# Details kept on the grid of about 50 m: [old, new] coordinates of a relocation.
COARSE_DETAILS = frozenset({"latitude", "longitude"})


def redacted(event: Event) -> dict[str, Any]:
    """The details of `event` an anonymised case keeps."""
    kept: dict[str, Any] = {}
    for key, value in (event.data or {}).items():
        if key in KEPT_DETAILS:
            kept[key] = value
        elif key in COARSE_DETAILS:
            kept[key] = _coarse(value)
        elif key == "recipient" and event.kind == EventKind.FORWARDED:
            # An organisation's address, not a resident's.
            kept[key] = value
    return kept


def _coarse(value: Any) -> Any:
    if isinstance(value, list):
        return [_coarse(item) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return rounded(float(value))
    return None


def case_retention(case: Case) -> Retention:
    return retention_of(case.category, case.kind)


def retention_refusal(case: Case) -> str | None:
    """Why the retention job may not anonymise `case` now, or None when it may."""
    if case.status not in FINAL_STATUSES:
        return _("Case %(number)s is not closed.") % {"number": case.number}
    until = held_until(case.status_changed_at, case_retention(case).years)
    if clock.now().astimezone(CITY_TZ).date() < until:
        return _("Case %(number)s is kept until %(date)s.") % {
            "number": case.number,
            "date": date_format(until, "d.m.Y"),
        }
    return None


def erasure_refusal(case: Case) -> str | None:
    """Why an erasure request (GDPR art. 17) may not anonymise `case` now, or None.

    An open case is still owed its answer (OG 27/2002, Law 544/2001); a closed one whose file
    the law requires keeping stays until its term ends (GDPR art. 17 (3) (b)).
    """
    if case.status not in FINAL_STATUSES:
        return _(
            "Case %(number)s is not closed (%(status)s): the city must finish it and answer "
            "first; the register keeps it."
        ) % {"number": case.number, "status": Status(case.status).label}
    retention = case_retention(case)
    until = held_until(case.status_changed_at, retention.years)
    if retention.kept_by_law and clock.now().astimezone(CITY_TZ).date() < until:
        file_code = retention.file_code
        return _(
            "Case %(number)s must be kept until %(date)s (%(file)s, %(years)d years, kept by "
            "law): the register keeps it; its personal data is removed then."
        ) % {
            "number": case.number,
            "date": date_format(until, "d.m.Y"),
            "file": (
                _("file %(code)s of the archival nomenclature") % {"code": file_code.code}
                if file_code
                else _("the installation's retention")
            ),
            "years": retention.years,
        }
    return None


@transaction.atomic
def anonymise_case(*, case_id: int, actor: User | None, reason: str, note: str = "") -> Case:
    """Remove the personal data of a closed case past its term (`Reason.RETENTION`, by the
    system) or on an erasure request (`Reason.ERASURE`, by the data protection officer).

    Refused with a DomainError saying why when the case may not be anonymised now; a case
    already anonymised is returned unchanged. The attachments' files leave storage with
    `delete_anonymised_files` once this has committed (no storage call inside the
    transaction): the retention job calls it after each case, erasure on commit, and every
    retention run retries what a storage failure left.
    """
    case = locked_case(case_id)
    if case.anonymised_at is not None:
        return case
    authorise(actor, case, Permission.ANONYMISE)
    refusal = erasure_refusal(case) if reason == Reason.ERASURE else retention_refusal(case)
    if refusal:
        raise DomainError(refusal)
    retention = case_retention(case)
    reporter_id = case.reporter_id
    for event in case.events.all():
        kept = redacted(event)
        if event.text or kept != event.data:
            Event.objects.redact_for_anonymisation(event.pk, text="", data=kept)
    _forget_elsewhere(case)
    case.attachments.update(original_name="", sha256="")
    case.reporter = None
    case.title = case.description = case.answer = case.public_summary = ""
    # Where the answer went and why it was late may name the resident.
    case.sent_to = case.late_reason = ""
    case.answers = {}
    case.address = street_only(case.address)
    if case.latitude is not None and case.longitude is not None:
        case.latitude = rounded(case.latitude)
        case.longitude = rounded(case.longitude)
    case.anonymised_at = clock.now()
    append_event(
        case,
        EventKind.ANONYMISED,
        actor=actor,
        text=note.strip(),
        data={
            "reason": reason,
            "years": retention.years,
            "file_code": retention.file_code.code if retention.file_code else None,
            "closed": case.status_changed_at.date().isoformat(),
        },
    )
    case.save()
    if reporter_id is not None:
        release_contact(contact_id=reporter_id)
    return case


def _forget_elsewhere(case: Case) -> None:
    """What the telephony, the portal and the integrations kept about the case's people.

    Reached through the case's relations and the app registry: the register does not import
    the channels that keep these rows.
    """
    case.calls.update(from_number="", to_number="", resident_phone="", contact=None)
    # The messages as received: their bytes leave storage with the case's files.
    apps.get_model("mail", "InboundMessage").objects.filter(case=case).update(
        sender="", subject="", message_id=""
    )
    case.followers.all().delete()
    apps.get_model("open311", "Submission").objects.filter(case=case).update(
        media_url="", account_id="", device_id="", address_id=""
    )
    deliveries = apps.get_model("webhooks", "Delivery").objects.filter(event__case=case)
    for delivery in deliveries.exclude(payload={}):
        # The event's text and the case as the public saw it: both may quote the resident.
        event, shown = delivery.payload.get("event"), delivery.payload.get("case")
        if isinstance(event, dict) and event.get("text"):
            event["text"] = None
        if isinstance(shown, dict) and shown.get("published"):
            shown["published"] = None
        delivery.save(update_fields=["payload"])


def delete_anonymised_files(*, case_id: int | None = None) -> int:
    """Delete from storage the files of anonymised cases, then their rows, and the messages
    that came by mail about them, as received; returns how many.

    Runs after an anonymisation commits, and again with every retention run for any file a
    storage failure left behind: a row stays until its file is gone.
    """
    # Imported here: the register does not import the channels at load.
    from cetate.mail.retention import forget_messages_of_anonymised_cases

    attachments = Attachment.objects.filter(case__anonymised_at__isnull=False)
    if case_id is not None:
        attachments = attachments.filter(case_id=case_id)
    deleted = 0
    for attachment in attachments.only("pk", "file"):
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        thumbnails.forget(attachment.pk)
        Attachment.objects.filter(pk=attachment.pk).delete()
        deleted += 1
    return deleted + forget_messages_of_anonymised_cases(case_id=case_id)


@transaction.atomic
def record_data_protection(
    *, case_id: int, actor: User, action: str, note: str = "", details: dict[str, Any] | None = None
) -> Event:
    """Record on the case an action of the data protection officer that concerns it: an
    export of the person's data, a restriction or its end, a refused erasure."""
    case = locked_case(case_id)
    authorise(actor, case, Permission.RECORD_DATA_PROTECTION)
    event = append_event(
        case,
        EventKind.DATA_PROTECTION,
        actor=actor,
        text=note.strip(),
        data={"data_protection": action, **(details or {})},
    )
    case.save(update_fields=["last_event_seq", "updated_at"])
    return event
