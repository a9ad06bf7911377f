"""The details the register of entries and exits keeps of a registration (Ordin 217/1996):
the sender's own number and date, how many pages and annexes the document has, and the file
of the archival nomenclature it is kept in."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cetate.accounts.models import User
from cetate.cases.choices import EventKind
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.cases.services._core import append_event, authorise, locked_case
from cetate.cases.workflow import Permission
from cetate.directory.models import FileCode
from cetate.lib.text import plain_text

SENDER_REFERENCE_LIMIT = 60
# The register's pages and annexes columns are small counts; a larger one is a typing error.
MOST_PAGES = 9999


@transaction.atomic
def record_register_details(
    *,
    case_id: int,
    actor: User | None,
    sender_reference: str,
    sender_reference_date: date | None,
    pages: int | None,
    annexes: int | None,
    file_code: FileCode | None,
    seen: int | None = None,
) -> Case:
    """Set or correct the register's details of a case; each change is recorded with its
    old and new value in one `register_details` event. Nothing is recorded when nothing
    changes."""
    case = locked_case(case_id, seen=seen)
    authorise(actor, case, Permission.EDIT)
    reference = plain_text(sender_reference).strip()
    if len(reference) > SENDER_REFERENCE_LIMIT:
        raise DomainError(
            _("The sender's number may have at most %(n)d characters.")
            % {"n": SENDER_REFERENCE_LIMIT}
        )
    for count in (pages, annexes):
        if count is not None and not 0 <= count <= MOST_PAGES:
            raise DomainError(
                _("Pages and annexes are counted from 0 to %(n)d.") % {"n": MOST_PAGES}
            )
    changes: dict[str, Any] = {}
    if reference != case.sender_reference:
        changes["sender_reference"] = [case.sender_reference, reference]
        case.sender_reference = reference
    if sender_reference_date != case.sender_reference_date:
        changes["sender_reference_date"] = [
            _day(case.sender_reference_date),
            _day(sender_reference_date),
        ]
        case.sender_reference_date = sender_reference_date
    if pages != case.pages:
        changes["pages"] = [case.pages, pages]
        case.pages = pages
    if annexes != case.annexes:
        changes["annexes"] = [case.annexes, annexes]
        case.annexes = annexes
    new_code = file_code.pk if file_code else None
    if new_code != case.file_code_id:
        changes["file_code"] = [
            case.file_code.code if case.file_code else None,
            file_code.code if file_code else None,
        ]
        case.file_code = file_code
    if changes:
        append_event(case, EventKind.REGISTER_DETAILS, actor=actor, data=changes)
        case.save()
    return case


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None
