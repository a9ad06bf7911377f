"""The legal reports: the semi-annual report of petitions (OG 27/2002) and the yearly report
on public information (Law 544/2001), for any period, on screen and as PDF and XLSX files.

They are counts: no resident's personal data is shown, so making one is not logged as a view
of personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cetate.accounts.access import access_legal_reports
from cetate.accounts.decorators import staff_required
from cetate.cases.deadlines import CITY_TZ
from cetate.console.filters import DateInput
from cetate.lib import clock
from cetate.monitoring.legal_reports.document import REPORTS, Document, ReportKind
from cetate.monitoring.legal_reports.files import report_pdf, report_xlsx
from cetate.monitoring.legal_reports.periods import Period, last_half_year, last_year

DATE_ERROR = gettext_lazy("Enter a date such as 2026-03-31.")
# A wider period is refused: no report of the law spans more, and it would read the whole register.
LONGEST_PERIOD_DAYS = 5 * 366


class ReportForm(forms.Form):
    report = forms.ChoiceField(
        label=gettext_lazy("Report"),
        choices=[(slug, kind.name) for slug, kind in REPORTS.items()],
    )
    first = forms.DateField(
        label=gettext_lazy("From"), widget=DateInput(), error_messages={"invalid": DATE_ERROR}
    )
    last = forms.DateField(
        label=gettext_lazy("To (included)"),
        widget=DateInput(),
        error_messages={"invalid": DATE_ERROR},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            if last < first:
                self.add_error("last", _("The period ends before it starts."))
            elif (last - first).days > LONGEST_PERIOD_DAYS:
                self.add_error("last", _("Choose a period of at most five years."))
        return cleaned

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["first"], self.cleaned_data["last"])

    @property
    def kind(self) -> ReportKind:
        return REPORTS[self.cleaned_data["report"]]


@dataclass(frozen=True)
class QuickPeriod:
    label: str
    url: str


def _today() -> date:
    return clock.now().astimezone(CITY_TZ).date()


def _query(report: str, period: Period) -> str:
    return urlencode(
        {"report": report, "first": period.first.isoformat(), "last": period.last.isoformat()}
    )


def _quick_periods(report: str, today: date) -> list[QuickPeriod]:
    half, year = last_half_year(today), last_year(today)
    page = reverse("console:legal_reports")
    return [
        QuickPeriod(
            _("Last half-year (%(first)s – %(last)s)")
            % {
                "first": date_format(half.first, "SHORT_DATE_FORMAT"),
                "last": date_format(half.last, "SHORT_DATE_FORMAT"),
            },
            f"{page}?{_query(report, half)}",
        ),
        QuickPeriod(
            _("Last year (%(year)s)") % {"year": year.first.year},
            f"{page}?{_query(report, year)}",
        ),
    ]


def _bound_form(request: HttpRequest, report: str | None = None) -> ReportForm:
    """The form as sent; a report chosen without dates covers its default period."""
    data = request.GET.copy()
    if report is not None:
        data["report"] = report
    chosen = REPORTS.get(data.get("report", "")) or next(iter(REPORTS.values()))
    data.setdefault("report", chosen.slug)
    if not data.get("first") and not data.get("last"):
        period = chosen.default_period(_today())
        data["first"], data["last"] = period.first.isoformat(), period.last.isoformat()
    return ReportForm(data)


def _document(form: ReportForm) -> Document:
    return form.kind.build(form.period, clock.now())


@staff_required
@require_GET
@never_cache
def legal_reports(request: HttpRequest) -> HttpResponse:
    """Choose a report and its period; see its tables; download it."""
    access_legal_reports(request.user)  # type: ignore[arg-type]
    form = _bound_form(request)
    report = form.data["report"] if form.data["report"] in REPORTS else ""
    context: dict[str, Any] = {
        "form": form,
        "quick_periods": _quick_periods(report or next(iter(REPORTS)), _today()),
    }
    if form.is_valid():
        query = _query(form.kind.slug, form.period)
        context.update(
            document=_document(form),
            pdf_url=reverse("console:legal_report_pdf", args=[form.kind.slug]) + f"?{query}",
            xlsx_url=reverse("console:legal_report_xlsx", args=[form.kind.slug]) + f"?{query}",
        )
    return render(request, "console/legal_reports.html", context)


@staff_required
@require_GET
@never_cache
def report_file(request: HttpRequest, report: str, extension: str) -> HttpResponse:
    """The report as a PDF or an XLSX file, named after the report and its period."""
    access_legal_reports(request.user)  # type: ignore[arg-type]
    if report not in REPORTS:
        raise Http404
    form = _bound_form(request, report)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a valid period on the legal reports page."))
    document = _document(form)
    name = f"{report}-{form.period.first.isoformat()}-{form.period.last.isoformat()}"
    if extension == "pdf":
        response = HttpResponse(report_pdf(document), content_type="application/pdf")
    else:
        response = HttpResponse(
            report_xlsx(document),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response
