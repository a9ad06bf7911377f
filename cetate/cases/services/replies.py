"""A resident's reply by email to Cetate's mail about their case, added to that case.

The reply is the resident's new input: a case waiting for it resumes, a resolved or closed
case is reopened (or, where MAIL_REPLY_TO_CLOSED says "new", the reply opens a new case linked
to it, see cetate/mail/pipeline.py). Nothing is mailed back: a reply is never answered
automatically.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cetate.cases.choices import EventKind
from cetate.cases.errors import DomainError
from cetate.cases.filestore import StoredFile, written_first
from cetate.cases.models import Case
from cetate.cases.services import decisions
from cetate.cases.services._core import append_event, locked_case, move, store_attachment
from cetate.cases.services.actions import unpause
from cetate.cases.services.terms import restore_internal_due
from cetate.cases.uploads import CleanFile, RejectedUpload, Upload, clean_upload
from cetate.cases.workflow import Action, Status
from cetate.lib import clock
from cetate.lib.text import plain_text

# A case in one of these takes no more input: a reply to it is a letter of its own.
NOT_TAKING_REPLIES = frozenset({Status.CANCELLED, Status.MERGED})
FINISHED = frozenset({Status.RESOLVED, Status.CLOSED})


def reply_opens_new_case(case: Case) -> bool:
    """Whether a reply about `case` is registered as a new case instead of joining it."""
    if case.status in NOT_TAKING_REPLIES:
        return True
    return case.status in FINISHED and settings.MAIL_REPLY_TO_CLOSED == "new"


def record_resident_reply(
    *,
    case_id: int,
    sender: str,
    subject: str,
    text: str,
    shown: str,
    attachments: Sequence[Upload | CleanFile] = (),
) -> Case:
    """Add the resident's reply to the case: the text without what it quotes as the event's
    text, the whole text in its data, its files checked as the portal checks them (and
    written to storage before the case's transaction opens)."""
    with written_first(attachments, keep_refused=True) as prepared:
        return _record_reply(
            case_id=case_id,
            sender=sender,
            subject=subject,
            text=text,
            shown=shown,
            attachments=prepared,
        )


@transaction.atomic
def _record_reply(
    *,
    case_id: int,
    sender: str,
    subject: str,
    text: str,
    shown: str,
    attachments: Sequence[Upload | StoredFile],
) -> Case:
    case = locked_case(case_id)
    if case.status in NOT_TAKING_REPLIES:
        raise DomainError(
            _("Case %(number)s is “%(status)s” and takes no replies.")
            % {"number": case.number, "status": Status(case.status).label}
        )
    text = plain_text(text).strip()
    shown = plain_text(shown).strip() or text
    refused: list[str] = []
    files: list[StoredFile] = []
    for upload in attachments:
        if isinstance(upload, StoredFile):
            files.append(upload)
            continue
        try:
            clean_upload(upload)
        except RejectedUpload as refusal:
            refused.append(str(refusal))
    if refused:
        # Told where the officer reads the reply (the same words as a new letter's).
        shown += (
            "\n\n"
            + _("Files of the message not kept with the case:")
            + "\n"
            + "\n".join(f"- {reason}" for reason in refused)
        )
    append_event(
        case,
        EventKind.RESIDENT_REPLIED,
        actor=None,
        text=shown,
        data={
            "sender": sender,
            "subject": plain_text(subject).strip(),
            "text": text,
            **({"refused": refused} if refused else {}),
        },
    )
    for file in files:
        store_attachment(case, file, actor=None)
    reason = _("The resident replied by email.")
    if case.status == Status.WAITING:
        # The input the case waited for has come.
        move(case, Action.RESUME, actor=None, text=reason, public=False)
        if case.waiting_since is not None:
            unpause(case, clock.now())
    elif case.status in FINISHED:
        move(case, Action.REOPEN, actor=None, text=reason, public=False)
        restore_internal_due(case)
        append_event(case, EventKind.REOPENED, actor=None, text=reason)
        case.resolved_at = None
        case.reopened_at = clock.now()
        decisions.clear(case)
        case.feedback, case.feedback_at = "", None
    case.save()
    return case
