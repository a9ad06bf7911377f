"""A legal report as a PDF (the city's letterhead, one table after another) and as an XLSX
workbook (one sheet per table), in the active language."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from cetate.cases.pdf import FONT_BOLD, RULE, city_header, render_pdf, styles
from cetate.lib.spreadsheets import Sheet, xlsx_bytes
from cetate.monitoring.legal_reports.document import Document
from cetate.monitoring.legal_reports.document import Table as ReportTable

SHADE = colors.HexColor("#eeeeee")


def _made(document: Document) -> str:
    return _("Made on %(when)s from the register; figures as it stood then.") % {
        "when": date_format(localtime(document.made_at), "SHORT_DATETIME_FORMAT")
    }


def report_pdf(document: Document) -> bytes:
    style = styles()
    story: list[Flowable] = [
        city_header(style, subtitle=document.law),
        Spacer(1, 6 * mm),
        Paragraph(escape(document.title), style["title"]),
        Paragraph(
            escape(_("Period: %(period)s") % {"period": document.period_text}), style["body"]
        ),
        Paragraph(escape(_made(document)), style["small"]),
        Spacer(1, 4 * mm),
    ]
    for table in document.tables:
        story.append(KeepTogether(_pdf_table(table, style)))
    return render_pdf(
        story,
        title=f"{document.title}, {document.period_text}",
        language=get_language() or "ro",
        footer=f"{document.title}, {document.period_text}",
    )


def _pdf_table(table: ReportTable, style: dict[str, ParagraphStyle]) -> list[Flowable]:
    body, label = style["body"], style["label"]
    header = [Paragraph(escape(table.row_heading), label)] + [
        Paragraph(escape(column), label) for column in table.columns
    ]
    cells = [header]
    for row in table.rows:
        row_style = label if row.total else body
        cells.append(
            [Paragraph(escape(row.label), row_style)]
            + [Paragraph(str(value), row_style) for value in row.values]
        )
    count_width = 24 * mm if len(table.columns) > 1 else 30 * mm
    first_width = 170 * mm - count_width * len(table.columns)
    totals = [i + 1 for i, row in enumerate(table.rows) if row.total]
    commands: list[Any] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.3, RULE),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
    ]
    for index in totals:
        commands.append(("LINEABOVE", (0, index), (-1, index), 1, colors.black))
    return [
        Paragraph(escape(table.caption), style["heading"]),
        Paragraph(escape(table.source), style["small"]),
        Spacer(1, 2 * mm),
        Table(
            cells,
            colWidths=[first_width] + [count_width] * len(table.columns),
            repeatRows=1,
            style=TableStyle(commands),
        ),
        Spacer(1, 6 * mm),
    ]


def report_xlsx(document: Document) -> bytes:
    preamble = [
        document.title,
        document.law,
        _("Period: %(period)s") % {"period": document.period_text},
        _made(document),
    ]
    sheets = []
    for number, table in enumerate(document.tables, start=1):
        sheets.append(
            Sheet(
                title=f"{number}. {table.caption}",
                header=[table.row_heading, *table.columns],
                rows=[[row.label, *row.values] for row in table.rows],
                preamble=[*preamble, f"{table.caption} — {table.source}"],
            )
        )
    return xlsx_bytes(sheets)
