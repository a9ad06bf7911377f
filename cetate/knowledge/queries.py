"""What the public, the dispatcher and editors read of the knowledge base.

The public only ever reads published versions: `public_articles()` is the one door the
portal, the dispatcher's search and the API go through.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet

from cetate.knowledge.models import Article, ArticleVersion
from cetate.lib import clock


def public_articles() -> QuerySet[Article]:
    """Articles with a published version, that version joined."""
    return Article.objects.filter(published__isnull=False).select_related("published", "department")


def public_version(code: str) -> ArticleVersion | None:
    """The published text of the article `code`; None for an unknown or unpublished one."""
    article = public_articles().filter(code=code).first()
    return article.published if article else None


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def review_cutoff(today: date | None = None) -> date:
    """Articles last reviewed before this day are due for review."""
    return months_before(today or clock.now().date(), settings.KNOWLEDGE_REVIEW_MONTHS)


def stale_q(today: date | None = None) -> Q:
    """Published articles not reviewed for KNOWLEDGE_REVIEW_MONTHS months."""
    cutoff = review_cutoff(today)
    return Q(published__isnull=False) & (Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=cutoff))


def stale_articles(articles: QuerySet[Article], today: date | None = None) -> QuerySet[Article]:
    return articles.filter(stale_q(today))
