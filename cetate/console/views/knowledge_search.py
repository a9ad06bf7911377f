"""The knowledge base while answering a resident: the dispatcher's search of the published
service articles, the chosen one readable on the same page; and, for editors, the searches
that found nothing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cetate.accounts.access import access_knowledge_editing, access_knowledge_search
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.knowledge.models import UnansweredSearch
from cetate.knowledge.search import QUERY_LENGTH, search_articles
from cetate.portal.service_search import page_language, service_url

# The searches with no result an editor sees: the most frequent.
UNANSWERED_SHOWN = 200


@staff_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Results on one side, the chosen article (the best one at first) on the other."""
    user: User = request.user  # type: ignore[assignment]
    access_knowledge_search(user)
    typed = request.GET.get("q", "").strip()[:QUERY_LENGTH]
    articles = search_articles(typed, language=page_language()) if typed else []
    wanted = request.GET.get("open", "")
    chosen = next((article for article in articles if article.code == wanted), None)
    if chosen is None and articles:
        chosen = articles[0]
    context: dict[str, object] = {"typed": typed, "articles": articles, "chosen": chosen}
    if chosen is not None and chosen.published is not None:
        version = chosen.published
        context |= {
            "article": chosen,
            "content": version,
            "public_url": service_url(chosen.code),
            "life_events": version.life_events.all(),
            "related": version.related.select_related("published"),
            "downloadable_forms": chosen.forms.all(),
        }
    return render(request, "console/knowledge/search.html", context)


@staff_required
@require_GET
def unanswered(request: HttpRequest) -> HttpResponse:
    """What residents and dispatchers searched for that no article answered, most often
    first: the articles worth writing next."""
    user: User = request.user  # type: ignore[assignment]
    access_knowledge_editing(user)
    rows = UnansweredSearch.objects.all()[:UNANSWERED_SHOWN]
    return render(request, "console/knowledge/unanswered.html", {"rows": rows})
