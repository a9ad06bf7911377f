"""The map of cases and the list of the same cases, under the same filters."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.console.filters import CaseFilters, case_listing
from cetate.console.map_config import map_config
from cetate.console.mapgrid import Box, MapRequestError, parse_zoom
from cetate.console.mapgrid import map_data as map_of
from cetate.lib import clock


@staff_required
@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    """The map of the filtered cases, with the filters and the list of the same cases."""
    return _list_page(request, "console/map.html", map_config=_map_config())


@staff_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The filtered cases as a list alone: sortable, paginated, readable without a map."""
    return _list_page(request, "console/case_list.html")


@staff_required
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """Cells or points of the filtered cases inside a box (`bbox` = west,south,east,north)."""
    now = clock.now()
    user: User = request.user  # type: ignore[assignment]
    filters = CaseFilters(request.GET, user=user)
    try:
        box = Box.parse(request.GET.get("bbox", ""))
        zoom = parse_zoom(request.GET.get("zoom"))
    except MapRequestError as error:
        return JsonResponse({"error": str(error)}, status=400)
    data = map_of(
        filters.cases(user, now), box=box, zoom=zoom, now=now, only_open=filters.only_open
    )
    payload = data.as_json(lambda case_id: reverse("console:case", args=[case_id]))
    payload["errors"] = [str(error) for errors in filters.errors.values() for error in errors]
    return JsonResponse(payload)


def _list_page(request: HttpRequest, template: str, **extra: Any) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    filters = CaseFilters(request.GET, user=user)
    listing = case_listing(filters, user, clock.now(), page=request.GET.get("page"))
    context = {"filters": filters, "listing": listing, "list_url": request.path, **extra}
    if request.htmx and not request.htmx.history_restore_request:  # type: ignore[attr-defined]
        return render(request, "console/_case_list_results.html", {**context, "swap": True})
    return render(request, template, context)


def _map_config() -> dict[str, Any]:
    return map_config(
        data_url=reverse("console:map_data"),
        loading=gettext("Loading the map…"),
        failed=gettext("The map could not be drawn; the list below holds the same cases."),
    )
