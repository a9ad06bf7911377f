"""Tables written as CSV and XLSX files for staff to open in a spreadsheet program.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) would be read as
a formula by the program that opens it: a resident's text could then run one on a clerk's
computer. Such cells are written as text, prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | date | datetime | None


def neutralised(value: Any) -> Cell:
    """`value` as a cell no spreadsheet program runs: text that looks like a formula is
    prefixed with an apostrophe; numbers and dates stay as they are."""
    if value is None or isinstance(value, (int, float, date)):
        if isinstance(value, datetime) and value.tzinfo is not None:
            # Spreadsheets know no time zones: the local time the caller chose is kept.
            return value.replace(tzinfo=None)
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass
class Sheet:
    """One table: a title (the sheet's name), its column headings and its rows."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    # Lines written above the table (what it is, the period, when it was made).
    preamble: Sequence[str] = field(default_factory=list)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark, so that spreadsheet programs read the diacritics."""
    return b"".join(csv_chunks(header, rows))


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, rows_per_chunk: int = 500
) -> Iterator[bytes]:
    """`csv_bytes` in pieces of a few hundred rows, for a download streamed as it is read."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow([neutralised(cell) for cell in header])
    for number, row in enumerate(rows, start=1):
        writer.writerow(["" if cell is None else _csv_text(neutralised(cell)) for cell in row])
        if number % rows_per_chunk == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def _csv_text(cell: Cell) -> str:
    if isinstance(cell, datetime):
        return cell.strftime("%d.%m.%Y %H:%M")
    if isinstance(cell, date):
        return cell.strftime("%d.%m.%Y")
    return str(cell)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook with one sheet per table, headings in bold and frozen."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for sheet in sheets:
        # Excel limits sheet names to 31 characters and forbids a few.
        name = "".join(c for c in sheet.title if c not in "[]:*?/\\")[:31] or "Sheet"
        worksheet = workbook.create_sheet(name)
        for line in sheet.preamble:
            worksheet.append([neutralised(line)])
        if sheet.preamble:
            worksheet.append([])
        worksheet.append([neutralised(heading) for heading in sheet.header])
        header_row = worksheet.max_row
        for cell in worksheet[header_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        worksheet.freeze_panes = f"A{header_row + 1}"
        for row in sheet.rows:
            worksheet.append([neutralised(cell) for cell in row])
        _format_dates(worksheet, first_row=header_row + 1)
        for index, heading in enumerate(sheet.header, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = max(
                10, min(40, len(str(heading)) + 4)
            )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _format_dates(worksheet: Any, *, first_row: int) -> None:
    for row in worksheet.iter_rows(min_row=first_row):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd.mm.yyyy hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "dd.mm.yyyy"
