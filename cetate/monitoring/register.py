"""The yearly register of entries and exits (registrul de intrare-ieșire)."""

from __future__ import annotations

from django.core.paginator import Paginator

from cetate.cases.models import Case

REGISTER_PAGE_SIZE = 500


def register_page(year: int, page_number: int) -> dict[str, object]:
    entries = (
        Case.objects.filter(registration_year=year)
        .select_related("reporter", "category", "department", "redirected_to")
        .order_by("registration_number")
    )
    paginator = Paginator(entries, REGISTER_PAGE_SIZE)
    page = paginator.get_page(page_number)
    years = list(
        Case.objects.values_list("registration_year", flat=True)
        .distinct()
        .order_by("-registration_year")
    )
    return {"year": year, "page": page, "years": years}
