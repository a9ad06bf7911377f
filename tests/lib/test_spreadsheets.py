"""Exports open in a spreadsheet program without running anything a resident wrote."""

import csv
import io
from datetime import date

import openpyxl

from cetate.lib.spreadsheets import Sheet, csv_bytes, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd"]


def test_xlsx_keeps_formula_like_text_as_text_and_dates_as_dates() -> None:
    data = xlsx_bytes(
        [
            Sheet(
                "Register 2026",
                ["No.", "Text", "Date"],
                [[1, text, date(2026, 3, 1)] for text in HOSTILE],
                ["Register"],
            )
        ]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert [row[1] for row in rows] == ["'" + text for text in HOSTILE]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert rows[0][0] == 1 and rows[0][2].date() == date(2026, 3, 1)
    assert sheet["A3"].value == "No." and sheet.freeze_panes == "A4"


def test_csv_neutralises_formulas_and_reads_back_with_diacritics() -> None:
    data = csv_bytes(["Nr.", "Petent"], [[1, "Ștefan Țară"], [2, "=1+1"], [3, date(2026, 1, 5)]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["Nr.", "Petent"], ["1", "Ștefan Țară"], ["2", "'=1+1"], ["3", "05.01.2026"]]
