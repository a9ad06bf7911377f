"""The public map of reported problems, its list, and a page per public case.

The list is the map's text alternative: same filters, same cases, readable without JavaScript.
The map's data is cached for CACHE_SECONDS, on the server (for every resident asking the same
view) and in browsers, so a new report shows on the map within twice that time.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET

from cetate.cases.models import Case
from cetate.cases.publication import rounded
from cetate.console.mapgrid import Box, MapRequestError, parse_zoom
from cetate.directory.lookup import city_boundary
from cetate.directory.models import PublicText
from cetate.lib import clock
from cetate.lib.ratelimit import rate_limited
from cetate.portal.public_cases import (
    PUBLIC_FIELDS,
    Describer,
    PublicCase,
    PublicFilters,
    public_categories,
)
from cetate.portal.public_map import public_map, view_of

CACHE_SECONDS = 30
PAGE_SIZE = 25
# A map pans and zooms in many small requests; the pages are read one at a time.
DATA_RATE_LIMIT = 120
PAGE_RATE_LIMIT = 60
STREET_LEVEL = 18


def case_url(case: PublicCase) -> str:
    return reverse("public_case", kwargs={"year": case.year, "number": case.number})


@require_GET
@rate_limited("public_map", limit=PAGE_RATE_LIMIT)
def map_page(request: HttpRequest) -> HttpResponse:
    """The map of reported problems, with the filters and a link to the same list."""
    filters = PublicFilters(request.GET)
    filters.is_valid()
    config = {
        "data_url": reverse("public_map_data"),
        "tile_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "loading": gettext("Loading the map…"),
        "failed": gettext("The map could not be drawn; the list holds the same problems."),
        "one_case": gettext("Open the page of this report"),
        **_boundary(),
        "centre": _near(request.GET.get("near", "")),
        "street_zoom": STREET_LEVEL,
    }
    return render(
        request,
        "portal/public_map.html",
        {"filters": filters, "map_config": config, "query": filters.query_string()},
    )


@require_GET
@rate_limited("public_map_data", limit=DATA_RATE_LIMIT)
def map_data(request: HttpRequest) -> JsonResponse:
    """Groups or spots of the filtered public cases inside `bbox` (west,south,east,north)."""
    filters = PublicFilters(request.GET)
    try:
        asked = Box.parse(request.GET.get("bbox", ""))
        zoom = parse_zoom(request.GET.get("zoom"))
    except MapRequestError as error:
        return JsonResponse({"error": str(error)}, status=400)
    box, grid = view_of(asked, zoom)
    view = f"{box.as_list()}|{grid.latitude}|{grid.longitude}|{filters.key()}|{get_language()}"
    key = "public_map:" + hashlib.sha256(view.encode()).hexdigest()
    payload = cache.get(key)
    if payload is None:
        cases = filters.cases(clock.now().date())
        drawn = public_map(cases, box=box, grid=grid, describe=Describer(filters.categories))
        payload = drawn.as_json(case_url)
        cache.set(key, payload, CACHE_SECONDS)
    # Filters that could not be read are left out of the key: their cases are the same.
    errors = [str(error) for errors in filters.errors.values() for error in errors]
    response = JsonResponse({**payload, "errors": errors})
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@require_GET
@rate_limited("public_list", limit=PAGE_RATE_LIMIT)
def case_list(request: HttpRequest) -> HttpResponse:
    """The filtered public cases as a list, newest first, a page at a time."""
    filters = PublicFilters(request.GET)
    cases = filters.cases(clock.now().date()).order_by("-registered_at", "-id")
    page = Paginator(cases.only(*PUBLIC_FIELDS), PAGE_SIZE).get_page(request.GET.get("page"))
    describe = Describer(filters.categories)
    described = [describe(case) for case in page.object_list]
    return render(
        request,
        "portal/public_list.html",
        {
            "filters": filters,
            "page": page,
            "cases": [_listed(case) for case in described if case is not None],
            "query": filters.query_string(),
            "previous_query": (
                filters.query_string(page=str(page.previous_page_number()))
                if page.has_previous()
                else ""
            ),
            "next_query": (
                filters.query_string(page=str(page.next_page_number())) if page.has_next() else ""
            ),
        },
    )


@require_GET
@rate_limited("public_case", limit=PAGE_RATE_LIMIT)
def case_page(request: HttpRequest, year: int, number: int) -> HttpResponse:
    """One public case. Any other number answers 404, whether or not it exists."""
    found = (
        Case.objects.select_related("reporter")
        .filter(registration_year=year, registration_number=number)
        .first()
    )
    categories = public_categories()
    case = None if found is None else Describer(categories)(found, details=True)
    if case is None:
        raise Http404
    category = next(c for c in categories if c.pk == case.view.category_id)
    # The rounded grid is 0.0005°: four decimals say all of it.
    digits = 6 if case.view.exact else 4
    near = f"{case.latitude:.{digits}f},{case.longitude:.{digits}f}"
    return render(
        request,
        "portal/public_case.html",
        {
            "case": case,
            "place": near.replace(",", ", "),
            "summary_only": category.public_text == PublicText.SUMMARY,
            "map_url": reverse("public_map") + "?near=" + near,
            "follow_url": _follow_url(case.view.case_id),
        },
    )


def _follow_url(case_id: int) -> str:
    """Where anyone may ask for news of the case by email, when the portal offers it."""
    try:
        return reverse("follow_case", kwargs={"pk": case_id})
    except NoReverseMatch:
        return ""


def _listed(case: PublicCase) -> dict[str, Any]:
    return {"case": case, "url": case_url(case)}


def _boundary() -> dict[str, Any]:
    boundary = city_boundary()
    if boundary is None:
        return {"boundary": None, "bounds": None}
    return {
        "boundary": boundary.geometry,
        "bounds": [[boundary.min_lat, boundary.min_lon], [boundary.max_lat, boundary.max_lon]],
    }


def _near(text: str) -> list[float] | None:
    """The point a case page sends the map to ("lat,lon"), on the public grid (the map opens
    there at street level, where the grid is finer than the eye); None if absent or
    unreadable."""
    try:
        latitude, longitude = (float(part) for part in text.split(","))
    except ValueError:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return [rounded(latitude), rounded(longitude)]
