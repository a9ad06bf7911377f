"""One line of the register of entries and exits per registration, as the page and every export
show it (Ordin 217/1996): the entry (number, date, sender, the sender's own number and date,
channel, summary, pages and annexes), its way through the city hall (department, officer, the
day they received it) and its exit (outcome and legal basis, the day and way the answer left,
to whom), with the case it was joined to and the file it is kept in.

The summary is the kind, the category and the case's short title — never the resident's whole
text. An anonymised case keeps its line without a word about its people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cetate.cases.models import Case
from cetate.cases.workflow import Status


@dataclass(frozen=True)
class RegisterRow:
    case_id: int
    number: str
    registered_at: datetime
    cancelled: bool
    anonymised: bool
    sender: str
    sender_address: str
    sender_reference: str
    sender_reference_date: date | None
    channel: str
    kind: str
    category: str
    title: str
    pages: int | None
    annexes: int | None
    department: str
    officer: str
    handed_at: datetime | None
    outcome: str
    legal_basis: str
    sent_at: datetime | None
    sent_by: str
    recipient: str
    merged_into: str
    file_code: str
    file_code_name: str

    @property
    def summary(self) -> str:
        """Kind – category: title, as one line."""
        text = self.kind
        if self.category:
            text += f" – {self.category}"
        if self.title:
            text += f": {self.title}"
        return text


def register_row(case: Case) -> RegisterRow:
    """The register's line of `case`, read with its related rows (`register.SHOWN`)."""
    anonymised = case.anonymised_at is not None
    reporter = None if anonymised else case.reporter
    if anonymised:
        sender = _("personal data removed")
    elif reporter is None:
        sender = _("anonymous")
    else:
        sender = reporter.name or _("(no name)")
    address = ""
    if reporter is not None:
        address = " ".join(reporter.postal_address.split()) or reporter.email or reporter.phone
    recipient = case.redirected_to.label if case.redirected_to else ""
    if case.sent_to and not anonymised:
        recipient = case.sent_to
    return RegisterRow(
        case_id=case.pk,
        number=case.number,
        registered_at=timezone.localtime(case.registered_at),
        cancelled=case.status == Status.CANCELLED,
        anonymised=anonymised,
        sender=sender,
        sender_address=address,
        sender_reference=case.sender_reference,
        sender_reference_date=case.sender_reference_date,
        channel=str(case.get_channel_display()),
        kind=str(case.get_kind_display()),
        category=case.category.full_label if case.category else "",
        title=case.title,
        pages=case.pages,
        annexes=case.annexes,
        department=case.department.label if case.department else "",
        officer=str(case.assignee) if case.assignee else "",
        handed_at=_local(case.handed_at),
        outcome=str(case.get_outcome_display()) if case.outcome else "",
        legal_basis=case.legal_basis.citation if case.legal_basis else "",
        sent_at=_local(case.sent_at),
        sent_by=str(case.get_sent_by_display()) if case.sent_by else "",
        recipient=recipient,
        merged_into=case.merged_into.number if case.merged_into else "",
        file_code=case.file_code.code if case.file_code else "",
        file_code_name=case.file_code.label if case.file_code else "",
    )


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment else None
