"""The knowledge search at the size of a large catalogue: articles written with bulk inserts
from the demo city's texts (each demo article many times over, with words of the others mixed
in), then searches as residents type them (without diacritics, misspelt, inflected, several
words, some finding nothing) timed through `knowledge.search.search_articles`."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from cetate.demo.knowledge import read_demo_files
from cetate.directory.models import Department
from cetate.knowledge.models import (
    CONTENT_FIELDS,
    Article,
    ArticleVersion,
    SearchEntry,
    SearchWord,
)
from cetate.knowledge.search import search_articles
from cetate.knowledge.search_text import entry_fields, search_text_of, words_of
from cetate.lib.text import words
from cetate.ops.bench.queries import QueryFigure

CODE_PREFIX = "bench-"
SEARCH_TARGET_MS = 50.0
SEARCHES = 50
BATCH = 1000
# Queries that no article answers, as residents type them.
UNANSWERED = ("xzqw", "qqq zzz", "vvvv")


def fill_articles(count: int, *, seed: int, progress: Callable[[str], None]) -> float:
    """Publish articles until the bench database holds `count` of its own; returns seconds."""
    existing = Article.objects.filter(code__startswith=CODE_PREFIX).count()
    if existing >= count:
        return 0.0
    rng = random.Random(seed)
    templates, _shared = read_demo_files()
    pool = sorted({word for template in templates for word in _words_of(template)})
    departments = list(Department.objects.filter(kind=Department.Kind.INTERNAL))
    now = timezone.now()
    started = time.perf_counter()
    for start in range(existing, count, BATCH):
        numbers = range(start, min(start + BATCH, count))
        contents = [_content(rng, templates, pool, number) for number in numbers]
        with transaction.atomic():
            articles = Article.objects.bulk_create(
                Article(
                    code=f"{CODE_PREFIX}{number}",
                    department=departments[number % len(departments)],
                    reviewed_at=now.date(),
                )
                for number in numbers
            )
            versions = ArticleVersion.objects.bulk_create(
                ArticleVersion(
                    article=article,
                    number=1,
                    published_at=now,
                    search_text=search_text_of(content),
                    **content,
                )
                for article, content in zip(articles, contents, strict=True)
            )
            for article, version in zip(articles, versions, strict=True):
                article.published = version
            Article.objects.bulk_update(articles, ["published"])
            fields = [entry_fields(content) for content in contents]
            SearchEntry.objects.bulk_create(
                SearchEntry(article=article, **entry)
                for article, entry in zip(articles, fields, strict=True)
            )
            vocabulary = set().union(*(words_of(entry) for entry in fields))
            SearchWord.objects.bulk_create(
                [SearchWord(word=word) for word in sorted(vocabulary)], ignore_conflicts=True
            )
        progress(f"knowledge: {numbers[-1] + 1:,} / {count:,} articles")
    return time.perf_counter() - started


def _words_of(template: dict[str, Any]) -> list[str]:
    texts = [value for value in template.values() if isinstance(value, str)]
    return [word for word in words(" ".join(texts)) if len(word) >= 4 and not word.isdigit()]


def _content(
    rng: random.Random, templates: list[dict[str, Any]], pool: list[str], number: int
) -> dict[str, str]:
    """A demo article's texts, its title and summary given words of other articles."""
    template = templates[number % len(templates)]
    content = {name: str(template.get(name, "")) for name in CONTENT_FIELDS}
    content["title"] = f"{template['title']} – {rng.choice(pool)} {number}"[:200]
    content["summary"] = f"{template['summary']} {' '.join(rng.sample(pool, 8))}"[:600]
    content["steps"] = f"{content['steps']}\n\n{' '.join(rng.sample(pool, 30))}"
    return content


def searches(*, seed: int) -> list[str]:
    """About fifty searches: titles' words without diacritics, misspelt, inflected, several
    words together, and a few that find nothing."""
    rng = random.Random(seed)
    templates, _shared = read_demo_files()
    typed: list[str] = list(UNANSWERED)
    while len(typed) < SEARCHES:
        title = [word for word in words(rng.choice(templates)["title"]) if len(word) >= 4]
        if not title:
            continue
        word = max(title, key=len)
        kind = len(typed) % 4
        if kind == 0:
            typed.append(word)
        elif kind == 1:
            middle = len(word) // 2
            typed.append(word[: middle - 1] + word[middle] + word[middle - 1] + word[middle + 1 :])
        elif kind == 2:
            typed.append(word[:-1] + "ul" if len(word) > 5 else word + "le")
        else:
            typed.append(" ".join(title[:3]))
    return typed


def measure_search(*, runs: int, seed: int, progress: Callable[[str], None]) -> QueryFigure:
    """Every search `runs` times: the median and 95th percentile of one search, in ms."""
    queries = searches(seed=seed)
    for query in queries:  # warm-up: plans, caches and connection, as in a running server
        search_articles(query)
    timings = []
    for _ in range(runs):
        for query in queries:
            started = time.perf_counter()
            search_articles(query)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    articles = Article.objects.filter(published__isnull=False).count()
    figure = QueryFigure(
        name=f"knowledge search: {len(queries)} searches, {articles:,} articles",
        target_ms=SEARCH_TARGET_MS,
        median_ms=statistics.median(timings),
        p95_ms=timings[min(len(timings) - 1, round(len(timings) * 0.95))],
        rows=articles,
        explain="",
    )
    progress(f"queries: {figure.name}: {figure.median_ms:.1f} ms")
    return figure
