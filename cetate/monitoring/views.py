from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cetate.accounts.access import access_register
from cetate.accounts.decorators import staff_required
from cetate.cases.deadlines import CITY_TZ
from cetate.contacts.services import record_personal_data_view
from cetate.monitoring.register import register_page


@staff_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The printable yearly register, for administrators and supervisors."""
    access_register(request.user)  # type: ignore[arg-type]
    this_year = timezone.now().astimezone(CITY_TZ).year
    try:
        year = int(request.GET.get("year", this_year))
        page_number = int(request.GET.get("page", 1))
    except ValueError:
        year, page_number = this_year, 1
    page = register_page(year, page_number)
    record_personal_data_view(
        user=request.user,  # type: ignore[arg-type]
        what=f"register {year} page {page['page'].number}",  # type: ignore[attr-defined]
    )
    return render(request, "monitoring/register.html", page)
