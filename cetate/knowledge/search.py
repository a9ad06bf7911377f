"""Search that forgives: what a resident or a dispatcher types finds the service they mean.

The query is folded like the articles (`lib.text.fold`: lower case, no diacritics), so "taxa"
finds "taxă" and "sesizari" finds "sesizări". Each word longer than three letters is cut to a
stem and matched as a prefix, so "certificatul", "certificate" and "certificat" find the same
articles, in any language, without a dictionary. A word no article begins like is taken for a
misspelling and replaced by the closest words of the articles' vocabulary (pg_trgm candidates
on PostgreSQL, the same first letter on SQLite; edit distance decides on both).

Articles holding every word come first, then those holding some. Of the first, those whose
title holds every word lead, the shortest title first (the most specific service); then come
those holding the words in the title, keywords or summary, then those holding them only in
the body, each ranked by the weight of where a word stands (title, keywords, summary, body):
`ts_rank` on PostgreSQL, `bm25` on SQLite FTS5. A search that finds nothing is counted for editors
(`UnansweredSearch`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from django.db import connection

from cetate.knowledge.models import Article, ArticleVersion, SearchEntry, SearchWord
from cetate.knowledge.queries import public_articles
from cetate.knowledge.search_text import entry_fields, words_of
from cetate.lib import clock
from cetate.lib.text import fold

# A stem keeps at most this many letters, and drops the last one of a shorter word: enough to
# tell services apart, short enough to reach every inflection of a word.
STEM_LENGTH = 7
# Words of this length or shorter are matched whole ("de", "la").
WHOLE_WORD_LENGTH = 2
MAX_QUERY_WORDS = 8
MAX_WORD_LENGTH = 40
QUERY_LENGTH = 200
# How many vocabulary words a misspelt word may stand for.
CORRECTIONS_PER_WORD = 3
# FTS5 bm25 weights of title, keywords, summary, body (PostgreSQL: ts_rank's A, B, C, D).
BM25_WEIGHTS = (10.0, 5.0, 2.0, 1.0)


def stem(word: str) -> str:
    """The beginning of a folded word that its inflections share: "certificatul" → "certifi"."""
    if len(word) <= WHOLE_WORD_LENGTH + 1:
        return word
    return word[: min(len(word) - 1, STEM_LENGTH)]


def query_words(text: str) -> list[str]:
    """The folded words of a query, each once, in order."""
    seen: list[str] = []
    for word in fold(text[: QUERY_LENGTH * 2]).split():
        word = word[:MAX_WORD_LENGTH]
        if word not in seen:
            seen.append(word)
    return seen[:MAX_QUERY_WORDS]


@dataclass(frozen=True)
class Term:
    """One word of the query: the prefixes (or whole words) any of which matches it."""

    prefixes: tuple[str, ...]
    whole: bool = False


def search_articles(text: str, *, language: str = "ro", limit: int = 20) -> list[Article]:
    """The published articles that answer `text`, best first, each with its published version
    loaded. A query that finds nothing is counted for editors."""
    words = query_words(text)
    if not words or limit <= 0:
        return []
    terms = [_term(word) for word in words]
    article_ids = _ranked_ids(terms, limit)
    found = public_articles().in_bulk(article_ids)
    articles = [found[pk] for pk in article_ids if pk in found]
    if not articles:
        count_unanswered(" ".join(words), language=language)
    return articles


def _term(word: str) -> Term:
    if len(word) <= WHOLE_WORD_LENGTH:
        return Term((word,), whole=True)
    prefix = stem(word)
    if word.isdigit() or SearchWord.objects.filter(word__startswith=prefix).exists():
        return Term((prefix,))
    corrections = corrected(word)
    return Term(tuple(dict.fromkeys(stem(other) for other in corrections)) or (prefix,))


def corrected(word: str) -> list[str]:
    """The words of the articles a misspelt `word` most likely means, closest first."""
    allowed = 1 if len(word) <= 5 else 2
    scored = sorted(
        (distance, candidate)
        for candidate in _candidates(word)
        if (distance := prefix_distance(word, candidate, allowed)) <= allowed
    )
    return [candidate for _distance, candidate in scored[:CORRECTIONS_PER_WORD]]


def _candidates(word: str) -> list[str]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM knowledge_searchword WHERE word %% %s"
                " ORDER BY similarity(word, %s) DESC LIMIT 50",
                [word, word],
            )
            return [row[0] for row in cursor.fetchall()]
    # A misspelling seldom touches the first letter; that keeps the comparisons few.
    first = word[0]
    words = SearchWord.objects.filter(word__gte=first, word__lt=chr(ord(first) + 1))
    low, high = len(word) - 3, len(word) + 6
    return [other for other in words.values_list("word", flat=True) if low <= len(other) <= high]


def prefix_distance(word: str, other: str, allowed: int) -> int:
    """Edit distance between the beginnings of two words (the first eight letters of `word`,
    as many of `other` give or take one): "certficatul" is one edit from "certificat", "tzxa"
    one from "taxa". Anything over `allowed` is reported as `allowed + 1`."""
    head = word[: STEM_LENGTH + 1]
    tail = other[: len(head) + 1]
    previous = list(range(len(tail) + 1))
    for i, char in enumerate(head, start=1):
        current = [i]
        for j, letter in enumerate(tail, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != letter))
            )
        if min(current) > allowed:
            return allowed + 1
        previous = current
    # previous[j] is the distance from `head` to the first j letters of `other`.
    shortest = max(1, min(len(head) - 1, len(tail)))
    return min(allowed + 1, *previous[shortest:])


def _ranked_ids(terms: Sequence[Term], limit: int) -> list[int]:
    """Articles holding every term, then (when a query has several) those holding some. Of
    those holding every term, the ones whose title holds them all come first, the shortest
    title first (the most specific service: "Certificate of urban planning" before "Extending
    a building permit or a certificate of urban planning"); then those holding them in the
    title, keywords or summary; then those holding them only in the body."""
    search = _postgresql_ids if connection.vendor == "postgresql" else _sqlite_ids
    tiers = [(True, Part.TITLE), (True, Part.HEADING), (True, Part.BODY_ONLY)]
    if len(terms) > 1:
        tiers += [(False, Part.HEADING), (False, Part.BODY_ONLY)]
    ids: list[int] = []
    for every, part in tiers:
        if len(ids) >= limit:
            break
        # Asking for as many more as were found already: a later tier repeats them.
        found = search(terms, every=every, part=part, limit=limit + len(ids))
        ids += [pk for pk in found if pk not in ids]
    return ids[:limit]


class Part(Enum):
    """Where the words are looked for: the title alone, the title, keywords and summary
    (small, ranked first), or the articles that hold them only in their body."""

    TITLE = "title"
    HEADING = "heading"
    BODY_ONLY = "body"


def _ts_word(prefix: str, *, whole: bool, label: str) -> str:
    """A word of a tsquery: whole or as a prefix, found only in the weights `label` if any."""
    suffix = ("" if whole else "*") + label
    return f"{prefix}:{suffix}" if suffix else prefix


def _postgresql_ids(terms: Sequence[Term], *, every: bool, part: Part, limit: int) -> list[int]:
    # Weight A is the title's (migration 0002).
    label = "A" if part is Part.TITLE else ""
    groups = [
        "(" + " | ".join(_ts_word(p, whole=term.whole, label=label) for p in term.prefixes) + ")"
        for term in terms
    ]
    query = (" & " if every else " | ").join(groups)
    select = "SELECT article_id FROM knowledge_searchentry, to_tsquery('simple', %s) query"
    if part is Part.TITLE:
        where = " WHERE heading @@ query ORDER BY length(title), article_id LIMIT %s"
    elif part is Part.HEADING:
        where = " WHERE heading @@ query ORDER BY ts_rank(heading, query) DESC, article_id LIMIT %s"
    else:
        where = (
            " WHERE document @@ query AND NOT heading @@ query"
            " ORDER BY ts_rank(document, query) DESC, article_id LIMIT %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(select + where, [query, limit])
        return [row[0] for row in cursor.fetchall()]


HEADING_COLUMNS = "{title keywords summary}"


def _sqlite_ids(terms: Sequence[Term], *, every: bool, part: Part, limit: int) -> list[int]:
    groups = [
        "(" + " OR ".join(f'"{p}"' if term.whole else f'"{p}"*' for p in term.prefixes) + ")"
        for term in terms
    ]
    words = "(" + (" AND " if every else " OR ").join(groups) + ")"
    heading = f"({HEADING_COLUMNS} : {words})"
    if part is Part.TITLE:
        sql = (
            "SELECT f.rowid FROM knowledge_search_fts f"
            " JOIN knowledge_searchentry e ON e.article_id = f.rowid"
            " WHERE knowledge_search_fts MATCH %s ORDER BY length(e.title), f.rowid LIMIT %s"
        )
        query = f"({{title}} : {words})"
    else:
        weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
        sql = (
            "SELECT rowid FROM knowledge_search_fts WHERE knowledge_search_fts MATCH %s"  # noqa: S608
            f" ORDER BY bm25(knowledge_search_fts, {weights}), rowid LIMIT %s"
        )
        query = heading if part is Part.HEADING else f"{words} NOT {heading}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, limit])
        return [row[0] for row in cursor.fetchall()]


def index_published(version: ArticleVersion) -> None:
    """Make the article's search read `version`: called as it is published."""
    fields = entry_fields(version.content())
    SearchEntry.objects.update_or_create(article_id=version.article_id, defaults=fields)
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in sorted(words_of(fields))], ignore_conflicts=True
    )


def count_unanswered(query: str, *, language: str) -> None:
    """One more search of `query` found nothing: a single upsert, no personal data."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO knowledge_unansweredsearch (query, language, count, last_seen)"
            " VALUES (%s, %s, 1, %s) ON CONFLICT (query, language) DO UPDATE"
            " SET count = knowledge_unansweredsearch.count + 1, last_seen = excluded.last_seen",
            [
                query[:QUERY_LENGTH],
                language[:8],
                connection.ops.adapt_datetimefield_value(clock.now()),
            ],
        )
