"""A resident's reply by email to Cetate's mail about their case, added to that case.

The reply is the resident's new input: a case waiting for it resumes, a resolved or closed
case is reopened (or, where MAIL_REPLY_TO_CLOSED says "new", the reply opens a new case linked
to it, see cetate/mail/pipeline.py). Nothing is mailed back: a reply is never answered
automatically.

The case is marked as having an unread reply until someone on staff reads it: the officer
holding it or the head of its department opening its card, or any member of staff acting on it
(a note, a message to the resident, a change of status, each made from a card that showed the
reply). Its officer (or, when nobody holds it, its department's heads) is mailed, at most once
an hour per case (cetate/cases/reply_notice.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cetate.accounts.access import case_roles
from cetate.accounts.models import User
from cetate.accounts.roles import Role
from cetate.cases.choices import EventKind
from cetate.cases.errors import DomainError
from cetate.cases.filestore import StoredFile, written_first
from cetate.cases.models import Case
from cetate.cases.reply_notice import reply_notice_recipients
from cetate.cases.services import decisions
from cetate.cases.services._core import append_event, locked_case, move, store_attachment
from cetate.cases.services.actions import unpause
from cetate.cases.services.reminders import mail_staff_on_commit
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
    now = clock.now()
    recipients = reply_notice_recipients(case, now)
    event = append_event(
        case,
        EventKind.RESIDENT_REPLIED,
        actor=None,
        text=shown,
        data={
            "sender": sender,
            "subject": plain_text(subject).strip(),
            "text": text,
            **({"refused": refused} if refused else {}),
            # The staff mailed about it; none within an hour of an earlier reply's mail.
            **({"recipients": recipients} if recipients else {}),
        },
    )
    if case.unread_reply_at is None:
        case.unread_reply_at = now
    if recipients:
        mail_staff_on_commit(event, at=now)
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


def mark_reply_read(*, case_id: int, reader: User) -> bool:
    """The case's unread reply is read when the officer holding the case, or a head of its
    department, opens it; whether there was one. Anyone else may look without taking the reply
    off its officer's list.

    Nothing is added to the history: reading changes nothing anyone works on, and the opening
    of the card is logged with the resident's personal data it shows. The flag is cleared
    before the card is drawn, so a reply arriving meanwhile is either on the card or still
    marked unread."""
    unread = Case.objects.filter(pk=case_id, unread_reply_at__isnull=False)
    case = unread.first()
    if case is None or not _reads_replies(reader, case):
        return False
    # A row-level update: no lock held for the page's sake, no other field written.
    return bool(unread.update(unread_reply_at=None))


def _reads_replies(reader: User, case: Case) -> bool:
    if case.assignee_id is not None and case.assignee_id == reader.pk:
        return True
    return Role.DEPARTMENT_HEAD in case_roles(reader, case)
