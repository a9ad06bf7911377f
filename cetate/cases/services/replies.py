"""A reply by email to Cetate's mail about a case, added to that case as who wrote it.

The resident's reply is their new input: a case waiting for it resumes, a resolved or closed
case is reopened (or, where MAIL_REPLY_TO_CLOSED says "new", the reply opens a new case linked
to it, see cetate/mail/pipeline.py). The mail about a case also goes to the organisation it was
redirected to and to its followers, and residents pass it on: an answer from anyone else joins
the case for its officer to read, recorded as theirs (the organisation's, or someone else's),
and moves nothing. Nothing is mailed back: a reply is never answered automatically.

The case is marked as having an unread reply, whoever wrote it, until someone on staff reads
it: the officer holding it or the head of its department opening its card, or any member of
staff acting on it (a note, a message to the resident, a change of status, each made from a
card that showed the reply). Its officer (or, when nobody holds it, its department's heads) is
mailed, at most once an hour per case (cetate/cases/reply_notice.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cetate.accounts.access import case_roles
from cetate.accounts.models import User
from cetate.accounts.roles import Role
from cetate.cases.choices import EventKind, ReplyAuthor
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
from cetate.directory.models import Department
from cetate.lib import clock
from cetate.lib.text import plain_text

# A case in one of these takes no more input: a reply to it is a letter of its own.
NOT_TAKING_REPLIES = frozenset({Status.CANCELLED, Status.MERGED})
FINISHED = frozenset({Status.RESOLVED, Status.CLOSED})


KIND_OF_REPLY = {
    ReplyAuthor.RESIDENT: EventKind.RESIDENT_REPLIED,
    ReplyAuthor.ORGANISATION: EventKind.ORGANISATION_REPLIED,
    ReplyAuthor.OTHER: EventKind.OTHERS_REPLIED,
}


def reply_opens_new_case(case: Case, author: ReplyAuthor | str = ReplyAuthor.RESIDENT) -> bool:
    """Whether a reply about `case` is registered as a new case instead of joining it.

    Only the resident's reply reopens a finished case, so only theirs opens a new one in its
    stead; anyone else's joins the case for its officer to read."""
    if case.status in NOT_TAKING_REPLIES:
        return True
    return (
        author == ReplyAuthor.RESIDENT
        and case.status in FINISHED
        and settings.MAIL_REPLY_TO_CLOSED == "new"
    )


def author_of_reply(
    case: Case, sender: str, *, answers_forwarding: bool = False
) -> tuple[ReplyAuthor, Department | None]:
    """Who wrote a reply about `case` from the address `sender`: its resident, the
    organisation it was redirected to (from that organisation's address, or answering the
    mail that forwarded the case, which went to it alone), or someone else."""
    sender = sender.strip().lower()
    reporter = case.reporter
    while reporter is not None and reporter.merged_into_id is not None:
        reporter = reporter.merged_into
    if sender and reporter is not None and reporter.email.strip().lower() == sender:
        return ReplyAuthor.RESIDENT, None
    redirected = case.events.filter(kind=EventKind.REDIRECTED).order_by("-seq")
    organisation_ids = [event.data.get("department") for event in redirected]
    organisations = Department.objects.in_bulk([pk for pk in organisation_ids if pk])
    ordered = [organisations[pk] for pk in organisation_ids if pk in organisations]
    for organisation in ordered:
        if sender and organisation.email.strip().lower() == sender:
            return ReplyAuthor.ORGANISATION, organisation
    if answers_forwarding and ordered:
        return ReplyAuthor.ORGANISATION, ordered[0]
    return ReplyAuthor.OTHER, None


def record_resident_reply(
    *,
    case_id: int,
    sender: str,
    subject: str,
    text: str,
    shown: str,
    attachments: Sequence[Upload | CleanFile] = (),
) -> Case:
    """Add the resident's reply to the case (see record_reply)."""
    return record_reply(
        case_id=case_id,
        author=ReplyAuthor.RESIDENT,
        sender=sender,
        subject=subject,
        text=text,
        shown=shown,
        attachments=attachments,
    )


def record_reply(
    *,
    case_id: int,
    author: ReplyAuthor | str,
    sender: str,
    subject: str,
    text: str,
    shown: str,
    attachments: Sequence[Upload | CleanFile] = (),
    organisation: Department | None = None,
) -> Case:
    """Add a reply by email to the case, as `author`'s: the text without what it quotes as
    the event's text, the whole text in its data, its files checked as the portal checks
    them (and written to storage before the case's transaction opens). Only the resident's
    moves the case (resumes or reopens it)."""
    with written_first(attachments, keep_refused=True) as prepared:
        return _record_reply(
            case_id=case_id,
            author=ReplyAuthor(author),
            sender=sender,
            subject=subject,
            text=text,
            shown=shown,
            attachments=prepared,
            organisation=organisation,
        )


@transaction.atomic
def _record_reply(
    *,
    case_id: int,
    author: ReplyAuthor,
    sender: str,
    subject: str,
    text: str,
    shown: str,
    attachments: Sequence[Upload | StoredFile],
    organisation: Department | None,
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
        KIND_OF_REPLY[author],
        actor=None,
        text=shown,
        data={
            "sender": sender,
            "author": author.value,
            **(
                {"organisation": organisation.pk, "organisation_name": organisation.name}
                if organisation is not None
                else {}
            ),
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
    if author != ReplyAuthor.RESIDENT:
        # Read by the case's officer; the case waits, or stays finished, for its resident.
        case.save()
        return case
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
