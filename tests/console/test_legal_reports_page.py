"""The legal reports page: who may open it, the tables it shows for a period, and the same
figures in its PDF and XLSX files."""

from __future__ import annotations

import io

import openpyxl
import pypdf
import time_machine
from django.urls import reverse

from tests.monitoring.legal_fixture import information_register, petitions_register

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PAGE = reverse("console:legal_reports")
FIRST_HALF_2026 = {"report": "petitions", "first": "2026-01-01", "last": "2026-06-30"}
YEAR_2026 = {"report": "public-information", "first": "2026-01-01", "last": "2026-12-31"}


def _row(html: str, label: str) -> str:
    """The cells of the table row headed `label`, as text."""
    start = html.index(f'<th scope="row">{label}</th>')
    return html[start : html.index("</tr>", start)]


def _pdf_row(text: str, label: str, cells: int) -> list[str]:
    """The `cells` figures the PDF's table prints after the row headed `label` (the text
    extraction gives each cell its own line)."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    start = lines.index(label) + 1
    return lines[start : start + cells]


def test_a_supervisor_sees_the_petitions_report_for_a_period(client, city):
    petitions_register(city)
    client.force_login(city.supervisor)

    response = client.get(PAGE, FIRST_HALF_2026, **EN)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Semi-annual report of petitions, 01/01/2026 – 06/30/2026" in html
    assert "<caption>Petitions received, by kind" in html
    assert "<td>5</td>" in _row(html, "Request")
    assert "<td>10</td>" in _row(html, "Total received")
    assert "<td>4</td>" in _row(html, "Still open at the end of the period")
    assert "<td>5</td><td>4</td><td>3</td><td>1</td>" in _row(html, "Technical directorate")
    assert 'href="/console/reports/petitions.pdf?report=petitions&amp;first=2026-01-01' in html
    # Counts only: no resident's name.
    assert "Ion Popescu" not in html


def test_the_page_opens_on_the_last_half_year(client, city):
    client.force_login(city.admin)
    with time_machine.travel("2026-12-07 10:00 +02:00"):
        html = client.get(PAGE, **EN).content.decode()
    assert 'value="2026-01-01"' in html and 'value="2026-06-30"' in html
    assert "Last year (2025)" in html


def test_the_law_544_report_shows_requests_and_complaints(client, city):
    information_register(city)
    client.force_login(city.supervisor)

    html = client.get(PAGE, YEAR_2026, **EN).content.decode()

    assert "Report on the implementation of Law 544/2001" in html
    assert "<td>8</td>" in _row(html, "From individuals")
    assert "<td>3</td>" in _row(html, "From legal entities")
    assert "<td>1</td>" in _row(html, "Redirected to other institutions within 5 days")
    assert "<td>1</td><td>2</td><td>1</td><td>0</td><td>4</td>" in _row(
        html, "Administrative complaints against the city"
    )
    assert "<td>1</td><td>1</td><td>1</td><td>0</td><td>3</td>" in _row(
        html, "Complaints to the court against the city"
    )


def test_a_period_that_ends_before_it_starts_is_refused(client, city):
    client.force_login(city.supervisor)
    html = client.get(
        PAGE, {"report": "petitions", "first": "2026-06-30", "last": "2026-01-01"}, **EN
    ).content.decode()
    assert "The period ends before it starts." in html
    assert "Download PDF" not in html


def test_only_supervisors_and_administrators_may_open_them(client, city):
    for user in (city.officer, city.dispatcher, city.head, city.clerk, city.dpo):
        client.force_login(user)
        assert client.get(PAGE, **EN).status_code == 403
        assert (
            client.get(reverse("console:legal_report_pdf", args=["petitions"])).status_code == 403
        )


def test_the_navigation_offers_the_reports_to_supervisors_only(client, city):
    client.force_login(city.supervisor)
    assert f'href="{PAGE}"' in client.get(reverse("console:supervision"), **EN).content.decode()
    client.force_login(city.officer)
    assert f'href="{PAGE}"' not in client.get(reverse("console:worklist"), **EN).content.decode()


def test_the_pdf_holds_the_figures_of_the_page(client, city):
    petitions_register(city)
    client.force_login(city.supervisor)

    response = client.get(
        reverse("console:legal_report_pdf", args=["petitions"]), FIRST_HALF_2026, **EN
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "petitions-2026-01-01-2026-06-30.pdf" in response["Content-Disposition"]
    text = "\n".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Semi-annual report of petitions" in text
    assert _pdf_row(text, "Received (registered in the period)", 1) == ["10"]
    assert _pdf_row(text, "Joined to an earlier petition (merged)", 1) == ["1"]
    assert _pdf_row(text, "Technical directorate", 4) == ["5", "4", "3", "1"]
    assert _pdf_row(text, "Total solved", 1) == ["8"]


def test_the_pdf_in_romanian_keeps_the_diacritics(client, city, settings):
    settings.CITY_POSTAL_ADDRESS = "Primăria Municipiului Alba Iulia, Calea Moților nr. 5A"
    information_register(city)
    client.force_login(city.supervisor)

    response = client.get(
        reverse("console:legal_report_pdf", args=["public-information"]),
        YEAR_2026,
        HTTP_ACCEPT_LANGUAGE="ro",
    )

    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    # The letterhead's address, with ț (comma below), comes out as it was written.
    assert "Calea Moților" in text


def test_the_xlsx_holds_one_sheet_per_table_with_the_figures(client, city):
    information_register(city)
    client.force_login(city.supervisor)

    response = client.get(
        reverse("console:legal_report_xlsx", args=["public-information"]), YEAR_2026, **EN
    )

    assert response.status_code == 200
    assert "public-information-2026-01-01-2026-12-31.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheets = {sheet.title: sheet for sheet in workbook.worksheets}
    assert len(sheets) == 10
    rows = {
        row[0]: row[1:]
        for sheet in sheets.values()
        for row in sheet.iter_rows(values_only=True)
        if row and isinstance(row[0], str)
    }
    assert rows["Requests received (registered in the period)"][0] == 11
    assert rows["Solved favourably within 10 days"][0] == 3
    assert rows["Exempted by law (Law 544/2001, art. 12)"][0] == 1
    assert rows["Administrative complaints against the city"][:5] == (1, 2, 1, 0, 4)
    assert rows["Complaints to the court against the city"][:5] == (1, 1, 1, 0, 3)


def test_the_pdf_and_the_xlsx_of_one_report_agree(client, city):
    petitions_register(city)
    client.force_login(city.admin)
    pdf = client.get(reverse("console:legal_report_pdf", args=["petitions"]), FIRST_HALF_2026, **EN)
    xlsx = client.get(
        reverse("console:legal_report_xlsx", args=["petitions"]), FIRST_HALF_2026, **EN
    )

    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    by_department = workbook.worksheets[-1]
    rows = {row[0]: list(row[1:]) for row in by_department.iter_rows(values_only=True) if row[0]}
    for label in ("Technical directorate", "Street lighting", "Not routed to a department"):
        assert [str(value) for value in rows[label]] == _pdf_row(text, label, 4)
    assert rows["Total"] == [10, 8, 6, 2]
