"""The catalogue of the city hall's services on the portal: browsed by department and by life
event, one page per service, its forms to download and the "Was this useful?" question.

Residents only ever read published versions (`cetate.knowledge.queries.public_articles`): an
article without one, and everything that hangs on it (its forms, its request), is not found.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from cetate.directory.models import Department
from cetate.knowledge.models import Article, DownloadableForm, LifeEvent
from cetate.knowledge.queries import public_articles
from cetate.knowledge.services import count_usefulness
from cetate.lib.ratelimit import rate_limited, refusal

# Answers to "Was this useful?" one address may give in a window: enough for a family behind
# one router, too few to skew the counts.
USEFUL_PER_ADDRESS = 20
USEFUL_WINDOW_SECONDS = 3600
# The session remembers which versions this browser answered, to thank instead of asking again.
USEFUL_SESSION_KEY = "knowledge_useful"


def catalogue_articles() -> QuerySet[Article]:
    return public_articles().prefetch_related("published__life_events")


@require_GET
@rate_limited("services-page", limit=120)
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every published service, by department, narrowed to a department or a life event."""
    articles = catalogue_articles()
    departments = Department.objects.filter(articles__published__isnull=False).distinct()
    published = Article.objects.filter(published__isnull=False).values("published")
    events = LifeEvent.objects.filter(versions__in=published).distinct()
    department = departments.filter(code=request.GET.get("department", "")).first()
    event = events.filter(code=request.GET.get("event", "")).first()
    if department is not None:
        articles = articles.filter(department=department)
    if event is not None:
        articles = articles.filter(published__life_events=event)
    shown = sorted(articles, key=lambda article: (article.department.label, _title(article)))
    groups: dict[Department, list[Article]] = {}
    for article in shown:
        groups.setdefault(article.department, []).append(article)
    return render(
        request,
        "portal/services/catalogue.html",
        {
            "groups": list(groups.items()),
            "count": len(shown),
            "departments": sorted(departments, key=lambda d: d.label),
            "events": list(events),
            "department": department,
            "event": event,
        },
    )


def _title(article: Article) -> str:
    return article.published.label if article.published else article.code


def published_article(code: str) -> Article:
    """The published article `code`, with its version; 404 for a draft or an unknown code."""
    article = (
        public_articles()
        .prefetch_related(
            "published__life_events",
            Prefetch("published__related", queryset=public_articles()),
            "request_fields",
            "request_documents",
        )
        .filter(code=code)
        .first()
    )
    if article is None:
        raise Http404
    return article


@require_GET
@rate_limited("services-page", limit=120)
def service_page(request: HttpRequest, code: str) -> HttpResponse:
    """The published article of one service, with its forms, and its online request if any."""
    article = published_article(code)
    version = article.published
    assert version is not None
    forms = list(article.forms.all())
    for form in forms:
        form.portal_url = reverse("service_form", args=[article.code, form.pk])  # type: ignore[attr-defined]
    answered = version.pk in request.session.get(USEFUL_SESSION_KEY, [])
    return render(
        request,
        "portal/services/service.html",
        {
            "article": article,
            "content": version,
            "downloadable_forms": forms,
            "life_events": list(version.life_events.all()),
            "related": list(version.related.all()),
            "useful_answered": answered or request.GET.get("useful") == "thanks",
        },
    )


@require_GET
@rate_limited("services-form", limit=60)
def service_form(request: HttpRequest, code: str, form_id: int) -> FileResponse:
    """A form to download, served only with the service's published article."""
    article = published_article(code)
    form = get_object_or_404(DownloadableForm, pk=form_id, article=article)
    try:
        file = default_storage.open(form.file.name, "rb")
    except OSError as missing:
        raise Http404 from missing
    return FileResponse(
        file,
        as_attachment=False,
        filename=f"{slugify(form.title) or 'formular'}.pdf",
        content_type="application/pdf",
    )


@require_POST
def service_useful(request: HttpRequest, code: str) -> HttpResponse:
    """Count a reader's "Yes" or "No" for the version they read, then thank them."""
    article = published_article(code)
    version = article.published
    assert version is not None
    answer = request.POST.get("useful")
    if answer not in {"yes", "no"}:
        return redirect("service", code=article.code)
    answered: list[int] = request.session.get(USEFUL_SESSION_KEY, [])
    if version.pk not in answered:
        refused = refusal(
            request,
            "services-useful",
            limit=USEFUL_PER_ADDRESS,
            window_seconds=USEFUL_WINDOW_SECONDS,
        )
        if refused is not None:
            return refused
        count_usefulness(version, useful=answer == "yes")
        request.session[USEFUL_SESSION_KEY] = [*answered, version.pk][-100:]
    return redirect(reverse("service", args=[article.code]) + "?useful=thanks#useful")
