"""The register as files: PDF to print and file (A4 landscape, the header row on every page,
numbered pages), XLSX and CSV to work with in a spreadsheet.

CSV is streamed as the rows are read, whatever the size of the year. XLSX and PDF are built in
memory, so they hold at most `EXPORT_LIMIT` registrations — a month of a big city; a longer
period is exported as CSV, or in several periods.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from io import BytesIO
from itertools import islice

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cetate.cases.pdf import FONT, FONT_BOLD, GREY, RULE, city_header, styles
from cetate.lib import clock
from cetate.lib.spreadsheets import Cell, Sheet, csv_chunks, xlsx_bytes
from cetate.monitoring.register_rows import RegisterRow

EXPORT_LIMIT = 10_000
PAGE = landscape(A4)
MARGIN = 10 * mm


class TooManyRows(Exception):
    """The filtered register is longer than a PDF or XLSX file holds."""


def register_title(year: int) -> str:
    return _("Register of entries and exits %(year)d") % {"year": year}


def file_name(year: int, extension: str) -> str:
    return f"registru-{year}.{extension}"


def table_header() -> list[str]:
    """The spreadsheets' columns: one fact per column."""
    return [
        _("No."),
        _("Registered"),
        _("Registration cancelled"),
        _("Sender"),
        _("Sender's address"),
        _("Sender's number"),
        _("Sender's date"),
        _("Received through"),
        _("Kind"),
        _("Category"),
        _("Summary"),
        _("Pages"),
        _("Annexes"),
        _("Department"),
        _("Officer"),
        _("Handed to the department"),
        _("Outcome"),
        _("Legal basis"),
        _("Answer sent"),
        _("Sent by"),
        _("Recipient"),
        _("Joined to"),
        _("File code"),
    ]


def table_cells(row: RegisterRow) -> list[Cell]:
    return [
        row.number,
        row.registered_at,
        _("cancelled") if row.cancelled else "",
        row.sender,
        row.sender_address,
        row.sender_reference,
        row.sender_reference_date,
        row.channel,
        row.kind,
        row.category,
        row.title,
        row.pages,
        row.annexes,
        row.department,
        row.officer,
        row.handed_at,
        row.outcome,
        row.legal_basis,
        row.sent_at,
        row.sent_by,
        row.recipient,
        row.merged_into,
        row.file_code,
    ]


def bounded(rows: Iterable[RegisterRow]) -> list[RegisterRow]:
    """At most EXPORT_LIMIT rows, read one more to know; TooManyRows beyond."""
    kept = list(islice(rows, EXPORT_LIMIT + 1))
    if len(kept) > EXPORT_LIMIT:
        raise TooManyRows
    return kept


def register_csv(rows: Iterable[RegisterRow]) -> Iterator[bytes]:
    return csv_chunks(table_header(), (table_cells(row) for row in rows))


def register_xlsx(rows: Iterable[RegisterRow], *, year: int, filters: str) -> bytes:
    kept = bounded(rows)
    sheet = Sheet(
        title=str(year),
        header=table_header(),
        rows=(table_cells(row) for row in kept),
        preamble=[settings.CITY_NAME, register_title(year), *_about(filters)],
    )
    return xlsx_bytes([sheet])


def _about(filters: str) -> list[str]:
    made = timezone.localtime(clock.now()).strftime("%d.%m.%Y %H:%M")
    lines = [filters] if filters else []
    return [*lines, _("Made on %(when)s") % {"when": made}]


# The PDF's columns: (heading, width in mm); their widths fill the landscape page.
def _pdf_columns() -> list[tuple[str, float]]:
    return [
        (_("No."), 15),
        (_("Registered"), 16),
        (_("Sender"), 34),
        (_("Sender's no. and date"), 18),
        (_("Received through"), 15),
        (_("Summary"), 38),
        (_("Pages / annexes"), 12),
        (_("Department and officer"), 28),
        (_("Handed"), 15),
        (_("Outcome"), 24),
        (_("Answer sent"), 18),
        (_("Recipient"), 22),
        (_("Joined to"), 12),
        (_("File code"), 10),
    ]


def register_pdf(rows: Iterable[RegisterRow], *, year: int, filters: str) -> bytes:
    kept = bounded(rows)
    style = styles()
    cell = ParagraphStyle("register-cell", style["body"], fontSize=6.5, leading=8)
    head = ParagraphStyle("register-head", cell, fontName=FONT_BOLD)
    columns = _pdf_columns()
    data: list[list[Flowable | str]] = [[Paragraph(escape(h), head) for h, _w in columns]]
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.3, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    for index, row in enumerate(kept, start=1):
        data.append([Paragraph(text, cell) for text in _pdf_cells(row)])
        if row.cancelled:
            commands.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#f2f2f2")))
    if not kept:
        data.append([Paragraph(escape(_("No registration matches these filters.")), cell)])
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(
        data,
        colWidths=[width * mm for _h, width in columns],
        repeatRows=1,
        style=TableStyle(commands),
    )
    title = register_title(year)
    story: list[Flowable] = [
        city_header(style, subtitle=title),
        Spacer(1, 3 * mm),
        *[Paragraph(escape(line), style["small"]) for line in _about(filters)],
        Spacer(1, 3 * mm),
        table,
    ]
    return _render(story, title=title)


def _pdf_cells(row: RegisterRow) -> list[str]:
    """Each column's paragraph markup."""
    number = escape(row.number)
    if row.cancelled:
        number += "<br/><b>" + escape(_("REGISTRATION CANCELLED")) + "</b>"
    reference = escape(row.sender_reference)
    if row.sender_reference_date:
        reference += "<br/>" + _day(row.sender_reference_date)
    sender = escape(row.sender)
    if row.sender_address:
        sender += "<br/>" + escape(row.sender_address)
    counts = " / ".join("" if n is None else str(n) for n in (row.pages, row.annexes))
    holder = escape(row.department)
    if row.officer:
        holder += "<br/>" + escape(row.officer)
    outcome = escape(row.outcome)
    if row.legal_basis:
        outcome += "<br/>" + escape(row.legal_basis)
    sent = _moment(row.sent_at)
    if row.sent_by:
        sent += "<br/>" + escape(row.sent_by)
    return [
        number,
        _moment(row.registered_at),
        sender,
        reference,
        escape(row.channel),
        escape(row.summary),
        counts if counts != " / " else "",
        holder,
        _moment(row.handed_at),
        outcome,
        sent,
        escape(row.recipient),
        escape(row.merged_into),
        escape(row.file_code),
    ]


def _day(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def _moment(moment: datetime | None) -> str:
    return moment.strftime("%d.%m.%Y %H:%M") if moment else ""


def _render(story: list[Flowable], *, title: str) -> bytes:
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=14 * mm,
        title=title,
        author=settings.CITY_NAME,
        creator="Cetate",
        pageCompression=1,
    )
    # Read now, in the request's language: pages are drawn by reportlab's callbacks.
    page_label = _("%(document)s, page %(page)d")

    def draw_footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(GREY)
        canvas.drawRightString(
            PAGE[0] - MARGIN, 7 * mm, page_label % {"document": title, "page": doc.page}
        )
        canvas.restoreState()

    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
