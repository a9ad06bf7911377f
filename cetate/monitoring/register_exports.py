"""The register as files: PDF to print and file (A4 landscape, the header row on every page,
numbered pages), XLSX and CSV to work with in a spreadsheet.

CSV is streamed as the rows are read, whatever the size of the year. XLSX and PDF are built in
memory while the request waits, so each holds at most its limit (`LIMITS`): about 15 seconds of
work on a small server (a PDF draws some 150 registrations a second, an XLSX file some 600). A
longer period is exported as CSV, or in several periods.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from io import BytesIO
from itertools import islice
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from cetate.cases.pdf import FONT, FONT_BOLD, GREY, RULE, city_header, styles
from cetate.lib import clock
from cetate.lib.spreadsheets import Cell, Sheet, csv_chunks, xlsx_bytes
from cetate.monitoring.register_rows import RegisterRow

LIMITS = {"pdf": 2_000, "xlsx": 10_000}
CELL_FONT_SIZE = 6.5
CELL_LEADING = 8
CELL_PADDING = 2
PAGE = landscape(A4)
MARGIN = 10 * mm


class TooManyRows(Exception):
    """The filtered register is longer than a PDF or XLSX file holds."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


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


def bounded(rows: Iterable[RegisterRow], extension: str) -> list[RegisterRow]:
    """The rows, up to the file's limit (one more is read to know); TooManyRows beyond."""
    limit = LIMITS[extension]
    kept = list(islice(rows, limit + 1))
    if len(kept) > limit:
        raise TooManyRows(limit)
    return kept


def register_csv(rows: Iterable[RegisterRow]) -> Iterator[bytes]:
    return csv_chunks(table_header(), (table_cells(row) for row in rows))


def register_xlsx(rows: Iterable[RegisterRow], *, year: int, filters: str) -> bytes:
    kept = bounded(rows, "xlsx")
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


# The PDF's columns: (heading, width in mm), filling the 277 mm of the landscape page.
def _pdf_columns() -> list[tuple[str, float]]:
    return [
        (_("No."), 17),
        (_("Registered"), 17),
        (_("Sender"), 32),
        (_("Sender's no. and date"), 18),
        (_("Received through"), 15),
        (_("Summary"), 33),
        (_("Pages / annexes"), 14),
        (_("Department and officer"), 27),
        (_("Handed"), 17),
        (_("Outcome"), 24),
        (_("Answer sent"), 18),
        (_("Recipient"), 20),
        (_("Joined to"), 12),
        (_("File code"), 13),
    ]


def register_pdf(rows: Iterable[RegisterRow], *, year: int, filters: str) -> bytes:
    kept = bounded(rows, "pdf")
    style = styles()
    columns = _pdf_columns()
    # Cells are plain lines, broken to their column's width here: a table of paragraphs
    # would wrap each cell several times while it is laid out, ten times slower.
    widths = [width * mm - 2 * CELL_PADDING for _h, width in columns]
    data = [
        _lines([heading], width, FONT_BOLD)
        for (heading, _w), width in zip(columns, widths, strict=True)
    ]
    table_data = [data]
    commands: list[Any] = [
        ("FONT", (0, 0), (-1, -1), FONT, CELL_FONT_SIZE, CELL_LEADING),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, CELL_FONT_SIZE, CELL_LEADING),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.3, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    for index, row in enumerate(kept, start=1):
        cells = _pdf_cells(row)
        table_data.append(
            [_lines(parts, width) for parts, width in zip(cells, widths, strict=True)]
        )
        if row.cancelled:
            commands.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#f2f2f2")))
            commands.append(("FONT", (0, index), (0, index), FONT_BOLD))
    if not kept:
        table_data.append([_("No registration matches these filters.")])
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table = LongTable(
        table_data,
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


def _lines(parts: list[str], width: float, font: str = FONT) -> str:
    """The cell's parts, each on its own lines, broken to fit `width`."""
    lines: list[str] = []
    for part in parts:
        if part:
            for line in simpleSplit(part, font, CELL_FONT_SIZE, width):
                lines += _cut(line, width, font)
    return "\n".join(lines)


def _cut(line: str, width: float, font: str) -> list[str]:
    """A line with a word longer than the column (an email address) cut where it must be."""
    pieces: list[str] = []
    while stringWidth(line, font, CELL_FONT_SIZE) > width and len(line) > 1:
        end = len(line) - 1
        while end > 1 and stringWidth(line[:end], font, CELL_FONT_SIZE) > width:
            end -= 1
        pieces.append(line[:end])
        line = line[end:]
    return [*pieces, line]


def _pdf_cells(row: RegisterRow) -> list[list[str]]:
    """Each column's parts, one under the other."""
    counts = " / ".join("" if n is None else str(n) for n in (row.pages, row.annexes))
    return [
        [row.number, _("cancelled") if row.cancelled else ""],
        [_moment(row.registered_at)],
        [row.sender, row.sender_address],
        [row.sender_reference, _day(row.sender_reference_date)],
        [row.channel],
        [row.summary],
        [counts if counts != " / " else ""],
        [row.department, row.officer],
        [_moment(row.handed_at)],
        [row.outcome, row.legal_basis],
        [_moment(row.sent_at), row.sent_by],
        [row.recipient],
        [row.merged_into],
        [row.file_code],
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
