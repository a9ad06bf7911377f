"""The registration receipt handed to a resident: what was registered, by when it is answered,
and how to follow it. It promises the city's internal due date ("we answer by") and states the
law's term beside it. One content, two forms: the console's printable page and a PDF.

Texts follow the active language: the PDF is rendered in the language of the request, the page
in the staff member's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

import segno
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from cetate.cases.choices import PETITION_KINDS, EventKind, Kind
from cetate.cases.deadlines import (
    ADMINISTRATIVE_COMPLAINT_DAYS,
    CITY_TZ,
    INFORMATION_COMPLEX_DAYS,
    INFORMATION_DAYS,
    PETITION_DAYS,
)
from cetate.cases.models import Attachment, Case
from cetate.cases.notifications import tracking_url
from cetate.cases.pdf import (
    DATE_FORMAT,
    DATE_TIME_FORMAT,
    case_language,
    city_header,
    details_table,
    render_pdf,
    styles,
    tracking_block,
)
from cetate.cases.workflow import Status

SUMMARY_CHARS = 300


@dataclass(frozen=True)
class Document:
    """A document handed in with the registration (scanned at the desk): its file's name and,
    when it can be told, how many pages it has."""

    name: str
    pages: int | None

    def __str__(self) -> str:
        if self.pages is None:
            return self.name
        return ngettext("%(name)s (%(pages)d page)", "%(name)s (%(pages)d pages)", self.pages) % {
            "name": self.name,
            "pages": self.pages,
        }


@dataclass(frozen=True)
class Receipt:
    """What a registration receipt says, in the language active when it was built."""

    city_name: str
    number: str
    registered_at: datetime
    kind: str
    category: str
    summary: str
    resident: str
    legal_due: date | None
    # The date the city promises to answer by: the internal due date.
    answer_due: date | None
    legal_basis: str
    answer_by: str
    tracking_code: str
    tracking_url: str
    next_steps: str
    cancelled: bool
    documents: tuple[Document, ...]
    # (label, text) of each detail stated, in order; labelled when built, in the same language.
    rows: tuple[tuple[str, str], ...]


def legal_basis(case: Case) -> str:
    """The term the law gives this case and where it says so; for a question, that it has none."""
    service = case.service
    if service is not None and service.term_days and case.legal_due is not None:
        return _("%(days)d days from registration (the legal term of the service)") % {
            "days": service.term_days
        }
    if case.contests_id is not None and case.legal_due is not None:
        return _("%(days)d days from registration (Law 544/2001, art. 21)") % {
            "days": ADMINISTRATIVE_COMPLAINT_DAYS
        }
    if case.kind in PETITION_KINDS and case.legal_due is not None:
        basis = _("%(days)d days from registration (OG 27/2002, art. 8)") % {"days": PETITION_DAYS}
        if case.legal_extended_days:
            days = case.legal_extended_days
            basis += "; " + ngettext(
                "extended by %(days)d day (OG 27/2002, art. 9)",
                "extended by %(days)d days (OG 27/2002, art. 9)",
                days,
            ) % {"days": days}
        return basis
    if case.kind == Kind.INFORMATION and case.legal_due is not None:
        days = INFORMATION_DAYS + case.legal_extended_days
        if days >= INFORMATION_COMPLEX_DAYS:
            return _(
                "%(days)d days from registration for a complex request (Law 544/2001, art. 7)"
            ) % {"days": days}
        return _("%(days)d days from registration (Law 544/2001, art. 7)") % {"days": days}
    return _("No legal deadline: a question is answered at first contact.")


def _next_steps(case: Case) -> str:
    if case.status == Status.CANCELLED:
        return _("This registration was cancelled; the number stays in the register.")
    if case.kind == Kind.INQUIRY:
        return _("The question was answered at first contact; this receipt records it.")
    return _(
        "The case goes to the department responsible, which answers by the date above. "
        "Follow its progress with the tracking code at the address above, or scan the QR code."
    )


def _legal_deadline(case: Case, basis: str) -> str:
    if case.legal_due is None:
        return basis
    return f"{case.legal_due.strftime(DATE_FORMAT)} – {basis}"


def _promised(case: Case) -> str:
    if case.internal_due is None or case.status == Status.CANCELLED:
        return ""
    return case.internal_due.strftime(DATE_FORMAT)


def registered_documents(case: Case) -> tuple[Document, ...]:
    """The documents handed in with the registration, in the order they were given."""
    attachment_ids = [
        data["attachment"]
        for data in case.events.filter(
            kind=EventKind.ATTACHMENT, data__with_registration=True
        ).values_list("data", flat=True)
    ]
    attachments = {a.pk: a for a in Attachment.objects.filter(case=case, pk__in=attachment_ids)}
    return tuple(
        Document(name=attachments[pk].original_name, pages=_pages(attachments[pk]))
        for pk in attachment_ids
        if pk in attachments
    )


# A file sent as one of the documents a service asks for is named after it: "<code>__<name>".
SERVICE_DOCUMENT_SEPARATOR = "__"


def service_document_name(code: str, file_name: str) -> str:
    """The name a file sent as the service's document `code` is kept under."""
    return f"{code}{SERVICE_DOCUMENT_SEPARATOR}{file_name}"


def named_documents(case: Case, documents: tuple[Document, ...]) -> tuple[str, ...]:
    """The documents received, each named after the service's document it was sent as."""
    if case.service is None:
        return tuple(str(document) for document in documents)
    names = {doc.code: doc.label for doc in case.service.request_documents.all()}
    lines = []
    for document in documents:
        code, separator, file_name = document.name.partition(SERVICE_DOCUMENT_SEPARATOR)
        if separator and code in names:
            shown = Document(name=file_name, pages=document.pages)
            lines.append(f"{names[code]}: {shown}")
        else:
            lines.append(str(document))
    return tuple(lines)


def _pages(attachment: Attachment) -> int | None:
    """An image is one page; a PDF has as many as it says; anything unreadable, unknown."""
    if attachment.content_type.startswith("image/"):
        return 1
    if attachment.content_type != "application/pdf":
        return None
    try:
        with attachment.file.open("rb") as file:
            return len(PdfReader(io.BytesIO(file.read())).pages)
    except (OSError, PdfReadError, ValueError, KeyError, TypeError):
        return None


def build_receipt(case: Case) -> Receipt:
    """The receipt of `case` in the active language."""
    summary = case.title or Truncator(" ".join(case.description.split())).chars(SUMMARY_CHARS)
    registered_at = case.registered_at.astimezone(CITY_TZ)
    category = case.category.full_label if case.category else ""
    service = str(case.service) if case.service else ""
    resident = case.reporter.name if case.reporter else ""
    basis = legal_basis(case)
    # An anonymous report gets no answer, only its tracking page.
    answers = case.kind != Kind.INQUIRY and case.reporter is not None
    answer_by = case.get_answer_channel_display() if answers else ""
    documents = registered_documents(case)
    rows = (
        (_("Registration number"), case.number),
        (_("Registered on"), registered_at.strftime(DATE_TIME_FORMAT)),
        (_("Kind"), case.get_kind_display()),
        (_("Category"), category),
        (_("Service"), service),
        (_("Summary"), summary),
        (_("Resident"), resident),
        (_("We answer by"), _promised(case)),
        (_("Legal deadline"), _legal_deadline(case, basis)),
        (_("Answer by"), answer_by),
        (_("Documents submitted"), "\n".join(named_documents(case, documents))),
    )
    return Receipt(
        city_name=settings.CITY_NAME,
        number=case.number,
        registered_at=registered_at,
        kind=case.get_kind_display(),
        category=category,
        summary=summary,
        resident=resident,
        legal_due=case.legal_due,
        answer_due=case.internal_due,
        legal_basis=basis,
        answer_by=answer_by,
        tracking_code=case.tracking_code,
        tracking_url=tracking_url(case),
        next_steps=_next_steps(case),
        cancelled=case.status == Status.CANCELLED,
        documents=documents,
        rows=tuple((label, text) for label, text in rows if text),
    )


def grouped_code(code: str, *, longest: int = 4) -> list[str]:
    """The tracking code cut into even groups of at most `longest` characters, to read out
    ("7KQ2MXA9PT" → ["7KQ2", "MXA", "9PT"]); the portal takes it with or without the spaces."""
    if not code:
        return []
    count = -(-len(code) // longest)
    size, extra = divmod(len(code), count)
    groups, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        groups.append(code[start:end])
        start = end
    return groups


def qr_svg(url: str, *, title: str) -> SafeString:
    """The QR code of `url` as inline SVG, named for screen readers."""
    svg: str = segno.make(url, error="m").svg_inline(scale=5, border=2, title=title)
    # segno writes the markup itself and escapes the title.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


def _story(receipt: Receipt) -> list[Flowable]:
    style = styles()
    story: list[Flowable] = [
        city_header(style, subtitle=_("Registry")),
        Spacer(1, 8 * mm),
        Paragraph(escape(_("Registration receipt")), style["title"]),
        Spacer(1, 4 * mm),
    ]
    if receipt.cancelled:
        story += [Paragraph(escape(_("REGISTRATION CANCELLED")), style["alert"]), Spacer(1, 3 * mm)]
    story += [
        details_table(receipt.rows, style, label_width=48 * mm),
        Spacer(1, 8 * mm),
        tracking_block(
            code=receipt.tracking_code,
            url=receipt.tracking_url,
            note=receipt.next_steps,
            style=style,
        ),
        Spacer(1, 10 * mm),
        Paragraph(
            escape(_("Keep this receipt: its number and tracking code identify your case.")),
            style["small"],
        ),
    ]
    return story


def receipt_pdf(case: Case) -> bytes:
    """The receipt of `case` as a one-page A4 PDF, in the language of the request."""
    language = case_language(case)
    with translation.override(language):
        receipt = build_receipt(case)
        return render_pdf(
            _story(receipt),
            title=_("Registration receipt %(number)s") % {"number": receipt.number},
            language=language,
        )
