"""The summary staff publish for the public, shown instead of the resident's words where the
case's category says so (cetate/cases/publication)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cetate.accounts.models import User
from cetate.cases.choices import EventKind
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.cases.services._core import append_event, authorise, locked_case
from cetate.cases.workflow import Permission
from cetate.lib.text import plain_text

SUMMARY_LIMIT = 1000


@transaction.atomic
def publish_summary(
    *, case_id: int, actor: User | None, text: str, seen: int | None = None
) -> Case:
    """Publish `text` as what the public reads of the case; an empty text withdraws it.

    The summary is staff's own words, never sent to the resident; publishing the same text
    again records nothing.
    """
    case = locked_case(case_id, seen=seen)
    authorise(actor, case, Permission.PUBLISH)
    text = plain_text(text).strip()
    if len(text) > SUMMARY_LIMIT:
        raise DomainError(
            ngettext(
                "The summary may have at most %(limit)d character.",
                "The summary may have at most %(limit)d characters.",
                SUMMARY_LIMIT,
            )
            % {"limit": SUMMARY_LIMIT}
        )
    if not text and not case.public_summary:
        raise DomainError(_("The summary is empty."))
    if text == case.public_summary:
        return case
    append_event(
        case,
        EventKind.SUMMARY_PUBLISHED,
        actor=actor,
        text=text,
        # Public: the public reads it; it is not a message and is not mailed to the resident.
        public=True,
        data={"withdrawn": not text},
    )
    case.public_summary = text
    case.save()
    return case
