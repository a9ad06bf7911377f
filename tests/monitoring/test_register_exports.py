"""The register downloaded as PDF, XLSX and CSV: the same rows as the page, read back."""

import csv
import io
from typing import Any

import openpyxl
import pypdf
import pytest
from django.urls import reverse

from cetate.cases.models import Case
from cetate.contacts.models import PersonalDataView
from cetate.monitoring import register_exports

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NUMBERS_2026 = ["1/2026", "2/2026", "3/2026", "4/2026", "5/2026"]


def download(client, user, extension, **params):
    client.force_login(user)
    response = client.get(reverse("console:register_export", args=[extension]), params, **EN)
    assert response.status_code == 200
    return response


def content_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response) -> list[dict[str, str]]:
    text = content_of(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def xlsx_rows(response) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content_of(response))).active
    assert sheet is not None
    lines = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, line in enumerate(lines) if line[0] == "No.")
    header = [str(heading) for heading in lines[header_at]]
    return [dict(zip(header, line, strict=True)) for line in lines[header_at + 1 :]]


def pdf_text(response) -> str:
    """The text of every page, each run of spaces and line breaks as one space."""
    reader = pypdf.PdfReader(io.BytesIO(content_of(response)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_csv_holds_the_filtered_register_with_every_column(client, city, register_2026):
    response = download(client, city.admin, "csv", year=2026)
    assert response["Content-Disposition"] == 'attachment; filename="registru-2026.csv"'
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert [row["No."] for row in rows] == NUMBERS_2026
    first = rows[0]
    assert first["Registered"] == "03.02.2026 09:15"
    assert first["Sender"] == "Ion Popescu"
    assert first["Sender's number"] == "1234/A"
    assert first["Sender's date"] == "01.02.2026"
    assert first["Pages"] == "3" and first["Annexes"] == "2"
    assert first["Department"] == "Technical directorate"
    assert first["Handed to the department"] == "04.02.2026 10:00"
    assert first["Outcome"] == "granted"
    assert first["Legal basis"] == "OG 27/2002, art. 8"
    assert first["Answer sent"] == "20.02.2026 11:30"
    assert first["Sent by"] == "letter by post"
    assert first["File code"] == "II-4"
    assert rows[1]["Joined to"] == "1/2026"
    assert rows[2]["Registration cancelled"] == "cancelled"
    assert rows[3]["Sender"] == "anonymous"
    filtered = csv_rows(download(client, city.admin, "csv", year=2026, channel="post"))
    assert [row["No."] for row in filtered] == ["5/2026"]


def test_the_xlsx_holds_the_same_rows_with_real_dates(client, city, register_2026):
    response = download(client, city.admin, "xlsx", year=2026)
    assert response["Content-Disposition"] == 'attachment; filename="registru-2026.xlsx"'
    rows = xlsx_rows(response)
    assert [row["No."] for row in rows] == NUMBERS_2026
    first = rows[0]
    assert first["Registered"].strftime("%d.%m.%Y %H:%M") == "03.02.2026 09:15"
    assert first["Pages"] == 3
    assert first["Outcome"] == "granted"
    assert first["File code"] == "II-4"
    assert rows[1]["Joined to"] == "1/2026"


def test_text_that_looks_like_a_formula_stays_text(client, city, register_2026):
    formula = '=HYPERLINK("http://example.org","x")'
    Case.objects.filter(pk=register_2026.letter.pk).update(title=formula, description=formula)
    [from_csv] = csv_rows(download(client, city.admin, "csv", year=2026, q="5"))
    [from_xlsx] = xlsx_rows(download(client, city.admin, "xlsx", year=2026, q="5"))
    assert from_csv["Summary"] == "'" + formula
    assert from_xlsx["Summary"] == "'" + formula


def test_the_pdf_is_the_register_on_landscape_pages(client, city, register_2026):
    response = download(client, city.admin, "pdf", year=2026)
    assert response["Content-Disposition"] == 'attachment; filename="registru-2026.pdf"'
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # A4 landscape
    text = pdf_text(response)
    assert "Register of entries and exits 2026" in text
    for number in NUMBERS_2026:
        assert number in text
    for value in ("Ion Popescu", "1234/A", "OG 27/2002, art. 8", "II-4"):
        assert value in text, value
    assert "3/2026 cancelled" in text
    assert "Inspectoratul Școlar Județean" in text  # diacritics with comma below
    assert "page 1" in text


def test_a_long_pdf_repeats_its_header_and_numbers_its_pages(client, city, register_2026):
    for _ in range(60):
        city.report()
    text = pdf_text(download(client, city.admin, "pdf"))
    pages = text.split("Sender's no. and date")
    assert len(pages) > 2  # the column headings on every page
    assert "page 2" in text


def test_a_too_long_pdf_asks_for_a_shorter_period(client, city, register_2026, monkeypatch):
    monkeypatch.setitem(register_exports.LIMITS, "pdf", 3)
    client.force_login(city.admin)
    response = client.get(reverse("console:register_export", args=["pdf"]), {"year": 2026}, **EN)
    assert response.status_code == 302
    assert response["Location"] == "/console/register/?year=2026"
    html = client.get(response["Location"], **EN).content.decode()
    assert "download the CSV file, which holds them all" in html
    # The CSV has no such limit.
    assert len(csv_rows(download(client, city.admin, "csv", year=2026))) == 5


@pytest.mark.parametrize("extension", ["pdf", "xlsx", "csv"])
def test_every_download_is_logged(client, city, register_2026, extension):
    download(client, city.admin, extension, year=2026, kind="report")
    assert PersonalDataView.objects.filter(
        user=city.admin, what=f"register 2026 {extension} kind=report"
    ).exists()


def test_an_unknown_format_is_not_found(client, city):
    client.force_login(city.admin)
    assert client.get("/console/register/export.doc").status_code == 404
