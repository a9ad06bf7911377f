"""The residents' search of the city's services: /servicii/cauta/?q= (and /services/search/).
Each result links to the service's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from cetate.knowledge.search import QUERY_LENGTH, search_articles
from cetate.lib.ratelimit import rate_limited

SEARCHES_PER_MINUTE = 60


def service_url(code: str) -> str:
    """The address of a service's page."""
    return reverse("service", kwargs={"code": code})


def page_language() -> str:
    return (get_language() or "ro").split("-")[0]


@require_GET
@rate_limited("service-search", limit=SEARCHES_PER_MINUTE)
def service_search(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("q", "").strip()[:QUERY_LENGTH]
    articles = search_articles(typed, language=page_language()) if typed else []
    return render(
        request,
        "portal/service_search.html",
        {
            "typed": typed,
            "results": [(article, service_url(article.code)) for article in articles],
        },
    )
