"""The yearly register of entries and exits: the page, filtered and paginated, and its
downloads as PDF, XLSX and CSV under the same filters.

Every view and download is logged as a view of residents' personal data.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cetate.accounts.access import access_register
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.contacts.services import record_personal_data_view
from cetate.monitoring.register import RegisterFilters, page_rows, register_page
from cetate.monitoring.register_exports import (
    LIMITS,
    TooManyRows,
    file_name,
    register_csv,
    register_pdf,
    register_title,
    register_xlsx,
)

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@staff_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """One page of the register, as the filters choose it."""
    user: User = request.user  # type: ignore[assignment]
    access_register(user)
    filters = RegisterFilters(request.GET)
    page = register_page(filters, request.GET.get("page"))
    record_personal_data_view(
        user=user, what=_logged(f"register {filters.register_year} page {page.number}", filters)
    )
    context = {
        "filters": filters,
        "page": page,
        "rows": page_rows(page),
        "title": register_title(filters.register_year),
        "previous_query": (
            filters.query_string(page=str(page.previous_page_number()))
            if page.has_previous()
            else None
        ),
        "next_query": (
            filters.query_string(page=str(page.next_page_number())) if page.has_next() else None
        ),
        "export_query": filters.query_string(page=None),
        "pdf_limit": _thousands(LIMITS["pdf"]),
        "xlsx_limit": _thousands(LIMITS["xlsx"]),
    }
    return render(request, "console/register.html", context)


@staff_required
@require_GET
def register_export(request: HttpRequest, extension: str) -> HttpResponse:
    """The filtered register as a file to download."""
    user: User = request.user  # type: ignore[assignment]
    access_register(user)
    if extension not in CONTENT_TYPES:
        raise Http404
    filters = RegisterFilters(request.GET)
    year = filters.register_year
    record_personal_data_view(user=user, what=_logged(f"register {year} {extension}", filters))
    response: HttpResponse | StreamingHttpResponse
    if extension == "csv":
        response = StreamingHttpResponse(
            register_csv(filters.rows()), content_type=CONTENT_TYPES["csv"]
        )
    else:
        build = register_pdf if extension == "pdf" else register_xlsx
        try:
            content = build(filters.rows(), year=year, filters=filters.description)
        except TooManyRows as too_many:
            messages.warning(
                request,
                _(
                    "A %(format)s file holds at most %(limit)s registrations: choose a shorter "
                    "period, or download the CSV file, which holds them all."
                )
                % {"format": extension.upper(), "limit": _thousands(too_many.limit)},
            )
            return HttpResponseRedirect(
                f"{reverse('console:register')}?{filters.query_string(page=None)}"
            )
        response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=file_name(year, extension))
        or "attachment"
    )
    return response  # type: ignore[return-value]


def _logged(what: str, filters: RegisterFilters) -> str:
    """What the log of views of personal data says was seen: the year and page or file, and
    the filters besides them."""
    chosen = filters.query_string(year=None, page=None)
    return f"{what} {chosen}" if chosen else what


def _thousands(number: int) -> str:
    return number_format(number, force_grouping=True)
