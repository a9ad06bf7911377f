"""The yearly register of entries and exits (registrul de intrare-ieșire)."""

from __future__ import annotations

from django.core.paginator import Paginator

from cetate.cases.models import Case, RegistrationCounter
from cetate.monitoring.replica import reporting_database

REGISTER_PAGE_SIZE = 500


def register_page(year: int, page_number: int) -> dict[str, object]:
    cases = Case.objects.using(reporting_database())
    entries = (
        cases.filter(registration_year=year)
        .select_related("reporter", "category", "department", "redirected_to")
        .order_by("registration_number")
    )
    paginator = Paginator(entries, REGISTER_PAGE_SIZE)
    page = paginator.get_page(page_number)
    # The yearly counters name every year with registrations, without scanning the cases.
    years = list(
        RegistrationCounter.objects.using(reporting_database())
        .filter(last_number__gt=0)
        .order_by("-year")
        .values_list("year", flat=True)
    )
    return {"year": year, "page": page, "years": years}
