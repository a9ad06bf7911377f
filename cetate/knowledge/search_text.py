"""The text of a published version the knowledge search reads: its titles, keywords,
summaries and bodies in both languages, folded (lower case, no diacritics, no punctuation), in
one column. Written when a version is published (`services.publish`); a search index (full-text
on PostgreSQL, FTS5 on SQLite) is built from this column and the fields it names."""

from __future__ import annotations

from collections.abc import Mapping

from cetate.knowledge.models import SEARCHED_FIELDS
from cetate.lib.text import fold


def search_text_of(content: Mapping[str, str]) -> str:
    """The folded text of an article's fields, most telling first."""
    return "\n".join(fold(content.get(name, "")) for name in SEARCHED_FIELDS if content.get(name))


# Which fields feed which weight of the search index, heaviest first.
WEIGHTED_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "title_en"),
    "keywords": ("keywords",),
    "summary": ("summary", "summary_en"),
    "body": tuple(
        name
        for name in SEARCHED_FIELDS
        if name not in {"title", "title_en", "keywords", "summary", "summary_en"}
    ),
}
# Words kept in the vocabulary misspellings are corrected against.
VOCABULARY_WORD_LENGTH = range(3, 41)


def entry_fields(content: Mapping[str, str]) -> dict[str, str]:
    """The folded text of each weight of the search index (title, keywords, summary, body)."""
    return {
        weight: "\n".join(fold(content.get(name, "")) for name in names if content.get(name))
        for weight, names in WEIGHTED_FIELDS.items()
    }


def words_of(fields: Mapping[str, str]) -> set[str]:
    """The distinct words of an entry's texts that a misspelt search word may mean."""
    return {
        word
        for text in fields.values()
        for word in text.split()
        if len(word) in VOCABULARY_WORD_LENGTH and not word.isdigit()
    }
